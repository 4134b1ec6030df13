"""Reads for the dashboard home (R-LIST-5): today's counts, new and due orders, live alerts, reminders."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from sellerdesk.accounts.models import Seller
from sellerdesk.orders import deadlines
from sellerdesk.orders.models import Order, OrderNote
from sellerdesk.orders.states import Status

from .models import SavedView

DUE_SOON = dt.timedelta(hours=4)


@dataclass(frozen=True)
class TodayCounts:
    placed: int
    confirmed: int
    shipped: int
    cancelled: int
    revenue: list[tuple[str, Decimal]]  # (currency, amount): the seller's currency first, then others


def start_of_today(seller: Seller, now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    zone: dt.tzinfo
    try:
        zone = zoneinfo.ZoneInfo(seller.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    local = now.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def today_counts(*, seller: Seller, now: dt.datetime | None = None) -> TodayCounts:
    """What happened today in the seller's time zone (test orders left out); revenue per currency."""
    start = start_of_today(seller, now)
    row = (
        Order.objects.filter(seller_id=seller.pk, is_test=False)
        .filter(
            Q(created_at__gte=start)
            | Q(confirmed_at__gte=start)
            | Q(shipped_at__gte=start)
            | Q(delivered_at__gte=start)
            | Q(cancelled_at__gte=start)
        )
        .aggregate(
            placed=Count("id", filter=Q(created_at__gte=start)),
            confirmed=Count("id", filter=Q(confirmed_at__gte=start)),
            shipped=Count("id", filter=Q(shipped_at__gte=start) | Q(delivered_at__gte=start)),
            cancelled=Count("id", filter=Q(cancelled_at__gte=start)),
        )
    )
    by_currency = (
        Order.objects.filter(seller_id=seller.pk, is_test=False, created_at__gte=start)
        .exclude(status=Status.CANCELLED)
        .values("currency")
        .annotate(amount=Sum("total"))
        .order_by()
    )
    revenue = {row["currency"]: row["amount"] for row in by_currency}
    revenue.setdefault(seller.currency, Decimal("0"))
    return TodayCounts(
        placed=row["placed"] or 0,
        confirmed=row["confirmed"] or 0,
        shipped=row["shipped"] or 0,
        cancelled=row["cancelled"] or 0,
        revenue=sorted(revenue.items(), key=lambda item: (item[0] != seller.currency, item[0])),
    )


def new_orders(*, seller_id: int, limit: int = 10) -> list[Order]:
    return list(
        Order.objects.filter(seller_id=seller_id, status=Status.PENDING)
        .select_related("manager")
        .order_by("-created_at", "-id")[:limit]
    )


def due_orders(*, seller_id: int, now: dt.datetime | None = None, limit: int = 10) -> list[Order]:
    """Orders whose live deadline (the deadline policy) is past or within DUE_SOON, most urgent first.

    One query per kind of deadline, each read in deadline order from its (seller, deadline) index.
    """
    now = now or timezone.now()
    merged: list[Order] = []
    for kind, field in deadlines.DEADLINE_FIELDS.items():
        merged += (
            Order.objects.filter(seller_id=seller_id)
            .filter(deadlines.due_within_q(now, DUE_SOON, kinds=[kind]))
            .select_related("manager")
            .order_by(field, "id")[:limit]
        )
    for order in merged:
        live = deadlines.live_deadline(order)
        assert live is not None  # the filter above only matched orders with a live deadline
        order.deadline = live.due  # type: ignore[attr-defined]  # display attributes for the template
        order.deadline_kind = live.kind.value  # type: ignore[attr-defined]  # a display attribute added for the template
        order.is_overdue = live.overdue(now)  # type: ignore[attr-defined]  # a display attribute added for the template
    merged.sort(key=lambda o: o.deadline)  # type: ignore[attr-defined]  # a display attribute added for the template
    return merged[:limit]


def latest_order_id(*, seller_id: int) -> int:
    last = Order.objects.filter(seller_id=seller_id).order_by("-id").values_list("id", flat=True).first()
    return last or 0


def orders_after(*, seller_id: int, after_id: int, limit: int = 20) -> list[Order]:
    """Orders that arrived after `after_id` (the live alerts), newest first."""
    return list(Order.objects.filter(seller_id=seller_id, id__gt=after_id).order_by("-id")[:limit])


def reminders_due(
    *,
    seller_id: int,
    user_id: int,
    now: dt.datetime | None = None,
    since: dt.datetime | None = None,
    limit: int = 20,
) -> list[OrderNote]:
    """The user's own note reminders that are due and not done (R-PROC-4), oldest first.

    With `since`, only those that fell due after it (the live alerts' increment).
    """
    now = now or timezone.now()
    notes = OrderNote.objects.filter(
        author_id=user_id,
        order__seller_id=seller_id,
        remind_at__isnull=False,
        reminder_done_at__isnull=True,
        remind_at__lte=now,
    )
    if since is not None:
        notes = notes.filter(remind_at__gt=since)
    return list(notes.select_related("order").order_by("remind_at", "id")[:limit])


def saved_views_for(*, seller_id: int, user_id: int) -> QuerySet[SavedView]:
    """The user's own views and the ones others of the seller shared."""
    return SavedView.objects.filter(Q(owner_id=user_id) | Q(shared=True), seller_id=seller_id).order_by(
        "name", "id"
    )


def saved_view_get(*, seller_id: int, user_id: int, view_id: int) -> SavedView | None:
    return saved_views_for(seller_id=seller_id, user_id=user_id).filter(pk=view_id).first()


def orders_missing(*, seller_id: int, numbers: list[int]) -> list[int]:
    """The numbers of a selection that are not this seller's orders (unknown or another seller's)."""
    found = set(
        Order.objects.filter(seller_id=seller_id, number__in=numbers).values_list("number", flat=True)
    )
    return [n for n in numbers if n not in found]
