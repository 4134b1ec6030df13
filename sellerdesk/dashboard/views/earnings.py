"""The seller's balance (R-PAY-8): pending, available, held for refunds and paid out; payout statements."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sellerdesk.earnings import selectors
from sellerdesk.earnings.ledger import balances, plan_of

from ..permissions import staff_view


@require_GET
@staff_view("order.read")
def balance(request: HttpRequest) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    context = {
        "balances": balances(seller_id=seller.pk),
        "plan": plan_of(seller.pk),
        "payouts": selectors.payouts_of(seller_id=seller.pk),
        "recent": selectors.recent_order_earnings(seller_id=seller.pk),
    }
    return render(request, "dashboard/earnings/balance.html", context)


@require_GET
@staff_view("order.read")
def payout(request: HttpRequest, payout_id: int) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    found = selectors.payout_get(seller_id=seller.pk, payout_id=payout_id)
    if found is None:
        raise Http404("No such payout.")
    return render(
        request,
        "dashboard/earnings/payout.html",
        {"payout": found, "lines": selectors.statement(found), "seller": seller},
    )
