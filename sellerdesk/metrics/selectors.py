"""Computing the metrics of R-SLA-5 with aggregate queries (docs/metrics.md).

Every period ("bucket") — the 7-, 30- and 90-day windows and the 13 weekly points of the charts —
is measured in the same four queries: one over the orders placed in the periods (confirm time,
ship time, cancellation), one over the orders due to ship in them (late shipment), one over the
shipments of the orders placed in them (valid tracking, on-time delivery), one over the feedback
customers left in them (feedback rating). Each query has one
filtered aggregate per period, so the number of queries does not grow with the orders or the
periods. Test orders never count; only the seller's own rows are read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from sellerdesk.conversations.models import Feedback
from sellerdesk.core.errors import InvalidInput
from sellerdesk.orders.methods import HAND_DELIVERED, SELLER_CAUSED_CANCEL_REASONS
from sellerdesk.orders.models import Order
from sellerdesk.shipping.models import Shipment, ShipmentKind, ShippingPoint, TrackingEvent
from sellerdesk.shipping.states import ShipmentStatus

from .definitions import (
    METRICS,
    SERIES_WEEKS,
    WINDOWS,
    Direction,
    Metric,
    MetricDef,
    Standing,
    Unit,
    status_of,
)
from .models import MetricLimit


@dataclass(frozen=True)
class Period:
    start: dt.datetime  # inclusive
    end: dt.datetime  # exclusive


@dataclass(frozen=True)
class Reading:
    value: Decimal | None  # None: nothing to measure in the period ("no data")
    count: int  # how many orders or shipments the value is measured over
    status: Standing


@dataclass(frozen=True)
class Point:
    period: Period
    reading: Reading


@dataclass(frozen=True)
class MetricReport:
    metric: Metric
    definition: MetricDef
    limit: Decimal
    warning: Decimal
    overridden: bool  # the seller set their own limit
    windows: dict[int, Reading]
    series: list[Point]

    @property
    def direction(self) -> Direction:
        return self.definition.direction

    @property
    def unit(self) -> Unit:
        return self.definition.unit


def limits_for(seller_id: int) -> dict[Metric, tuple[Decimal, Decimal, bool]]:
    """Each metric's (limit, warning, overridden): the seller's own where set, else the default."""
    own = {m.metric: m for m in MetricLimit.objects.filter(seller_id=seller_id)}
    out: dict[Metric, tuple[Decimal, Decimal, bool]] = {}
    for metric, d in METRICS.items():
        row = own.get(metric.value)
        out[metric] = (row.limit, row.warning, True) if row else (d.limit, d.warning, False)
    return out


def periods(now: dt.datetime) -> tuple[dict[int, Period], list[Period]]:
    """The windows ending now, and the weekly periods of the charts, oldest first."""
    windows = {days: Period(now - dt.timedelta(days=days), now) for days in WINDOWS}
    weeks = [
        Period(now - dt.timedelta(weeks=SERIES_WEEKS - i), now - dt.timedelta(weeks=SERIES_WEEKS - i - 1))
        for i in range(SERIES_WEEKS)
    ]
    return windows, weeks


def _in(field: str, p: Period) -> Q:
    return Q(**{f"{field}__gte": p.start, f"{field}__lt": p.end})


def _since(field: str, ps: list[Period]) -> Q:
    return Q(**{f"{field}__gte": min(p.start for p in ps), f"{field}__lt": max(p.end for p in ps)})


def _duration(later: str, earlier: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def _hours(avg: Any) -> Decimal | None:
    if avg is None:
        return None
    if not isinstance(avg, dt.timedelta):  # SQLite answers microseconds
        avg = dt.timedelta(microseconds=float(avg))
    return (Decimal(avg.total_seconds()) / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _placed(seller_id: int, ps: list[Period]) -> list[dict[Metric, tuple[Decimal | None, int]]]:
    """Confirm time, ship time and seller-caused cancellation of the orders placed in each period."""
    aggs: dict[str, Any] = {}
    seller_cancel = Q(
        cancelled_at__isnull=False,
        shipped_at__isnull=True,
        cancel_reason__in=[r.value for r in SELLER_CAUSED_CANCEL_REASONS],
    )
    for i, p in enumerate(ps):
        placed = _in("created_at", p)
        confirmed = placed & Q(confirmed_at__isnull=False)
        shipped = placed & Q(shipped_at__isnull=False)
        aggs[f"c{i}"] = Avg(_duration("confirmed_at", "created_at"), filter=confirmed)
        aggs[f"cn{i}"] = Count("id", filter=confirmed)
        aggs[f"s{i}"] = Avg(_duration("shipped_at", "created_at"), filter=shipped)
        aggs[f"sn{i}"] = Count("id", filter=shipped)
        aggs[f"x{i}"] = Count("id", filter=placed & seller_cancel)
        aggs[f"n{i}"] = Count("id", filter=placed)
    row = Order.objects.filter(_since("created_at", ps), seller_id=seller_id, is_test=False).aggregate(**aggs)
    return [
        {
            Metric.CONFIRM_TIME: (_hours(row[f"c{i}"]), row[f"cn{i}"]),
            Metric.SHIP_TIME: (_hours(row[f"s{i}"]), row[f"sn{i}"]),
            Metric.CANCELLATION: (_rate(row[f"x{i}"], row[f"n{i}"]), row[f"n{i}"]),
        }
        for i in range(len(ps))
    ]


def _due_to_ship(
    seller_id: int, ps: list[Period], now: dt.datetime
) -> list[dict[Metric, tuple[Decimal | None, int]]]:
    """Late shipment: of the orders whose ship-by time fell in the period (and has passed), those
    shipped after it or not shipped by it. An order cancelled before its ship-by time without
    being shipped was never due and does not count. A pickup or digital order leaves when staff
    hand it over (delivered, never shipped): its hand-over is its shipping time."""
    due = Q(left_at__isnull=False) | Q(cancelled_at__isnull=True) | Q(cancelled_at__gt=F("ship_by"))
    late = Q(left_at__gt=F("ship_by")) | (
        Q(left_at__isnull=True) & (Q(cancelled_at__isnull=True) | Q(cancelled_at__gt=F("ship_by")))
    )
    aggs: dict[str, Any] = {}
    for i, p in enumerate(ps):
        here = _in("ship_by", p) & Q(ship_by__lte=now) & due
        aggs[f"d{i}"] = Count("id", filter=here)
        aggs[f"l{i}"] = Count("id", filter=here & late)
    row = (
        Order.objects.filter(_since("ship_by", ps), seller_id=seller_id, is_test=False)
        .annotate(left_at=Coalesce("shipped_at", "delivered_at"))
        .aggregate(**aggs)
    )
    return [{Metric.LATE_SHIPMENT: (_rate(row[f"l{i}"], row[f"d{i}"]), row[f"d{i}"])} for i in range(len(ps))]


def valid_tracking() -> Q:
    """A shipment with valid tracking: it has a tracking number, and the carrier scanned it (a
    carrier shipment with at least one tracking event) or the seller entered it for a carrier we
    do not integrate (a manual shipment). Filters a queryset annotated with `scanned`."""
    return ~Q(tracking_number="") & (Q(kind=ShipmentKind.MANUAL) | Q(scanned=True))


def _shipments(
    seller_id: int, ps: list[Period], today: dt.date, tz: ZoneInfo
) -> list[dict[Metric, tuple[Decimal | None, int]]]:
    """Valid tracking and on-time delivery of the shipments of the orders placed in the period.

    Counted: shipments handed over to the carrier and not voided, of orders that travel (not
    picked up, not digital). On time: delivered on or before the expected delivery date (in the
    seller's time zone). A shipment not yet delivered counts only once its date has passed."""
    qs = (
        Shipment.objects.filter(
            _since("order__created_at", ps),
            seller_id=seller_id,
            order__seller_id=seller_id,
            order__is_test=False,
            handed_over_at__isnull=False,
        )
        .exclude(status=ShipmentStatus.CANCELED)
        .exclude(shipping_point=ShippingPoint.PICKUP)
        .exclude(order__shipping_method__in=[m.value for m in HAND_DELIVERED])
        .annotate(
            scanned=Exists(TrackingEvent.objects.filter(shipment=OuterRef("pk"))),
            delivered_day=TruncDate("delivered_at", tzinfo=tz),
        )
    )
    dated = Q(expected_delivery__isnull=False) & (
        Q(delivered_at__isnull=False) | Q(expected_delivery__lt=today)
    )
    on_time = Q(delivered_at__isnull=False, delivered_day__lte=F("expected_delivery"))
    aggs: dict[str, Any] = {}
    for i, p in enumerate(ps):
        here = _in("order__created_at", p)
        aggs[f"t{i}"] = Count("id", filter=here)
        aggs[f"v{i}"] = Count("id", filter=here & valid_tracking())
        aggs[f"e{i}"] = Count("id", filter=here & dated)
        aggs[f"o{i}"] = Count("id", filter=here & dated & on_time)
    row = qs.aggregate(**aggs)
    return [
        {
            Metric.VALID_TRACKING: (_rate(row[f"v{i}"], row[f"t{i}"]), row[f"t{i}"]),
            Metric.ON_TIME_DELIVERY: (_rate(row[f"o{i}"], row[f"e{i}"]), row[f"e{i}"]),
        }
        for i in range(len(ps))
    ]


def _stars(avg: Any) -> Decimal | None:
    if avg is None:
        return None
    return Decimal(str(avg)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _feedback(seller_id: int, ps: list[Period]) -> list[dict[Metric, tuple[Decimal | None, int]]]:
    """Feedback rating: the average of the ratings customers left in the period (R-NOTE-5), each
    order counted once (a changed rating counts with its latest value, in the period it was first
    left). Feedback on test orders never counts."""
    aggs: dict[str, Any] = {}
    for i, p in enumerate(ps):
        here = _in("created_at", p)
        aggs[f"r{i}"] = Avg("rating", filter=here)
        aggs[f"rn{i}"] = Count("id", filter=here)
    row = Feedback.objects.filter(
        _since("created_at", ps), seller_id=seller_id, order__seller_id=seller_id, order__is_test=False
    ).aggregate(**aggs)
    return [{Metric.FEEDBACK: (_stars(row[f"r{i}"]), row[f"rn{i}"])} for i in range(len(ps))]


def measure(
    seller_id: int, ps: list[Period], *, now: dt.datetime, tz: ZoneInfo
) -> list[dict[Metric, tuple[Decimal | None, int]]]:
    """(value, count) of every metric in each period."""
    today = timezone.localtime(now, tz).date()
    out: list[dict[Metric, tuple[Decimal | None, int]]] = [{} for _ in ps]
    for part in (
        _placed(seller_id, ps),
        _due_to_ship(seller_id, ps, now),
        _shipments(seller_id, ps, today, tz),
        _feedback(seller_id, ps),
    ):
        for i, values in enumerate(part):
            out[i].update(values)
    return out


EARLIEST_DAY = dt.date(2000, 1, 1)
DAYS_AHEAD = 366  # a day up to a year ahead: a simulated week (`sellerdesk deadlines --at`) lies ahead


def as_of(seller: Any, day: dt.date | None) -> dt.datetime:
    """The instant the metrics are read at: now, or the end of `day` in the seller's time zone
    (the page, the API and `sellerdesk metrics --at` all take a day and mean this), in UTC.
    A day before 2000 or more than a year ahead is refused (422)."""
    now = timezone.now()
    if day is None:
        return now
    latest = now.date() + dt.timedelta(days=DAYS_AHEAD)
    if not EARLIEST_DAY <= day <= latest:
        raise InvalidInput(
            "invalid_day",
            f"Give a day from {EARLIEST_DAY.isoformat()} to {latest.isoformat()}.",
            field="at",
        )
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=ZoneInfo(seller.time_zone))
    return end.astimezone(dt.UTC)


def seller_metrics(seller: Any, *, now: dt.datetime | None = None) -> list[MetricReport]:
    """Every metric of R-SLA-5 for one seller: the 7-, 30- and 90-day windows ending now and the
    weekly series, each judged against the seller's limits."""
    now = now or timezone.now()
    windows, weeks = periods(now)
    tz = ZoneInfo(seller.time_zone)
    win_list = [windows[d] for d in WINDOWS]
    values = measure(seller.pk, win_list + weeks, now=now, tz=tz)
    limits = limits_for(seller.pk)
    reports = []
    for metric, d in METRICS.items():
        limit, warning, overridden = limits[metric]

        def reading(v: tuple[Decimal | None, int]) -> Reading:
            return Reading(v[0], v[1], status_of(v[0], d.direction, limit, warning))  # noqa: B023  (used at once)

        reports.append(
            MetricReport(
                metric=metric,
                definition=d,
                limit=limit,
                warning=warning,
                overridden=overridden,
                windows={days: reading(values[i][metric]) for i, days in enumerate(WINDOWS)},
                series=[Point(p, reading(values[len(WINDOWS) + i][metric])) for i, p in enumerate(weeks)],
            )
        )
    return reports
