"""``wirewatch review``: accept, reject, edit, merge or split stored events (see :mod:`wirewatch.review`)."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from typing import Any

import click

from .common import db_option, domain_errors
from ..review import EDITABLE, ReviewAction


def _reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return ""


def _common(f: Callable) -> Callable:
    f = domain_errors(f)
    f = db_option(f)
    f = click.option("--why", "reason", default="", help="Why (kept in the event's history).")(f)
    f = click.option("--by", "reviewer", default=_reviewer, show_default="your user name",
                     help="Who reviews (kept in the event's history).")(f)
    return click.argument("event_id")(f)


def _fields(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in value:
        name, sep, val = item.partition("=")
        if not sep or name.strip() not in EDITABLE:
            raise click.BadParameter(f"{item!r}: expected FIELD=VALUE with FIELD one of {', '.join(EDITABLE)}")
        out[name.strip()] = val.strip()
    return out


def _apply(db: str, action: ReviewAction) -> None:
    from ..store import open_store

    with open_store(db) as store:
        ids = store.review(action)
    click.echo(f"{action.action}: {action.event_id}" + (f" (events now shown: {', '.join(ids)})" if ids else ""),
               err=True)


@click.group()
def review() -> None:
    """Review stored events: what an analyst decides is kept apart from the machine's output, applied to
    every reader (export, report, summary, web) and kept across re-ingests, with who, when and why in
    the event's history (`wirewatch review history ID`)."""


@review.command()
@_common
def accept(event_id: str, reviewer: str, reason: str, db: str) -> None:
    """Mark EVENT_ID as right as coded (it counts as reviewed: `export --reviewed-only`)."""
    _apply(db, ReviewAction(event_id=event_id, action="accept", reviewer=reviewer, reason=reason))


@review.command()
@_common
def reject(event_id: str, reviewer: str, reason: str, db: str) -> None:
    """Reject EVENT_ID: exports, report, summary and dashboard leave it out (`accept` brings it back)."""
    _apply(db, ReviewAction(event_id=event_id, action="reject", reviewer=reviewer, reason=reason))


@review.command()
@click.option("--set", "fields", multiple=True, callback=_fields, metavar="FIELD=VALUE", required=True,
              help=f"A field's value (repeatable; empty VALUE clears it). Fields: {', '.join(EDITABLE)}.")
@_common
def edit(event_id: str, fields: dict[str, Any], reviewer: str, reason: str, db: str) -> None:
    """Set fields of EVENT_ID; the machine never overwrites them (its own value stays in the history)."""
    _apply(db, ReviewAction(event_id=event_id, action="edit", reviewer=reviewer, reason=reason, fields=fields))


@review.command()
@click.option("--into", "target", required=True, metavar="EVENT_ID", help="The event EVENT_ID is the same as.")
@_common
def merge(event_id: str, target: str, reviewer: str, reason: str, db: str) -> None:
    """Merge EVENT_ID into another event: its sources, claims and evidence join that event's."""
    _apply(db, ReviewAction(event_id=event_id, action="merge", reviewer=reviewer, reason=reason, target=target))


@review.command()
@click.option("--article", "article_ids", multiple=True, required=True, metavar="ARTICLE_ID",
              help="A source (article id) that reports another event (repeatable).")
@_common
def split(event_id: str, article_ids: tuple[str, ...], reviewer: str, reason: str, db: str) -> None:
    """Move the named sources of EVENT_ID (with their claims and evidence) to a new reviewed event."""
    _apply(db, ReviewAction(event_id=event_id, action="split", reviewer=reviewer, reason=reason,
                            article_ids=article_ids))


@review.command()
@click.argument("event_id")
@db_option
@domain_errors
def history(event_id: str, db: str) -> None:
    """Print EVENT_ID's history (machine changes and reviews), one JSON object a line."""
    from ..store import open_store

    with open_store(db, readonly=True) as store:
        rows = store.history(event_id)
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))
