"""The API's query parameters as pydantic models.

One model per endpoint is validated in a single pass (FastAPI's per-parameter path costs about a
millisecond more per request), and each field still appears, with its constraints, in the OpenAPI
document.  Page-size limits depend on the app's settings, so the endpoint models are made by
:func:`endpoint_models`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..models import EVENT_TYPES
from ..filters import parse_filter
from ..filters import EventFilter
from .reads import AGGREGATE_KEYS

GroupBy = Literal[tuple(AGGREGATE_KEYS)]  # type: ignore[valid-type]


class FilterParams(BaseModel):
    """The event filters every event endpoint accepts (all optional; they combine with AND)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    date_from: dt.date | None = Field(None, description="first event date (YYYY-MM-DD)")
    date_to: dt.date | None = Field(None, description="last event date (YYYY-MM-DD)")
    country: str | None = Field(None, min_length=1, max_length=100,
                                description="ISO 3166-1 alpha-2 code or English name, any case")
    admin1: str | None = Field(None, min_length=1, max_length=200, description="first-level division name")
    event_type: str | None = Field(None, max_length=100,
                                   description="ACLED event type, any case: " + ", ".join(EVENT_TYPES))
    sub_event_type: str | None = Field(None, max_length=100, description="ACLED sub-event type, any case")
    actor: str | None = Field(None, min_length=1, max_length=200, description="actor name in any role (any case)")
    min_fatalities: int | None = Field(None, ge=0, le=10_000_000)
    q: str | None = Field(None, min_length=1, max_length=200, description="words in notes or evidence (all)")
    bbox: str | None = Field(None, max_length=200, description="west,south,east,north in degrees")

    def to_filter(self) -> EventFilter:
        """The filter for :mod:`queries` (QueryError, answered 422, says what is wrong and what is accepted)."""
        return parse_filter(date_from=self.date_from, date_to=self.date_to, country=self.country, admin1=self.admin1,
                            event_type=self.event_type, sub_event_type=self.sub_event_type, actor=self.actor,
                            min_fatalities=self.min_fatalities, q=self.q, bbox=self.bbox)


class PageParams(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    cursor: str | None = Field(None, max_length=1000, description="next_cursor of the previous page")


@dataclass(frozen=True)
class EndpointModels:
    events: type[BaseModel]
    map: type[BaseModel]
    aggregates: type[BaseModel]
    articles: type[BaseModel]


def endpoint_models(*, max_page_size: int, max_map_points: int) -> EndpointModels:
    """Query models with this app's limits (a larger page or point count is a 422)."""
    limit = (int, Field(50, ge=1, le=max_page_size, description=f"page size, at most {max_page_size}"))
    return EndpointModels(
        events=create_model(
            "EventListParams", __base__=(FilterParams, PageParams), limit=limit,
            count=(bool, Field(False, description="also return the number of matching events"))),
        map=create_model(
            "MapParams", __base__=FilterParams,
            max_points=(int, Field(2000, ge=1, le=max_map_points,
                                   description="more matching events than this come back as grid clusters"))),
        aggregates=create_model(
            "AggregateParams", __base__=FilterParams,
            by=(GroupBy, Field("day", description="what to group by")),
            limit=(int, Field(1000, ge=1, le=5000, description="at most this many groups"))),
        articles=create_model("ArticleListParams", __base__=PageParams, limit=limit),
    )
