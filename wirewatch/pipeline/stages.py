"""The built-in per-article stages.  Each is a thin adapter over its module."""

from __future__ import annotations

from .registry import ArticleState, Resources, batched, stage
from ..nlp.prefilter import prefilter


@stage("nlp.v1", provides=("doc",))
def nlp_v1(state: ArticleState, res: Resources) -> None:
    """spaCy's English pipeline over the article body."""
    state.doc = res.nlp(state.article.body)


@batched("nlp.v1")
def nlp_v1_batch(states: list[ArticleState], res: Resources) -> None:
    for state, doc in zip(states, res.nlp.pipe([s.article.body for s in states], batch_size=len(states))):
        state.doc = doc


@stage("nlp.v2", provides=("doc",))
def nlp_v2(state: ArticleState, res: Resources) -> None:
    """spaCy over the paragraphs that can hold an event (the lede, paragraphs with an event cue and
    their neighbours); the others are blanked with same-length whitespace, so offsets hold."""
    state.doc = res.nlp(prefilter(state.article.body).text)


@batched("nlp.v2")
def nlp_v2_batch(states: list[ArticleState], res: Resources) -> None:
    texts = [prefilter(s.article.body).text for s in states]
    for state, doc in zip(states, res.nlp.pipe(texts, batch_size=len(states))):
        state.doc = doc


@stage("geoparse.v1", requires=("doc",), provides=("places",))
def geoparse_v1(state: ArticleState, res: Resources) -> None:
    """Gazetteer-driven toponym recognition and resolution over the body."""
    state.places = res.geoparser.parse(state.article.body, doc=state.doc, article=state.article)


@stage("events.v2", requires=("doc",), provides=("mentions",))
def events_v2(state: ArticleState, res: Resources) -> None:
    """Event detection, typing (rules and the learned typer v2), actors, figures and dates, one article at a time."""
    from ..extract import extract_mentions

    state.mentions = extract_mentions(state.article, state.doc, actors=res.actors)


@stage("locate.v2", requires=("places", "mentions"), provides=("locations",))
def locate_v2(state: ArticleState, res: Resources) -> None:
    """Where each event happened: its own sentence first, bound to the story's home country, never a continent."""
    res.geoparser.locate(state.article, state.mentions, state.places, doc=state.doc)


@stage("naming.v1", requires=("mentions", "locations"), provides=("acled_names",))
def naming_v1(state: ArticleState, res: Resources) -> None:
    """ACLED's names once the place is known: the country as ACLED writes it, and generic actors
    ("Police Forces", "Protesters") named after the country the event happened in."""
    from ..extract.naming import name_event

    for m in state.mentions:
        name_event(m)
