"""Near-duplicate articles and stories.

Two levels of sameness between reports:

* **duplicate** -- the same report refiled, updated or syndicated: its word
  3-shingles overlap very highly (estimated Jaccard >= ``dup_threshold``) with an
  earlier article *and* the two say the same things: a text that names a place,
  a person, a date or a figure the other lacks while the other names one it lacks
  (a formulaic report of another town, day or toll) is not a duplicate, however
  similar the rest (:func:`identity_terms`).  A refile that only adds (a new
  headline, an extra paragraph) is.  ``duplicate_of`` names the earliest-added
  article of the duplicate group (never a chain).
* **story** -- the same developing situation told by different text: assigned
  by :class:`wirewatch.merge.stories.StoryIndex` from the key terms (names, figures,
  content words) weighted by their rarity in the archive so far.  A duplicate
  takes its original's story.  ``story_id`` is ``"st_" + id`` of the article that
  started the story.

Duplicate candidates come from MinHash LSH tables kept per period of
``dup_window_days`` (an article meets only articles of its own and the adjacent
periods; undated articles meet undated ones), so the cost of ``add`` depends on
how many articles share its dates, not on the size of the archive.  Results
depend only on the order of ``add`` calls.  An article already assigned keeps
its story (an article read back from a store keeps the story stored with it),
which keeps ids stable.

"""

from __future__ import annotations

import datetime as dt
import logging
import re
import struct
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH  # MinHashLSH only to pick bands/rows

from ..models import Article
from .stories import StorySettings, StoryIndex

log = logging.getLogger(__name__)

SIGNATURE_VERSION = 1
_MAGIC = b"WWM"
_HEADER = struct.Struct("<3sBH")  # magic, version, num_perm
_SCHEME = "affine32"  # datasketch >= 2.0 permutation scheme; 32-bit values, stored as uint32

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being it its
    this that these those he she they we you i his her their our your them him us me not no so than then
    there here who whom which what when where why how all any both each few more most other some such only
    own same too very can will just should now said says say told would could also after before over
    under into out up down about against between through during again further once one two three new
    year years mr mrs ms have has had do does did while since until because per via among around
    monday tuesday wednesday thursday friday saturday sunday reuters reporting editing writing""".split()
)

_TOKEN = re.compile(r"[^\W\d_][\w'\u2019\-]*|\d[\d,.]*\d|\d")


def tokens(text: str) -> list[str]:
    """Word and number tokens in reading order (case kept)."""
    return _TOKEN.findall(text)


def key_terms(text: str, *, name_weight: float = 3.0) -> Counter[str]:
    """Content words, names and numbers of ``text`` with weights.

    Stopwords and one- or two-letter words are dropped; a capitalised word not
    at the start of the text counts ``name_weight`` times (a cheap stand-in for
    named entities, which is what tells two look-alike events apart).
    """
    out: Counter[str] = Counter()
    for i, tok in enumerate(tokens(text)):
        low = tok.lower().replace("\u2019", "'")
        if low.endswith("'s"):
            low = low[:-2]
        if low in STOPWORDS or (len(low) < 3 and not low[0].isdigit()):
            continue
        out[low] += name_weight if (i and tok[0].isupper()) else 1.0
    return out


_DATE_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december yesterday today""".split()
)


def identity_terms(text: str) -> Counter[str]:
    """What tells one report's event from a look-alike's, with how often the text names each: names
    (capitalised words that are not stopwords), figures and date words, lower-cased."""
    out: Counter[str] = Counter()
    for tok in tokens(text):
        low = tok.lower().replace("\u2019", "'")
        if low.endswith("'s"):
            low = low[:-2]
        if tok[0].isdigit() or low in _DATE_WORDS or (tok[0].isupper() and low not in STOPWORDS and len(low) > 1):
            out[low] += 1
    return out


def contradicts(a: Counter[str], b: Counter[str]) -> bool:
    """Each text names something (a place, a date, a figure) more often than the other does: a place, day or
    toll put in another's stead, so two reports, not one refiled (a refile that only adds names more)."""
    return any(n > b.get(k, 0) for k, n in a.items()) and any(n > a.get(k, 0) for k, n in b.items())


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def text_years(text: str) -> frozenset[int]:
    """The years a text names (1900-2099): the event's own date when nothing closer is known."""
    return frozenset(int(y) for y in _YEAR.findall(text))


def shingles(text: str, *, k: int = 3) -> set[str]:
    """Lower-cased word k-shingles (the text itself when shorter than k words)."""
    words = [t.lower() for t in tokens(text)]
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def _article_text(article: Article) -> str:
    return f"{article.headline or ''}\n{article.body or article.text}"


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> np.ndarray:
    """The (seeded, fixed) permutations: generated once, not per sketch."""
    return MinHash(num_perm=num_perm, seed=1, scheme=_SCHEME).permutations


