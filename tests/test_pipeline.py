"""The stage registry: versioned names, order checked before any article runs."""

from __future__ import annotations

import pytest

from wirewatch.config import DEFAULT_STAGES, Settings
from wirewatch.errors import PipelineOrderError, UnknownStage
from wirewatch.models import Article
from wirewatch.pipeline.registry import REGISTRY, Pipeline, Resources, check_order, stage


def test_default_order_is_valid_and_every_stage_is_versioned():
    stages = check_order(DEFAULT_STAGES)
    assert [s.name for s in stages] == list(DEFAULT_STAGES)
    for name in REGISTRY:
        family, version = name.split(".", 1)
        assert family and version.startswith("v"), name
        assert REGISTRY[name].doc, f"stage {name} needs a docstring (shown by `wirewatch stages`)"


def test_order_error_names_the_missing_input():
    with pytest.raises(PipelineOrderError, match="locate.v2 requires places"):
        check_order(["nlp.v1", "events.v2", "locate.v2"])


def test_unknown_stage_lists_the_choices():
    with pytest.raises(UnknownStage, match="registered: .*events.v2"):
        check_order(["nlp.v1", "events.v9"])


def test_unversioned_stage_name_is_refused():
    with pytest.raises(ValueError, match="must carry a version"):
        stage("tokenise")


def test_pipeline_runs_stages_in_order_and_records_versions():
    calls = []

    @stage("probe_a.v1", provides=("doc",))
    def probe_a(state, res):
        """test stage"""
        calls.append("a")
        state.doc = "doc"

    @stage("probe_b.v2", requires=("doc",), provides=("mentions",))
    def probe_b(state, res):
        """test stage"""
        calls.append("b")
        from wirewatch.models import EventMention

        state.mentions = [EventMention(id="x:0", article_id="x", event_type="Battles",
                                       sub_event_type="Armed clash", evidence=[])]

    try:
        settings = Settings(stages=("probe_a.v1", "probe_b.v2"))
        pipe = Pipeline(settings, Resources(settings))
        state = pipe.run(Article(id="x", text="t", body="t"))
        assert calls == ["a", "b"]
        assert state.mentions[0].stages == {"probe_a": "probe_a.v1", "probe_b": "probe_b.v2"}
    finally:
        REGISTRY.pop("probe_a.v1", None)
        REGISTRY.pop("probe_b.v2", None)


def _records(events):
    out = []
    for e in events:
        r = e.to_record()
        r.pop("id")
        out.append(json_dumps(r))
    return sorted(out)


def json_dumps(r):
    import json

    return json.dumps(r, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def wire_articles(sample_wire):
    from wirewatch.ingest import infer_published, split_articles
    from wirewatch.models import RawInput

    arts = split_articles(RawInput(origin="sample", text=sample_wire.read_text()))
    infer_published(arts)
    return arts


def test_run_many_equals_one_article_at_a_time(wire_articles):
    import dataclasses

    pipe = Pipeline(Settings())
    one = [[(m.id, m.event_type, m.location, m.stages) for m in pipe.run(dataclasses.replace(a)).mentions]
           for a in wire_articles]
    many = [[(m.id, m.event_type, m.location, m.stages) for m in state.mentions]
            for _a, state, _err in pipe.run_many([dataclasses.replace(a) for a in wire_articles], batch_size=4)]
    assert many == one
    assert sum(map(len, one)) > 5 and one[0][0][3]["nlp"] == "nlp.v2"


def test_run_many_isolates_the_article_that_fails():
    calls = []

    @stage("probe_batch.v1", provides=("doc",))
    def probe(state, res):
        """test stage"""
        calls.append(state.article.id)
        if state.article.text == "bad":
            raise ValueError("cannot parse this one")
        state.doc = state.article.text

    from wirewatch.pipeline.registry import batched

    @batched("probe_batch.v1")
    def probe_many(states, res):
        if any(s.article.text == "bad" for s in states):
            raise ValueError("one bad article sinks the batch call")
        for s in states:
            s.doc = s.article.text

    try:
        settings = Settings(stages=("probe_batch.v1",))
        pipe = Pipeline(settings, Resources(settings))
        arts = [Article(id=str(i), text=t, body=t) for i, t in enumerate(["a", "bad", "c", "d", "e"])]
        out = list(pipe.run_many(arts, batch_size=3))
        assert [a.id for a, _s, _e in out] == ["0", "1", "2", "3", "4"]
        assert [s.doc if s else None for _a, s, _e in out] == ["a", None, "c", "d", "e"]
        assert isinstance(out[1][2], ValueError) and all(e is None for i, (_a, _s, e) in enumerate(out) if i != 1)
        assert calls == ["0", "1", "2"]  # only the failing batch went one by one
    finally:
        REGISTRY.pop("probe_batch.v1", None)


def test_parallel_run_gives_the_serial_result(sample_wire, tmp_path):
    """Two worker processes store exactly the events one process stores (ids aside: they are equal too)."""
    from wirewatch.pipeline.batch import extract

    serial = extract([str(sample_wire)], settings=Settings(workers=1))
    parallel = extract([str(sample_wire)], settings=Settings(workers=2, batch_size=3))
    assert not serial.failures and not parallel.failures
    assert len(serial.events) > 5
    assert [e.id for e in parallel.events] == [e.id for e in serial.events]
    assert _records(parallel.events) == _records(serial.events)


def test_auto_workers_stays_in_process_for_small_inputs(sample_wire, monkeypatch):
    import wirewatch.pipeline.pool as parallel
    from wirewatch.pipeline.batch import extract

    def no_pool(*a, **k):
        raise AssertionError("a small input must not start a pool")

    monkeypatch.setattr(parallel, "run_parallel", no_pool)
    res = extract([str(sample_wire)], settings=Settings(workers=0))
    assert not res.failures and res.events


def test_a_stopped_parallel_run_ends_its_workers_without_running_the_queue():
    """Ctrl-C (or a caller that stops reading) must not wait for every queued chunk: the workers end and
    no queued chunk runs. Each future ends cancelled or failed (which one depends on whether the executor's
    manager thread drains the queue before it notices the terminated workers), never with a result."""
    import time

    from wirewatch.pipeline.pool import process_pool, stop_now

    pool = process_pool(workers=2)
    futures = [pool.submit(time.sleep, 60) for _ in range(8)]
    while sum(f.running() for f in futures) < 2:  # work handed to the workers
        time.sleep(0.05)
    workers = list(pool._processes.values())
    stop_now(pool)

    def ended() -> bool:  # the executor's manager thread may be reaping a worker at the same moment
        return all(f.done() for f in futures) and not any(p.is_alive() for p in workers)

    deadline = time.monotonic() + 30  # a run of the queue would take minutes (8 x 60 s on 2 workers)
    while not ended() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers and ended()
    assert all(f.cancelled() or f.exception() is not None for f in futures)
    pool.shutdown(wait=True)  # returns: nothing left to run
