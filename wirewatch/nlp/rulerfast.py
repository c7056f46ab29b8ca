"""The same matches as spaCy's attribute ruler, found by a per-token lookup instead of its Matcher.

``en_core_web_sm``'s attribute ruler maps each token's fine tag (and, for exceptions, its lower-case
form and dependency label) to POS, morphology and a few lemmas: ~170 one-token patterns and a handful
of two-token ones.  Its ``Matcher`` tries every pattern on every token, which costs about as much as
the tagger and the parser together.  But a one-token pattern's outcome depends only on the token's
``(tag_, lower_, dep_, is_space)``, so :func:`speed_up` evaluates those patterns once per distinct
combination (memoised) and leaves only the multi-token patterns (and any pattern whose form it does not
know) to a Matcher.  It returns the list ``AttributeRuler.match`` returns, in the same order, so the
ruler then sets exactly the same attributes; the tests compare both lists token by token.

Measured (issue #24, ``python bench/bench_tricks.py --only pipeline --stories 250``, 2026-12-07, CPU time,
two runs of 5 and 7 interleaved rounds on a shared 2-core machine): spaCy's time in stage ``nlp.v2`` is
1.155x as long with the stock ruler (median of the 12 rounds' plain/lookup ratios; spread 0.87-1.40;
medians of the two runs 1.12 and 1.19), i.e. the lookup saves 13% there; the whole per-article
pipeline 1.09x (0.88-1.30).  Outputs identical (mentions and every token's tag, POS, morphology,
lemma, dependency and entity).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

_ATTRS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}
_MEMO_MAX = 200_000  # distinct (tag, lower, dep, space) keys remembered; cleared beyond this

Predicate = Callable[[tuple], bool]


def _predicate(spec: dict) -> Predicate | None:
    """A test over ``(tag_, lower_, dep_, is_space)`` equivalent to the Matcher's for one token spec."""
    tests: list[Callable[[tuple], bool]] = []
    for attr, value in spec.items():
        if attr not in _ATTRS:
            return None
        pos = list(_ATTRS).index(attr)
        if isinstance(value, (str, bool)):
            tests.append(lambda k, p=pos, v=value: k[p] == v)
        elif isinstance(value, dict) and len(value) == 1:
            (op, arg), = value.items()
            if op == "IN" and isinstance(arg, list) and attr != "IS_SPACE":
                tests.append(lambda k, p=pos, v=frozenset(arg): k[p] in v)
            elif op == "NOT_IN" and isinstance(arg, list) and attr != "IS_SPACE":
                tests.append(lambda k, p=pos, v=frozenset(arg): k[p] not in v)
            elif op == "REGEX" and isinstance(arg, str) and attr != "IS_SPACE":
                tests.append(lambda k, p=pos, rx=re.compile(arg): bool(rx.search(k[p])))
            else:
                return None
        else:
            return None
    return lambda k: all(t(k) for t in tests)


def speed_up(ruler: Any) -> bool:
    """Replace ``ruler.match`` with the lookup; False (ruler untouched) if a pattern is of an unknown form."""
    from spacy.matcher import Matcher

    vocab = ruler.vocab
    single: list[tuple[int, int, Predicate, dict]] = []  # (attr_id, match key, predicate, token spec)
    rest = Matcher(vocab)
    for attr_id in range(len(ruler.attrs)):
        key = vocab.strings[str(attr_id)]
        _on_match, patterns = ruler.matcher.get(key)
        for pattern in patterns:
            pred = _predicate(pattern[0]) if len(pattern) == 1 else None
            if pred is not None:
                single.append((attr_id, key, pred, pattern[0]))
            else:
                rest.add(key, [pattern])
    if not single:
        return False
    # most patterns name one TAG: only those of the token's tag (and the tag-free ones) are tried
    by_tag: dict[str, list[tuple[int, int, Predicate]]] = {}
    any_tag: list[tuple[int, int, Predicate]] = []
    for attr_id, key, pred, spec in single:
        tag = spec.get("TAG")
        (by_tag.setdefault(tag, []) if isinstance(tag, str) else any_tag).append((attr_id, key, pred))
    memo: dict[tuple, tuple[tuple[int, int], ...]] = {}

    def hits(k: tuple) -> tuple[tuple[int, int], ...]:
        seen: set[tuple[int, int]] = set()
        for attr_id, key, pred in by_tag.get(k[0], ()):
            if pred(k):
                seen.add((attr_id, key))
        for attr_id, key, pred in any_tag:
            if pred(k):
                seen.add((attr_id, key))
        return tuple(seen)

    def match(doc: Any) -> list[tuple[int, int, int, int]]:
        if len(memo) > _MEMO_MAX:
            memo.clear()
        found: set[tuple[int, int, int, int]] = set()
        for tok in doc:
            k = (tok.tag_, tok.lower_, tok.dep_, tok.is_space)
            h = memo.get(k)
            if h is None:
                h = memo[k] = hits(k)
            i = tok.i
            for attr_id, key in h:
                found.add((attr_id, key, i, i + 1))
        if len(rest):
            for key, start, end in rest(doc, allow_missing=True, as_spans=False):
                found.add((int(vocab.strings[key]), key, start, end))
        return sorted(found)

    ruler.match = match
    log.debug("attribute ruler: %d one-token patterns by lookup, %d by the Matcher", len(single), len(rest))
    return True
