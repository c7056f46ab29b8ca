"""The cyclic-GC pause used by the bulk merge leaves the collector as it found it."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from wirewatch.pipeline.gcpause import collector_paused
from wirewatch.merge.core import merge_mentions
from wirewatch.models import Article, EventMention, Evidence


@pytest.fixture
def gc_enabled():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_inside_restored_after_and_nested(gc_enabled):
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the inner pause must not re-enable the collector early"
    assert gc.isenabled()


def test_an_error_inside_still_restores_the_collector(gc_enabled):
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled(gc_enabled):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_merge_runs_paused_and_restores(gc_enabled, monkeypatch):
    seen: list[bool] = []
    body = "Shelling hit the market in Townsville on Monday."
    art = Article(id="a1", text=body, body=body, published=dt.date(2024, 3, 4),
                  headline="Shelling hits market")
    m = EventMention(id="a1:0", article_id="a1", event_type="Explosions/Remote violence",
                     sub_event_type="Shelling/artillery/missile attack",
                     evidence=[Evidence("a1", art.text, 0, len(art.text))], event_date=dt.date(2024, 3, 4))
    import wirewatch.merge.core as merge_mod

    real = merge_mod.cluster_mentions

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(merge_mod, "cluster_mentions", spy)
    events = merge_mentions([m], {"a1": art})
    assert len(events) == 1 and seen == [False]
    assert gc.isenabled()
