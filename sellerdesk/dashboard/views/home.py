"""The dashboard home (R-LIST-5): today's counts, new orders, orders near or past a deadline, live alerts,
and the user's note reminders that are due (R-PROC-4)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sellerdesk.accounts.roles import can
from sellerdesk.dashboard import selectors
from sellerdesk.dashboard.permissions import staff_view, user_id_of
from sellerdesk.webhooks.selectors import stopped_by_the_system


@require_GET
@staff_view("order.read")
def home(request: HttpRequest) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    now = timezone.now().replace(microsecond=0)  # whole seconds: `since` marks the boundary exactly
    context = {
        "today": selectors.today_counts(seller=seller),
        "new_orders": selectors.new_orders(seller_id=seller.pk),
        "due_orders": selectors.due_orders(seller_id=seller.pk),
        "reminders": selectors.reminders_due(seller_id=seller.pk, user_id=user_id_of(request), now=now),
        "last_id": selectors.latest_order_id(seller_id=seller.pk),
        "since": int(now.timestamp()),
        "now": now,
        # R-NOTE-7: the notice of webhooks the system disabled, to those who can fix them
        "stopped_webhooks": stopped_by_the_system(seller.pk)
        if can(request.actor.role, "settings.manage")  # type: ignore[attr-defined]  # staff_view sets request.actor
        else [],
    }
    return render(request, "dashboard/home.html", context)


@require_GET
@staff_view("order.read")
def alerts(request: HttpRequest) -> HttpResponse:
    """Polled every few seconds: the orders newer than `after`, the user's reminders that fell due
    after `since` (epoch seconds), and the poller with the new marks."""
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    now = timezone.now().replace(microsecond=0)  # whole seconds: `since` marks the boundary exactly
    try:
        after = max(0, int(request.GET.get("after", "")))
    except ValueError:
        after = selectors.latest_order_id(seller_id=seller.pk)
    try:
        since = dt.datetime.fromtimestamp(int(request.GET.get("since", "")), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        since = now
    fresh = selectors.orders_after(seller_id=seller.pk, after_id=after)
    reminders = selectors.reminders_due(
        seller_id=seller.pk, user_id=user_id_of(request), now=now, since=since
    )
    context = {
        "fresh": fresh,
        "reminders": reminders,
        "last_id": max([after, *[o.pk for o in fresh]]),
        "since": int(now.timestamp()),
    }
    return render(request, "dashboard/partials/alerts.html", context)
