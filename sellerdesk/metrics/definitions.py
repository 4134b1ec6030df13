"""The metrics of R-SLA-5, declared once: label, unit, direction, default limit and warning level.

The page, the API, the per-seller limits and the docs all read this table. Pure data.

`direction` says which side of the limit is good: "max" — the value must not rise above the limit
(late shipment rate), "min" — it must not fall below it (valid tracking rate). A value exactly at
the limit is still within it; beyond it is a breach. The warning level lies before the limit, on
the good side: reaching it (or going past it) is a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _


class Metric(StrEnum):
    CONFIRM_TIME = "confirm_time"
    SHIP_TIME = "ship_time"
    LATE_SHIPMENT = "late_shipment_rate"
    CANCELLATION = "cancellation_rate"
    VALID_TRACKING = "valid_tracking_rate"
    ON_TIME_DELIVERY = "on_time_delivery_rate"
    FEEDBACK = "feedback_rating"


class Unit(StrEnum):
    HOURS = "hours"
    PERCENT = "percent"
    STARS = "stars"


class Standing(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BREACH = "breach"
    NO_DATA = "no_data"


Direction = Literal["max", "min"]


@dataclass(frozen=True)
class MetricDef:
    label: Any
    unit: Unit
    direction: Direction
    limit: Decimal
    warning: Decimal
    help: Any
    counts: Literal["orders", "shipments"]  # what the value is measured over


METRICS: dict[Metric, MetricDef] = {
    Metric.CONFIRM_TIME: MetricDef(
        _("Average time to confirm"),
        Unit.HOURS,
        "max",
        Decimal("24"),
        Decimal("18"),
        _("From placement to confirmation, over the orders placed in the period that were confirmed."),
        "orders",
    ),
    Metric.SHIP_TIME: MetricDef(
        _("Average time to ship"),
        Unit.HOURS,
        "max",
        Decimal("72"),
        Decimal("54"),
        _("From placement to shipping, over the orders placed in the period that were shipped."),
        "orders",
    ),
    Metric.LATE_SHIPMENT: MetricDef(
        _("Late shipment rate"),
        Unit.PERCENT,
        "max",
        Decimal("4"),
        Decimal("3"),
        _("Orders due to ship in the period that shipped after their ship-by time or are still unshipped."),
        "orders",
    ),
    Metric.CANCELLATION: MetricDef(
        _("Cancellation rate (seller-caused)"),
        Unit.PERCENT,
        "max",
        Decimal("2.5"),
        Decimal("1.875"),
        _("Orders placed in the period that the seller cancelled before shipping."),
        "orders",
    ),
    Metric.VALID_TRACKING: MetricDef(
        _("Valid tracking rate"),
        Unit.PERCENT,
        "min",
        Decimal("95"),
        Decimal("96.25"),
        _("Shipments of the period's orders with a tracking number the carrier has scanned."),
        "shipments",
    ),
    Metric.ON_TIME_DELIVERY: MetricDef(
        _("On-time delivery rate"),
        Unit.PERCENT,
        "min",
        Decimal("90"),
        Decimal("92.5"),
        _("Shipments due for delivery that arrived by their expected delivery date."),
        "shipments",
    ),
    Metric.FEEDBACK: MetricDef(
        _("Feedback rating"),
        Unit.STARS,
        "min",
        Decimal("4"),
        Decimal("4.25"),
        _("Average rating (1–5 stars) of the feedback customers left in the period."),
        "orders",
    ),
}

WINDOWS = (7, 30, 90)  # days
SERIES_WEEKS = 13


def shown(v: Decimal | None, unit: Unit) -> str:
    """A value as people read it (the page, the API's clients, `sellerdesk metrics`); none is ""."""
    if v is None:
        return ""
    if unit == Unit.PERCENT:
        return f"{v:.2f} %"
    if unit == Unit.HOURS:
        return f"{v:.1f} h"
    return f"{v:.2f}"


def status_of(value: Decimal | None, direction: Direction, limit: Decimal, warning: Decimal) -> Standing:
    """ok / warning / breach of one value against its limit; no value is "no data", never a number."""
    if value is None:
        return Standing.NO_DATA
    if direction == "max":
        if value > limit:
            return Standing.BREACH
        return Standing.WARNING if value >= warning else Standing.OK
    if value < limit:
        return Standing.BREACH
    return Standing.WARNING if value <= warning else Standing.OK
