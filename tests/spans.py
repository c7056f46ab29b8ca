"""Test helper: character spans of names in a text."""

from __future__ import annotations

from collections.abc import Iterable


def spans_of(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """The (start, end) of each of ``names`` in ``text``, each found after the previous one."""
    out, at = [], 0
    for n in names:
        i = text.index(n, at)
        out.append((i, i + len(n)))
        at = i + len(n)
    return out
