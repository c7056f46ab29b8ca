"""The API's write side: analysts' reviews of events (see :mod:`wirewatch.review`).

Off unless the server was started with a review token (``wirewatch serve --review-token TOKEN``).  A
request proves it holds the token in the ``Authorization: Bearer TOKEN`` header, which a browser never
sends by itself to another site's form or link (no cookie is read or set), so a page elsewhere cannot
make an analyst's browser write: no header -> 401, a wrong token or reviewing off -> 403.  Each write
opens the database read-write for that request only; the readers' caches and column snapshot follow
the database's data version, so every read after a review sees it.
"""

from __future__ import annotations

import hmac
import logging
from typing import Literal

from fastapi import FastAPI, Path as PathParam, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..review import ReviewAction, ReviewError

log = logging.getLogger(__name__)


class ReviewBody(BaseModel):
    """One review action.  ``fields`` for edit, ``target`` for merge, ``article_ids`` for split."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["accept", "reject", "edit", "merge", "split"]
    reviewer: str = Field(..., min_length=1, max_length=200, description="who reviews")
    reason: str = Field("", max_length=2000, description="why (kept in the event's history)")
    fields: dict[str, str | int | float | None] = Field(default_factory=dict, description="edit: field -> value")
    target: str | None = Field(None, max_length=200, description="merge: the event this one is the same as")
    article_ids: list[str] = Field(default_factory=list, max_length=200, description="split: sources that move")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status,
                        headers={"WWW-Authenticate": "Bearer"} if status == 401 else None)


def check_token(request: Request, token: str | None) -> JSONResponse | None:
    """None when ``request`` carries ``token`` in its Authorization header, else the 401/403 answer."""
    header = request.headers.get("authorization")
    if not header:
        return _error(401, "review needs 'Authorization: Bearer TOKEN' (the server's --review-token)")
    if token is None:
        return _error(403, "reviewing is off: start the server with --review-token")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        return _error(403, "wrong review token")
    return None


def add_review_routes(app: FastAPI, db_path: str, *, token: str | None) -> None:
    """``POST /api/events/{event_id}/review`` on ``app`` (an event's history is in ``GET /api/events/{id}``)."""

    @app.post("/api/events/{event_id}/review", summary="Accept, reject, edit, merge or split an event (token needed)")
    def review(request: Request, body: ReviewBody, event_id: str = PathParam(..., max_length=200)) -> JSONResponse:
        denied = check_token(request, token)
        if denied is not None:
            return denied
        from ..store import open_store

        action = ReviewAction(event_id=event_id, action=body.action, reviewer=body.reviewer, reason=body.reason,
                              fields=dict(body.fields), target=body.target, article_ids=tuple(body.article_ids))
        try:
            with open_store(db_path) as store:
                shown = store.review(action)
        except ReviewError as exc:
            status = 404 if str(exc).startswith("no event") else 422
            return _error(status, str(exc))
        return JSONResponse({"ok": True, "action": body.action, "event_id": event_id, "shown": shown})
