"""Type and range checks for the fields of one JSONL line or table row.

A field of the wrong type is that line's failure, naming the field, never a Python ``repr``
stored as text: an id is a string or an integer (not a boolean, not ``NaN`` or ``1e999``);
title, URL and source are strings; a publication day lies within :data:`FIRST_YEAR` to
:data:`LAST_YEAR`; an article's text is at most :data:`MAX_ARTICLE_CHARS` characters, the
most the language model takes in one piece.
"""

from __future__ import annotations

import datetime as dt
import math

FIRST_YEAR, LAST_YEAR = 1900, 2100  # news-wire publication days outside these years are typing errors
MAX_ARTICLE_CHARS = 1_000_000  # spaCy's default ``nlp.max_length``: a longer text is refused by the model


class FieldError(ValueError):
    """A field of one input record that cannot be used, and why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f'"{field}" {reason}')
        self.field = field


def type_name(value: object) -> str:
    """How a JSON value's type reads in a failure reason."""
    return {dict: "an object", list: "a list", bool: "a boolean", float: "a number", int: "a number",
            str: "a string"}.get(type(value), type(value).__name__)


def text_str(value: object, *, field: str) -> str | None:
    """A string field, stripped; None when absent or blank."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FieldError(field, f"must be a string, got {type_name(value)}")
    return value.strip() or None


def external_id(value: object, *, field: str = "id") -> str | None:
    """An id: a string or an integer; a boolean, a fraction or a non-finite number is an error."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise FieldError(field, "must be a string or an integer, got a boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise FieldError(field, f"must be a string or an integer, got the number {value!r}")
        return str(int(value))
    if isinstance(value, str):
        return value.strip() or None
    raise FieldError(field, f"must be a string or an integer, got {type_name(value)}")


def check_day(day: dt.date, *, field: str = "published") -> dt.date:
    """``day`` when its year lies within :data:`FIRST_YEAR`-:data:`LAST_YEAR`, else a :class:`FieldError`."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise FieldError(field, f"is {day.isoformat()}, outside the years {FIRST_YEAR}-{LAST_YEAR}")
    return day


def check_length(text: str, *, field: str = "text") -> str:
    """``text`` when the model can take it whole, else a :class:`FieldError` saying how to split it."""
    if len(text) > MAX_ARTICLE_CHARS:
        raise FieldError(field, f"has {len(text):,} characters, more than the {MAX_ARTICLE_CHARS:,} one article "
                                f"may have; split it into sections, one record each")
    return text
