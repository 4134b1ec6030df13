"""GET /api/v1/metrics: the seller metrics of R-SLA-5 over one window, with the weekly series."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import AfterValidator, Field

from sellerdesk.metrics.definitions import WINDOWS, Metric, Standing, Unit
from sellerdesk.metrics.selectors import MetricReport, Reading, as_of, seller_metrics

from . import auth

router = Router(tags=["metrics"])
ERRORS: dict[int, Any] = {}  # error answers are documented from each operation's shape (openapi.py)


def _window(days: int) -> int:
    if days not in WINDOWS:
        raise ValueError(f"window must be one of {', '.join(map(str, WINDOWS))} (days)")
    return days


Window = Annotated[
    int,
    Field(description="Days", json_schema_extra={"enum": list(WINDOWS)}),
    AfterValidator(_window),
]


AsOf = Annotated[
    dt.date | None,
    Field(
        description="Read the metrics as of the end of this day (seller's time zone), from 2000-01-01 to a "
        "year after today (else 422); default: now"
    ),
]


class MetricPointOut(Schema):
    start: dt.datetime = Field(description="Start of the week (inclusive)")
    end: dt.datetime = Field(description="End of the week (exclusive)")
    value: float | None = Field(description="null when there was nothing to measure")
    count: int = Field(description="Orders or shipments the value is measured over")
    status: Standing


class MetricOut(Schema):
    key: Metric
    label: str
    unit: Unit
    direction: Literal["max", "min"] = Field(
        description="max: the value must not rise above the limit; min: it must not fall below it"
    )
    limit: float
    warning: float = Field(description="The warning level, before the limit")
    value: float | None = Field(description="The value over the window; null means no data")
    count: int
    status: Standing
    series: list[MetricPointOut] = Field(description="Weekly values, oldest first")


class MetricsOut(Schema):
    window: int = Field(description="Days")
    as_of: dt.datetime
    metrics: list[MetricOut]


def _num(v: Any) -> float | None:
    return None if v is None else float(v)


def _metric(r: MetricReport, window: int) -> dict[str, Any]:
    w: Reading = r.windows[window]
    return {
        "key": r.metric,
        "label": str(r.definition.label),
        "unit": r.unit,
        "direction": r.direction,
        "limit": float(r.limit),
        "warning": float(r.warning),
        "value": _num(w.value),
        "count": w.count,
        "status": w.status,
        "series": [
            {
                "start": p.period.start,
                "end": p.period.end,
                "value": _num(p.reading.value),
                "count": p.reading.count,
                "status": p.reading.status,
            }
            for p in r.series
        ],
    }


@router.get("", response={200: MetricsOut, **ERRORS}, summary="Seller metrics (R-SLA-5)")
def get_metrics(request: HttpRequest, window: Window = 30, at: AsOf = None) -> dict[str, Any]:
    """Each metric over the last `window` days against its limit, and its weekly series over the
    last 13 weeks — up to now, or up to the end of the day `at` in the seller's time zone. Test
    orders never count (docs/metrics.md)."""
    seller = auth.api_key(request).seller
    now = as_of(seller, at)
    reports = seller_metrics(seller, now=now)
    return {"window": window, "as_of": now, "metrics": [_metric(r, window) for r in reports]}
