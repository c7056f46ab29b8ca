"""Near-duplicate articles and stories.

Two levels of sameness between reports:

* **duplicate** — the same report refiled, updated or syndicated: its word
  3-shingles overlap very highly (estimated Jaccard >= ``dup_threshold``) with an
  earlier article.  ``duplicate_of`` names the earliest-added article of the
  duplicate group (never a chain).
* **story** — the same developing situation told by different text: the
  articles share a good part of their *key terms* (content words, names and
  numbers; estimated Jaccard >= ``story_threshold``) within ``story_window_days``,
  or they share the dateline place, at least two headline key terms and dates
  within ``headline_window_days``.  ``story_id`` is ``"st_" + id`` of the
  earliest-added article of the story.

Candidates come from MinHash LSH (shingles, key terms) and from a bounded
(dateline, headline term) block, so ``add`` is sub-quadratic.  Results depend
only on the order of ``add`` calls.  An article already assigned keeps its
story: stories are never merged after the fact, which keeps ids stable.

:func:`cluster_documents` clusters a batch of documents into real-world events
with the same key terms weighted by TF-IDF (names count triple), average-linkage
over cosine similarity; it is what we measure on ECB+ (``wirewatch.eval.ecb``).
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
import math
import re
import struct
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from .models import Article

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


def shingles(text: str, *, k: int = 3) -> set[str]:
    """Lower-cased word k-shingles (the text itself when shorter than k words)."""
    words = [t.lower() for t in tokens(text)]
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def _article_text(article: Article) -> str:
    return f"{article.headline or ''}\n{article.body or article.text}"


def _minhash(items: Iterable[str], num_perm: int) -> MinHash:
    mh = MinHash(num_perm=num_perm, seed=1, scheme=_SCHEME)
    batch = [s.encode("utf-8") for s in items]
    if batch:
        mh.update_batch(batch)
    return mh


def encode_signature(shingle_mh: MinHash, term_mh: MinHash) -> bytes:
    n = len(shingle_mh.hashvalues)
    head = _HEADER.pack(_MAGIC, SIGNATURE_VERSION, n)
    return head + shingle_mh.hashvalues.astype("<u4").tobytes() + term_mh.hashvalues.astype("<u4").tobytes()


def decode_signature(sig: bytes) -> tuple[MinHash, MinHash]:
    magic, version, n = _HEADER.unpack_from(sig)
    if magic != _MAGIC or version != SIGNATURE_VERSION or len(sig) != _HEADER.size + 8 * n:
        raise ValueError("not a wirewatch article signature (or from another version); recompute it")
    raw = np.frombuffer(sig, dtype="<u4", offset=_HEADER.size)
    return (
        MinHash(num_perm=n, seed=1, scheme=_SCHEME, hashvalues=raw[:n].copy()),
        MinHash(num_perm=n, seed=1, scheme=_SCHEME, hashvalues=raw[n:].copy()),
    )


@dataclass(frozen=True, slots=True)
class DedupResult:
    duplicate_of: str | None
    story_id: str


@dataclass(slots=True)
class _Entry:
    order: int
    id: str
    published: dt.date | None
    shingle_mh: MinHash
    term_mh: MinHash
    result: DedupResult


def _days_apart(a: dt.date | None, b: dt.date | None) -> int | None:
    return None if a is None or b is None else abs((a - b).days)


class ArticleIndex:
    """Incremental near-duplicate and story assignment (see module docstring)."""

    def __init__(
        self,
        *,
        num_perm: int = 128,
        dup_threshold: float = 0.6,
        story_threshold: float = 0.28,
        story_window_days: int = 7,
        headline_window_days: int = 3,
        block_scan: int = 64,
    ) -> None:
        self.num_perm = num_perm
        self.dup_threshold = dup_threshold
        self.story_threshold = story_threshold
        self.story_window_days = story_window_days
        self.headline_window_days = headline_window_days
        self.block_scan = block_scan  # newest entries scanned per (dateline, term) block
        self._dup_lsh = MinHashLSH(threshold=dup_threshold, num_perm=num_perm)
        self._story_lsh = MinHashLSH(threshold=story_threshold, num_perm=num_perm)
        self._entries: dict[str, _Entry] = {}
        self._blocks: dict[tuple[str, str], list[str]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def signature(article: Article, *, num_perm: int = 128) -> bytes:
        """Two MinHash sketches (word 3-shingles; key terms) of headline + body, as bytes."""
        text = _article_text(article)
        return encode_signature(_minhash(shingles(text), num_perm), _minhash(key_terms(text), num_perm))

    def result(self, article_id: str) -> DedupResult | None:
        entry = self._entries.get(article_id)
        return entry.result if entry else None

    def add(self, article: Article, signature: bytes) -> DedupResult:
        """Assign ``duplicate_of`` and ``story_id`` to ``article`` and index it.

        Adding an id that is already indexed returns its earlier result.
        """
        if article.id in self._entries:
            return self._entries[article.id].result
        shingle_mh, term_mh = decode_signature(signature)
        if len(shingle_mh.hashvalues) != self.num_perm:
            raise ValueError(f"signature has {len(shingle_mh.hashvalues)} permutations, index uses {self.num_perm}")
        result = self._find_duplicate(article, shingle_mh) or self._find_story(article, term_mh)
        if result is None:
            result = DedupResult(None, "st_" + article.id)
        entry = _Entry(len(self._entries), article.id, article.published, shingle_mh, term_mh, result)
        self._entries[article.id] = entry
        self._dup_lsh.insert(article.id, shingle_mh)
        self._story_lsh.insert(article.id, term_mh)
        for key in self._block_keys(article):
            self._blocks[key].append(article.id)
        log.debug("article %s: duplicate_of=%s story=%s", article.id, result.duplicate_of, result.story_id)
        return result

    # -- internals ---------------------------------------------------------------------------

    def _find_duplicate(self, article: Article, mh: MinHash) -> DedupResult | None:
        best: tuple[float, int, _Entry] | None = None
        for cid in self._dup_lsh.query(mh):
            cand = self._entries[cid]
            sim = mh.jaccard(cand.shingle_mh)
            if sim < self.dup_threshold:
                continue
            key = (-sim, cand.order, cand)
            if best is None or key[:2] < best[:2]:
                best = key
        if best is None:
            return None
        cand = best[2]
        return DedupResult(cand.result.duplicate_of or cand.id, cand.result.story_id)

    def _find_story(self, article: Article, mh: MinHash) -> DedupResult | None:
        scores: dict[str, float] = {}
        for cid in self._story_lsh.query(mh):
            cand = self._entries[cid]
            gap = _days_apart(article.published, cand.published)
            if gap is not None and gap > self.story_window_days:
                continue
            sim = mh.jaccard(cand.term_mh)
            if sim >= self.story_threshold:
                scores[cid] = sim
        shared: Counter[str] = Counter()
        for key in self._block_keys(article):
            for cid in self._blocks.get(key, ())[-self.block_scan :]:
                shared[cid] += 1
        for cid, n in shared.items():
            if n < 2 or cid in scores:
                continue
            cand = self._entries[cid]
            gap = _days_apart(article.published, cand.published)
            if gap is not None and gap > self.headline_window_days:
                continue
            scores[cid] = mh.jaccard(cand.term_mh)
        if not scores:
            return None
        best = min(scores, key=lambda c: (-scores[c], self._entries[c].order))
        return DedupResult(None, self._entries[best].result.story_id)

    @staticmethod
    def _block_keys(article: Article) -> list[tuple[str, str]]:
        places = [p.lower() for p in article.dateline_places if p]
        if not places or not article.headline:
            return []
        terms = sorted(key_terms(article.headline))
        return [(p, t) for p in places for t in terms]


# -- batch clustering (ECB+-style evaluation, offline re-clustering) ----------------------------


def tfidf_vectors(texts: Sequence[str], *, min_df: int = 2, name_weight: float = 3.0) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors over :func:`key_terms` (sublinear tf; terms in < ``min_df`` docs dropped)."""
    counts = [key_terms(t, name_weight=name_weight) for t in texts]
    df: Counter[str] = Counter(k for c in counts for k in c)
    n = len(texts)
    out = []
    for c in counts:
        vec = {k: (1.0 + math.log(w)) * math.log((n + 1) / df[k]) for k, w in c.items() if df[k] >= min_df and w >= 1}
        norm = math.sqrt(sum(x * x for x in vec.values())) or 1.0
        out.append({k: x / norm for k, x in vec.items() if x > 0})
    return out


