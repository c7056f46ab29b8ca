"""The merge bench's inputs: the small case's distinct slices are the large case's data, cut in tenths.

(No timing is asserted here: speed is measured by running ``bench/bench_merge.py`` itself.)
"""

from __future__ import annotations

import importlib.util
import json
import weakref
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_merge.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_merge", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_distinct_slices_partition_the_large_feed(bench):
    feed = bench.make_data(400, per_day=20, fixed_days=None)
    small = bench._Case(feed, 100, runs=4)
    large = bench._Case(feed, 400)
    ids = [a for sl in small.slices for a in sl.articles]
    assert ids == list(large.articles) == list(feed[0])  # consecutive, no overlap, nothing left out
    assert sum(len(sl.mentions) for sl in small.slices) == len(large.mentions) == len(feed[1])
    assert {m.id for sl in small.slices for m in sl.mentions} == {m.id for m in feed[1]}


def test_same_slice_repeats_the_first_slice(bench):
    feed = bench.make_data(300, per_day=20, fixed_days=None)
    case = bench._Case(feed, 100, runs=3, distinct=False)
    assert len(case.slices) == 3 and all(sl is case.slices[0] for sl in case.slices)
    assert list(case.slices[0].articles) == list(feed[0])[:100]


def test_too_few_articles_for_distinct_slices_is_an_error(bench):
    feed = bench.make_data(150, per_day=20, fixed_days=None)
    with pytest.raises(ValueError, match="need 300 articles"):
        bench._Case(feed, 100, runs=3)


def test_bench_runs_end_to_end_and_reports_both_ratios(bench, capsys):
    bench.main(["--small", "40", "--large", "160", "--repeat", "1", "--per-day", "10"])
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["small_distinct_slices"] is True and out["small_runs_per_timing"] == 4
    assert out["small"]["articles"] == 40 and out["large"]["articles"] == 160
    assert out["merge_ratio"] > 0 and out["index_add_ratio"] > 0
    # the small case's mean mentions per slice are the large case's mentions over the slice count
    assert out["small"]["mentions"] == round(out["large"]["mentions"] / 4)


def test_fixed_range_builds_one_feed_per_slice(bench, capsys):
    bench.main(["--small", "30", "--large", "90", "--repeat", "1", "--fixed-range"])
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["fixed_range"] is True and out["small_distinct_slices"] is True



def test_small_runs_keep_their_results_until_the_timing_ends(bench, monkeypatch):
    """By default each small run's index stays alive until all runs of the timing are done, so no run reuses
    memory an earlier one freed; ``reuse_memory`` frees each before the next (earlier versions' way)."""
    feed = bench.make_data(300, per_day=20, fixed_days=None)
    earlier: list[weakref.ref] = []
    alive_when_loading: list[int] = []

    class Watched(bench.ArticleIndex):
        def add_many(self, items):
            alive_when_loading.append(sum(1 for ref in earlier if ref() is not None))
            earlier.append(weakref.ref(self))
            return super().add_many(items)

    monkeypatch.setattr(bench, "ArticleIndex", Watched)
    for reuse, expected in ((False, [0, 1, 2]), (True, [0, 0, 0])):
        earlier.clear()
        alive_when_loading.clear()
        bench._Case(feed, 100, runs=3, reuse_memory=reuse)._add_all()
        assert alive_when_loading == expected
        assert all(ref() is None for ref in earlier)  # all freed once the timed function returns


def test_bracketed_ratio_uses_the_small_timings_on_both_sides(bench):
    # a machine slowing steadily: small timings 1.0, 1.2, 1.4; the large ones in between 11.0, 13.0
    assert bench._paired_ratios([1.0, 1.2, 1.4], [11.0, 13.0], bracketed=True) == pytest.approx([10.0, 10.0])
    assert bench._paired_ratios([1.0, 1.2], [11.0, 13.0], bracketed=False) == pytest.approx([11.0, 13.0 / 1.2])
    with pytest.raises(ValueError, match="one more small timing"):
        bench._paired_ratios([1.0, 1.2], [11.0, 13.0], bracketed=True)


def test_instruction_counter_runs_each_case_without_valgrind(tmp_path):
    """The cases ``bench/instructions_merge.py`` hands to valgrind run as plain functions on a small feed."""
    import pickle

    spec = importlib.util.spec_from_file_location("instructions_merge", BENCH.parent / "instructions_merge.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    bench_spec = importlib.util.spec_from_file_location("bench_merge_for_counts", BENCH)
    bench = importlib.util.module_from_spec(bench_spec)
    bench_spec.loader.exec_module(bench)
    feed = bench.make_data(200, per_day=20, fixed_days=None)
    case = bench._Case(feed, 100, runs=2)
    data = tmp_path / "slices.pickle"
    data.write_bytes(pickle.dumps([(sl.mentions, sl.articles, sl.arts, sl.sigs) for sl in case.slices]))
    for what in ("merge", "index_add"):
        for size in ("none", "small", "large"):
            mod._run_case(data, what, size)  # raises on any mismatch between the slices and the code
    assert mod._REFS.search("==1== I   refs:      4,951,784,332").group(1) == "4,951,784,332"
