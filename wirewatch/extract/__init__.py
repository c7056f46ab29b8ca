"""Extraction: events, actors, figures and dates from one parsed article."""

from __future__ import annotations

from .mentions import extract_mentions

__all__ = ["extract_mentions"]
