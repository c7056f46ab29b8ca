"""Stories: reports of one real-world situation, grouped as the archive grows.

Each article arriving is compared with the articles already indexed by the terms that identify an
event -- names (places, actors: capitalised words count ``name_weight`` times), figures and the
other content words of :func:`wirewatch.merge.dedup.key_terms` -- each weighted by its rarity in the
archive so far (TF-IDF: sublinear term frequency times ``log((n + 1) / df)``; a term no other
article has yet carries nothing).  It joins the story whose members it matches best on average
(average linkage: the mean cosine similarity with every member of the story, members sharing no
selective term counting 0) when that mean reaches ``threshold``; else it starts a story.  Two
articles join only when they share a name, figure or date word, and not when both name years but
none in common (the event's own date: two earthquakes of the same town in other years).  Wording
is not what links: two formulaic reports of different places and days share their common words,
which weigh little, and not their names and figures, which weigh most.  Reports without a date are
compared like any other; two dated ones further apart than ``window_days`` never join.

Cost: candidates come from an inverted index on the article's ``probe_terms`` most weighted terms
that no more than ``max_df_share`` of the archive holds, kept per period of ``window_days``: a dated
article reads the postings of its own and the adjacent periods and of the undated articles, an
undated one those of the undated articles and of the latest dates, at most the ``scan`` newest of
each, so an article meets a bounded number of earlier ones however large the archive.
Article norms are computed with the document frequencies of an *epoch* and recomputed (lazily,
when next met) once the archive has grown by ``epoch_growth``: amortised linear.

Assignment is incremental and final: an article keeps the story it was given (ids stay stable), and
the result depends only on the order of :meth:`StoryIndex.add` calls.

Written here rather than with scikit-learn's ``TfidfVectorizer`` and ``AgglomerativeClustering``: both
fit a whole collection at once (a new article would re-weight and re-cluster the archive, and ids
would move), where a story must be assigned once, on arrival, with the rarity of terms so far.
"""

from __future__ import annotations

import logging
import math
from array import array
from collections import Counter
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StorySettings:
    """Thresholds of story assignment (see module docstring)."""

    # 5-fold cross-validation over ECB+ dev topics (scripts/cv_stories.py) picks 0.1 or 0.125 (F1 within
    # 0.004); 0.125 keeps more look-alike events apart
    threshold: float = 0.125
    window_days: int = 7
    probe_terms: int = 40
    scan: int = 256
    max_df_share: float = 0.2
    min_df_cap: int = 20  # below this archive size every term may probe
    epoch_growth: float = 1.25