@lru_cache(maxsize=16)
def _lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """LSH bands/rows for a threshold (datasketch integrates numerically: compute once)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def _new_minhash(num_perm: int, hashvalues: np.ndarray | None = None) -> MinHash:
    return MinHash(num_perm=num_perm, seed=1, scheme=_SCHEME, hashvalues=hashvalues,
                   permutations=_permutations(num_perm))


def _minhash(items: Iterable[str], num_perm: int) -> MinHash:
    mh = _new_minhash(num_perm)
    batch = [s.encode("utf-8") for s in items]
    if batch:
        mh.update_batch(batch)
    return mh


def encode_signature(shingle_mh: MinHash, term_mh: MinHash) -> bytes:
    n = len(shingle_mh.hashvalues)
    head = _HEADER.pack(_MAGIC, SIGNATURE_VERSION, n)
    return head + shingle_mh.hashvalues.astype("<u4").tobytes() + term_mh.hashvalues.astype("<u4").tobytes()


def _split_signature(sig: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The two hash-value arrays of a signature (raises ValueError on foreign bytes)."""
    if len(sig) < _HEADER.size:
        raise ValueError("not a wirewatch article signature; recompute it")
    magic, version, n = _HEADER.unpack_from(sig)
    if magic != _MAGIC or version != SIGNATURE_VERSION or len(sig) != _HEADER.size + 8 * n:
        raise ValueError("not a wirewatch article signature (or from another version); recompute it")
    raw = np.frombuffer(sig, dtype="<u4", offset=_HEADER.size)
    return raw[:n], raw[n:]


def decode_signature(sig: bytes) -> tuple[MinHash, MinHash]:
    """The two MinHash sketches (word 3-shingles, key terms) stored in ``sig``."""
    shingle_hv, term_hv = _split_signature(sig)
    n = len(shingle_hv)
    return _new_minhash(n, shingle_hv.copy()), _new_minhash(n, term_hv.copy())


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """MinHash estimate of the Jaccard similarity of two hash-value arrays."""
    return float(np.count_nonzero(a == b)) / len(a)


class _Bands:
    """A lean LSH: one dictionary per band, keyed by the hash of the band's bytes (``ArticleIndex._band_keys``).

    In place of datasketch's ``MinHashLSH`` (same candidates): 1.23x faster ``ArticleIndex.add_many`` over
    10,000 articles (``bench/bench_tricks.py --only lsh``; bench/results/issue24-pipeline-tricks.md)."""

    __slots__ = ("rows", "tables")

    def __init__(self, bands: int, rows: int) -> None:
        self.rows = rows
        self.tables: list[dict[int, int | array]] = [{} for _ in range(bands)]

    def insert(self, item: int, keys: list[int]) -> None:
        # Most buckets hold one item: store it as a bare int (no list per bucket, less for the GC to walk).
        for table, key in zip(self.tables, keys, strict=True):
            hit = table.get(key)
            if hit is None:
                table[key] = item
            elif isinstance(hit, int):
                table[key] = array("q", (hit, item))  # arrays hold no references: the GC skips them
            else:
                hit.append(item)

    def query(self, keys: list[int], out: set[int]) -> None:
        """Add the items sharing a band with ``keys`` to ``out``."""
        for table, key in zip(self.tables, keys, strict=True):
            hit = table.get(key)
            if hit is None:
                continue
            if isinstance(hit, int):
                out.add(hit)
            else:
                out.update(hit)


@dataclass(frozen=True, slots=True)
class DedupResult:
    duplicate_of: str | None
    story_id: str


class _Columns:
    """What the index keeps per article, column-wise: a few flat lists and the hash values in
    fixed-size blocks instead of an object per article (fewer objects for the cyclic GC to walk: the
    per-row array views are not tracked by it; a block, once full, is never copied again, so adding
    an article costs the same in an index of any size)."""

    BLOCK = 1024  # rows per block of hash values

    def __init__(self, num_perm: int) -> None:
        self.ids: list[str] = []
        self.days: list[int | None] = []  # published as a day number: cheap gaps between candidates
        # each row's two hash-value arrays as views into its block, made once (a candidate check then
        # compares two arrays, not indexes a block first)
        self.shingle_rows: list[np.ndarray] = []
        self.duplicate_of: list[str | None] = []
        self.story_id: list[str] = []
        self.order: dict[str, int] = {}
        self._blocks: list[np.ndarray] = []  # each (BLOCK, 2 * num_perm) uint32: shingle | term hash values
        self._n = num_perm

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, article: Article, hv: np.ndarray, result: DedupResult) -> int:
        row = len(self.ids)
        block, offset = divmod(row, self.BLOCK)
        if block == len(self._blocks):
            self._blocks.append(np.empty((self.BLOCK, 2 * self._n), dtype=np.uint32))
        row_hv = self._blocks[block][offset]
        row_hv[:] = hv
        self.shingle_rows.append(row_hv[: self._n])
        self.ids.append(article.id)
        self.days.append(_day(article.published))
        self.duplicate_of.append(result.duplicate_of)
        self.story_id.append(result.story_id)
        self.order[article.id] = row
        return row

    def result(self, row: int) -> DedupResult:
        return DedupResult(self.duplicate_of[row], self.story_id[row])


def _day(d: dt.date | None) -> int | None:
    return None if d is None else d.toordinal()


