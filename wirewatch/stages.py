"""The built-in per-article stages.  Each is a thin adapter over its module."""

from __future__ import annotations

from .pipeline import ArticleState, Resources, stage


@stage("nlp.v1", provides=("doc",))
def nlp_v1(state: ArticleState, res: Resources) -> None:
    """spaCy's English pipeline over the article body."""
    state.doc = res.nlp(state.article.body)


@stage("geoparse.v1", requires=("doc",), provides=("places",))
def geoparse_v1(state: ArticleState, res: Resources) -> None:
    """Gazetteer-driven toponym recognition and resolution over the body."""
    state.places = res.geoparser.parse(state.article.body, doc=state.doc, article=state.article)


@stage("events.v1", requires=("doc",), provides=("mentions",))
def events_v1(state: ArticleState, res: Resources) -> None:
    """Event detection, typing, actors, figures and dates, one article at a time."""
    from .extract import extract_mentions

    state.mentions = extract_mentions(state.article, state.doc, actors=res.actors)


@stage("locate.v1", requires=("places", "mentions"), provides=("locations",))
def locate_v1(state: ArticleState, res: Resources) -> None:
    """Pick where each event happened from the article's resolved places."""
    res.geoparser.locate(state.article, state.mentions, state.places, doc=state.doc)
