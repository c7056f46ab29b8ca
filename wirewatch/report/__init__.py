"""The situation report's parts: ``summary`` (what it says), ``charts`` (inline SVG), ``html`` and
``markdown`` (how it reads).  The public entry point is :func:`build_report` (module ``build``)."""

from .build import build_report

__all__ = ["build_report"]
