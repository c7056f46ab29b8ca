"""The stage registry: versioned names, order checked before any article runs."""

from __future__ import annotations

import pytest

from wirewatch.config import DEFAULT_STAGES, Settings
from wirewatch.errors import PipelineOrderError, UnknownStage
from wirewatch.models import Article
from wirewatch.pipeline import REGISTRY, Pipeline, Resources, check_order, stage


def test_default_order_is_valid_and_every_stage_is_versioned():
    stages = check_order(DEFAULT_STAGES)
    assert [s.name for s in stages] == list(DEFAULT_STAGES)
    for name in REGISTRY:
        family, version = name.split(".", 1)
        assert family and version.startswith("v"), name
        assert REGISTRY[name].doc, f"stage {name} needs a docstring (shown by `wirewatch stages`)"


def test_order_error_names_the_missing_input():
    with pytest.raises(PipelineOrderError, match="locate.v1 requires places"):
        check_order(["nlp.v1", "events.v1", "locate.v1"])


def test_unknown_stage_lists_the_choices():
    with pytest.raises(UnknownStage, match="registered: .*events.v1"):
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
