"""wirewatch: news-wire text in, a sourced, dated, geolocated, deduplicated database of conflict events out."""

__version__ = "0.1.0"
