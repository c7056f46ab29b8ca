"""Relation words written around a place name: "8 km northwest of al-Bab" (a point offset from al-Bab),
"near X", "in X province", "western Mosul"."""

from __future__ import annotations

import re

from .aliases import BEARINGS, PART_ADJECTIVES

DIRECTIONS = "|".join(sorted((re.escape(k) for k in BEARINGS), key=len, reverse=True))
_OFFSET_BEFORE = re.compile(
    rf"(?:about|around|some|nearly|roughly)?\s*(\d+(?:\.\d+)?)\s*(?:km|kms|kilometers|kilometres|miles?)\b"
    rf"(?:\s*\([^)]*\))?\s+(?:to\s+the\s+)?({DIRECTIONS})\s+of\s+$",
    re.IGNORECASE,
)
_DIR_BEFORE = re.compile(rf"\b(?:just\s+)?(?:to\s+the\s+)?({DIRECTIONS})\s+of\s+$", re.IGNORECASE)
_NEAR_BEFORE = re.compile(r"\b(near|outside|outskirts\s+of|close\s+to|around|south\s+of|north\s+of)\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+|village\s+of\s+)?$", re.IGNORECASE)
_PART_BEFORE = re.compile(r"\b(" + "|".join(sorted(PART_ADJECTIVES, key=len, reverse=True)) + r")\s+$", re.IGNORECASE)
_ADMIN_AFTER = re.compile(r"^[’']?s?\s+(province|governorate|district|region|state|county)\b", re.IGNORECASE)
_MILES_KM = 1.609344


def place_relation(text: str, start: int, end: int) -> tuple[str | None, float | None, float | None]:
    """(relation, distance km, bearing) written around the name at [start, end)."""
    before = text[max(0, start - 80) : start]
    m = _OFFSET_BEFORE.search(before)
    if m:
        km = float(m.group(1))
        if "mile" in m.group(0).lower() and "km" not in m.group(0).lower() and "kilomet" not in m.group(0).lower():
            km *= _MILES_KM
        d = m.group(2).lower()
        return (f"{m.group(1)} km {d} of", km, BEARINGS[d])
    m = _DIR_BEFORE.search(before)
    if m:
        d = m.group(1).lower()
        return (f"{d} of", None, BEARINGS[d])
    m = _ADMIN_AFTER.match(text[end : end + 30])
    if m:
        return (m.group(1).lower(), None, None)
    m = _PART_BEFORE.search(before[-20:])
    if m:
        return (m.group(1).lower(), None, None)
    m = _NEAR_BEFORE.search(before[-40:])
    if m:
        return ("near", None, None)
    return (None, None, None)