class ArticleIndex:
    """Incremental near-duplicate and story assignment (see module docstring)."""

    def __init__(
        self,
        *,
        num_perm: int = 128,
        dup_threshold: float = 0.6,
        dup_window_days: int = 7,
        stories: StorySettings | None = None,
    ) -> None:
        self.num_perm = num_perm
        self.dup_threshold = dup_threshold
        self.dup_window_days = dup_window_days
        self._dup_params = _lsh_params(dup_threshold, num_perm)
        # LSH tables per period of ``dup_window_days`` (None: undated), so that a query only meets
        # articles of nearby dates and the cost of ``add`` does not grow with the archive.
        self._dup_lsh: dict[int | None, _Bands] = {}
        self._rows = _Columns(num_perm)
        self._identity: list[Counter[str]] = []  # per row: what a duplicate must not contradict
        self._stories = StoryIndex(stories)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._rows.order

    @staticmethod
    def signature(article: Article, *, num_perm: int = 128) -> bytes:
        """Two MinHash sketches (word 3-shingles; key terms) of headline + body, as bytes."""
        text = _article_text(article)
        return encode_signature(_minhash(shingles(text), num_perm), _minhash(key_terms(text), num_perm))

    def result(self, article_id: str) -> DedupResult | None:
        row = self._rows.order.get(article_id)
        return None if row is None else self._rows.result(row)

    def add_many(self, items: Iterable[tuple[Article, bytes]]) -> list[DedupResult]:
        """:meth:`add` each ``(article, signature)`` in order."""
        return [self.add(article, signature) for article, signature in items]

    def add(self, article: Article, signature: bytes) -> DedupResult:
        """Assign ``duplicate_of`` and ``story_id`` to ``article`` and index it.

        Adding an id that is already indexed returns its earlier result.  An article that already
        carries a ``story_id`` (read back from a store) keeps it.
        """
        if article.id in self._rows.order:
            return self._rows.result(self._rows.order[article.id])
        shingle_hv, _term_hv = _split_signature(signature)
        if len(shingle_hv) != self.num_perm:
            raise ValueError(f"signature has {len(shingle_hv)} permutations, index uses {self.num_perm}")
        text = _article_text(article)
        identity = identity_terms(text)
        dup_keys = self._band_keys(self._dup_params, shingle_hv)
        duplicate = self._find_duplicate(article, shingle_hv, dup_keys, identity)
        known = article.story_id or (self._rows.story_id[duplicate] if duplicate is not None else None)
        story = self._stories.add("st_" + article.id, key_terms(text), _day(article.published),
                                  names=frozenset(identity), years=text_years(text), known=known)
        original = None
        if duplicate is not None:
            original = self._rows.duplicate_of[duplicate] or self._rows.ids[duplicate]
        result = DedupResult(original, story)
        row = self._rows.append(article, np.frombuffer(signature, dtype="<u4", offset=_HEADER.size), result)
        self._identity.append(identity)
        self._table(self._dup_lsh, self._period(article.published), self._dup_params).insert(row, dup_keys)
        log.debug("article %s: duplicate_of=%s story=%s", article.id, result.duplicate_of, result.story_id)
        return result

    # -- internals ---------------------------------------------------------------------------

    def _period(self, day: dt.date | None) -> int | None:
        return None if day is None else day.toordinal() // max(1, self.dup_window_days)

    @staticmethod
    def _table(tables: dict[int | None, _Bands], period: int | None, params: tuple[int, int]) -> _Bands:
        if period not in tables:
            tables[period] = _Bands(*params)
        return tables[period]

    @staticmethod
    def _band_keys(params: tuple[int, int], hv: np.ndarray) -> list[int]:
        """One key per band: the hash of the band's bytes (a machine-word int: about half the memory of the
        bytes themselves in the tables, and cheaper to look up).  Two different bands may share a key (a
        chance of one in 2**64 per pair); that only adds a candidate, which the similarity check weighs."""
        bands, rows = params
        raw = hv.tobytes()
        step = 4 * rows
        return [hash(raw[i * step : (i + 1) * step]) for i in range(bands)]

    def _query(self, tables: dict[int | None, _Bands], day: dt.date | None, keys: list[int]) -> set[int]:
        """Candidates from the periods around ``day`` (adjacent periods cover the window), or the undated table."""
        period = self._period(day)
        out: set[int] = set()
        for near in [None] if period is None else [period - 1, period, period + 1]:
            bands = tables.get(near)
            if bands is not None:
                bands.query(keys, out)
        return out

    def _find_duplicate(self, article: Article, hv: np.ndarray, keys: list[int],
                        identity: Counter[str]) -> int | None:
        """The row of the most similar earlier article that ``article`` duplicates, if any."""
        best: tuple[float, int] | None = None
        rows = self._rows.shingle_rows
        for order in self._query(self._dup_lsh, article.published, keys):
            sim = _jaccard(hv, rows[order])
            if sim < self.dup_threshold or (best is not None and (-sim, order) > best):
                continue
            if contradicts(identity, self._identity[order]):
                continue
            best = (-sim, order)
        return None if best is None else best[1]
