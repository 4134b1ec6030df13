"""The dashboard home (R-LIST-5): today's counts, new orders, orders near or past a deadline, live alerts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sellerdesk.dashboard import selectors
from sellerdesk.dashboard.permissions import staff_view


@require_GET
@staff_view("order.read")
def home(request: HttpRequest) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]
    context = {
        "today": selectors.today_counts(seller=seller),
        "new_orders": selectors.new_orders(seller_id=seller.pk),
        "due_orders": selectors.due_orders(seller_id=seller.pk),
        "last_id": selectors.latest_order_id(seller_id=seller.pk),
        "now": timezone.now(),
    }
    return render(request, "dashboard/home.html", context)


@require_GET
@staff_view("order.read")
def alerts(request: HttpRequest) -> HttpResponse:
    """Polled every few seconds: the orders newer than `after`, and the poller with the new mark."""
    seller = request.seller  # type: ignore[attr-defined]
    try:
        after = max(0, int(request.GET.get("after", "")))
    except ValueError:
        after = selectors.latest_order_id(seller_id=seller.pk)
    fresh = selectors.orders_after(seller_id=seller.pk, after_id=after)
    last_id = max([after, *[o.pk for o in fresh]])
    return render(request, "dashboard/partials/alerts.html", {"fresh": fresh, "last_id": last_id})
