"""The situation report's parts: ``summary`` (what it says), ``charts`` (inline SVG), ``html`` and
``markdown`` (how it reads).  The public entry point is :func:`wirewatch.report.build_report`."""
