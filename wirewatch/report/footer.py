"""Fixed texts of the report's footer: how the figures were made and whose data the report uses."""

from __future__ import annotations

METHOD = (
    "Events are coded automatically from the reports with the ACLED event taxonomy (plus a Displacement type). "
    "Dates are when an event happened, not when it was reported. Fatality figures are ranges: low is the lowest "
    "credible figure, high the highest, best the newest most-cited figure; open bounds such as 'at least 40' count "
    "as 40. Totals add up events that reported a figure; events without one add nothing. A figure is disputed when "
    "two or more sources' newest figures for the same event differ. Locations marked as region-level are placed "
    "at the centre of the province or region named."
)

CREDITS = (
    "Place names and coordinates: GeoNames (geonames.org), licensed CC BY 4.0. "
    "Country outlines: Natural Earth 1:110m (public domain). Event taxonomy: ACLED."
)