class StoryIndex:
    """Incremental story assignment over weighted key terms (see module docstring)."""

    def __init__(self, settings: StorySettings | None = None) -> None:
        self.s = settings or StorySettings()
        self.df: Counter[str] = Counter()
        self.terms: list[dict[str, float]] = []  # per row: sublinear term frequency
        self.days: list[int | None] = []
        self.names: list[frozenset[str]] = []  # per row: names, figures and date words (identity_terms)
        self.years: list[frozenset[int]] = []  # per row: the years its text names (text_years)
        self.story_of: list[int] = []  # row -> story number
        self.story_ids: list[str] = []  # story number -> id
        self.story_size: list[int] = []
        self._story_number: dict[str, int] = {}
        # period (day // window_days; None: undated) -> term -> rows: a dated article meets the articles of
        # its own and the adjacent periods, so what it meets does not grow with the archive's span
        self.postings: dict[int | None, dict[str, array]] = {}
        self._latest: int | None = None  # the period of the latest dated article: where undated ones look
        self._norms: list[float] = []
        self._norm_epoch: list[int] = []
        self._epoch = 0
        self._epoch_n = 1

    def __len__(self) -> int:
        return len(self.terms)

    # -- weights -------------------------------------------------------------------------------

    def _idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log((len(self.terms) + 1) / df) if df else 0.0

    def _norm(self, row: int) -> float:
        if self._norm_epoch[row] != self._epoch:
            total = 0.0
            for t, w in self.terms[row].items():
                x = w * self._idf(t)
                total += x * x
            self._norms[row] = math.sqrt(total) or 1.0
            self._norm_epoch[row] = self._epoch
        return self._norms[row]

    # -- assignment ----------------------------------------------------------------------------

    def add(self, story_id: str, weights: Counter[str], day: int | None, *, names: frozenset[str] = frozenset(),
            years: frozenset[int] = frozenset(), known: str | None = None) -> str:
        """Index one article (its key-term ``weights``, its report ``day`` as an ordinal) and return its story id.

        ``names`` (:func:`wirewatch.merge.dedup.identity_terms`): an article joins only articles it shares one
        with (a name, figure or date), never by common words alone; nor one whose text names years
        (``years``) when the two name none in common.  ``story_id`` is the id a new story takes;
        ``known`` is a story already given to the article
        (read back from a store, or its duplicate's): it is kept, not chosen again.
        """
        terms = {t: 1.0 + math.log(w) for t, w in weights.items() if w >= 1}
        row = len(self.terms)
        self.terms.append(terms)
        self.days.append(day)
        self.names.append(names)
        self.years.append(years)
        self._norms.append(1.0)
        self._norm_epoch.append(-1)
        for t in terms:
            self.df[t] += 1
        if len(self.terms) >= self._epoch_n * self.s.epoch_growth:
            self._epoch += 1
            self._epoch_n = len(self.terms)
        number = self._story_number.get(known) if known else None
        if number is None and known is None:
            number = self._best_story(row)
        if number is None:
            number = len(self.story_ids)
            sid = known or story_id
            self.story_ids.append(sid)
            self.story_size.append(0)
            self._story_number[sid] = number
        self.story_of.append(number)
        self.story_size[number] += 1
        period = self._period(day)
        if period is not None:
            self._latest = period
        table = self.postings.setdefault(period, {})
        for t in terms:
            hit = table.get(t)
            if hit is None:
                table[t] = array("q", (row,))
            else:
                hit.append(row)
        return self.story_ids[number]

    def _period(self, day: int | None) -> int | None:
        return None if day is None else day // max(1, self.s.window_days)

    def _probes(self, row: int) -> list[str]:
        n = len(self.terms)
        limit = n if n < self.s.min_df_cap else max(2, int(self.s.max_df_share * n))
        weighted = [(w * self._idf(t), t) for t, w in self.terms[row].items() if 2 <= self.df[t] <= limit]
        weighted.sort(key=lambda x: (-x[0], x[1]))
        return [t for _, t in weighted[: self.s.probe_terms]]

    def _best_story(self, row: int) -> int | None:
        probes = self._probes(row)
        if not probes:
            return None
        candidates: set[int] = set()
        period = self._period(self.days[row])
        near = self._latest if period is None else period
        tables = [self.postings.get(None)]
        if near is not None:
            tables += [self.postings.get(near - 1), self.postings.get(near), self.postings.get(near + 1)]
        for table in tables:
            if table:
                for t in probes:
                    candidates.update(table.get(t, ())[-self.s.scan :])
        day, names, years = self.days[row], self.names[row], self.years[row]
        window = self.s.window_days
        mine = self.terms[row]
        idf = {t: self._idf(t) for t in mine}
        norm = self._norm(row)
        sums: dict[int, float] = {}
        for other in candidates:
            od = self.days[other]
            if day is not None and od is not None and abs(day - od) > window:
                continue
            if names.isdisjoint(self.names[other]):
                continue
            if years and self.years[other] and years.isdisjoint(self.years[other]):
                continue
            theirs = self.terms[other]
            dot = 0.0
            for t, w in mine.items():
                v = theirs.get(t)
                if v is not None:
                    i = idf[t]
                    dot += w * v * i * i
            if dot > 0:
                story = self.story_of[other]
                sums[story] = sums.get(story, 0.0) + dot / (norm * self._norm(other))
        best: tuple[float, int] | None = None
        for story, total in sums.items():
            avg = total / self.story_size[story]
            if avg >= self.s.threshold and (best is None or (-avg, story) < best):
                best = (-avg, story)
        return None if best is None else best[1]