def _pair_similarities(vecs: Sequence[dict[str, float]], *, max_df_share: float = 0.5) -> dict[tuple[int, int], float]:
    """Cosine of every pair sharing a term, via an inverted index.

    Terms in more than ``max_df_share`` of the documents (when there are more
    than 20) are too common to block on; they still count in the cosine.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(vecs):
        for k in v:
            postings[k].append(i)
    limit = max(20, int(max_df_share * len(vecs)))
    pairs: set[tuple[int, int]] = set()
    for ids in postings.values():
        if len(ids) <= limit:
            pairs.update((a, b) for ai, a in enumerate(ids) for b in ids[ai + 1 :])
    sims = {}
    for a, b in pairs:
        va, vb = vecs[a], vecs[b]
        if len(va) > len(vb):
            va, vb = vb, va
        s = sum(x * vb.get(k, 0.0) for k, x in va.items())
        if s > 0:
            sims[(a, b)] = s
    return sims


def _average_linkage(n: int, sims: dict[tuple[int, int], float], threshold: float) -> list[int]:
    """Average-linkage agglomerative clustering; missing pairs count as similarity 0."""
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    link: dict[int, dict[int, float]] = defaultdict(dict)  # cluster -> cluster -> summed similarity
    for (a, b), s in sims.items():
        link[a][b] = link[b][a] = s
    heap = [(-s, a, b) for (a, b), s in sims.items() if s >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        avg = link[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if abs(avg + neg) > 1e-12:  # stale entry
            continue
        keep, gone = min(a, b), max(a, b)
        members[keep].extend(members.pop(gone))
        for other, s in link.pop(gone).items():
            link[other].pop(gone, None)
            if other == keep:
                continue
            total = link[keep].get(other, 0.0) + s
            link[keep][other] = link[other][keep] = total
        for other, total in link[keep].items():
            avg = total / (len(members[keep]) * len(members[other]))
            if avg >= threshold:
                heapq.heappush(heap, (-avg, min(keep, other), max(keep, other)))
    labels = [0] * n
    for label, root in enumerate(sorted(members)):
        for i in members[root]:
            labels[i] = label
    return labels


def cluster_documents(
    docs: Sequence[tuple[str, str, dt.date | None]],
    *,
    threshold: float = 0.09,
    min_df: int = 2,
    name_weight: float = 3.0,
    window_days: int = 7,
) -> list[int]:
    """Cluster ``(id, text, date)`` documents into real-world events; returns one label per doc.

    TF-IDF over key terms (IDF from this batch), cosine similarity, average
    linkage stopped at ``threshold``.  Two documents whose dates are both known
    and more than ``window_days`` apart never link.  Labels are numbered by the
    first document of each cluster, so equal inputs give equal outputs.
    """
    if not docs:
        return []
    vecs = tfidf_vectors([text for _, text, _ in docs], min_df=min_df, name_weight=name_weight)
    sims = _pair_similarities(vecs)
    for (a, b) in list(sims):
        gap = _days_apart(docs[a][2], docs[b][2])
        if gap is not None and gap > window_days:
            del sims[(a, b)]
    return _average_linkage(len(docs), sims, threshold)
