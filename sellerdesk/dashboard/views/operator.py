"""The marketplace operator's area (/operator/): sellers and their tariff plans, balances, payouts and
amount-change requests (R-PAY-8, R-PROC-6). Every id is resolved within the operator's marketplace;
no page shows an order's internal notes."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sellerdesk.core.errors import DomainError, NotFound
from sellerdesk.earnings import changes, selectors
from sellerdesk.earnings import services as earnings

from ..permissions import operator_view


def _user(request: HttpRequest):  # type: ignore[no-untyped-def]  # operator_view admits only a signed-in User
    return request.user


@require_GET
@operator_view
def home(request: HttpRequest) -> HttpResponse:
    market = request.marketplace_id  # type: ignore[attr-defined]  # operator_view sets request.marketplace_id
    context = {
        "rows": selectors.sellers_of_market(marketplace_id=market),
        "plans": selectors.plans_of_market(marketplace_id=market),
        "open_requests": len(selectors.requests_of_market(marketplace_id=market)),
    }
    return render(request, "dashboard/operator/home.html", context)


def _done(request: HttpRequest, target: str, ok: str, call) -> HttpResponse:  # type: ignore[no-untyped-def]  # `call` is any writer
    try:
        call()
    except NotFound:
        raise Http404 from None
    except DomainError as refused:
        messages.error(request, refused.detail)
        return redirect(target)
    messages.success(request, ok)
    return redirect(target)


@require_POST
@operator_view
def assign_plan(request: HttpRequest, seller_id: int) -> HttpResponse:
    plan_id = request.POST.get("plan_id") or None
    return _done(
        request,
        "dashboard:operator_home",
        _("Tariff plan saved."),
        lambda: earnings.plan_assign(operator=_user(request), seller_id=seller_id, plan_id=plan_id),
    )


@require_POST
@operator_view
def payout_create(request: HttpRequest, seller_id: int) -> HttpResponse:
    return _done(
        request,
        "dashboard:operator_payouts",
        _("Payout created."),
        lambda: earnings.payout_create(
            operator=_user(request),
            seller_id=seller_id,
            currency=request.POST.get("currency", ""),
            reference=request.POST.get("reference", ""),
        ),
    )


@operator_view
def plans(request: HttpRequest) -> HttpResponse:
    market = request.marketplace_id  # type: ignore[attr-defined]  # operator_view sets request.marketplace_id
    if request.method == "POST":
        return _save_plan(request, None)
    return render(
        request, "dashboard/operator/plans.html", {"plans": selectors.plans_of_market(marketplace_id=market)}
    )


@require_POST
@operator_view
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _save_plan(request, plan_id)


def _save_plan(request: HttpRequest, plan_id: int | None) -> HttpResponse:
    def save() -> None:
        earnings.plan_save(
            operator=_user(request),
            plan_id=plan_id,
            name=request.POST.get("name", ""),
            percent=request.POST.get("percent", "0"),
            fixed_fee=request.POST.get("fixed_fee", "0"),
            currency=request.POST.get("currency", "EUR"),
            category_rates=earnings.parse_rates(request.POST.get("category_rates", "")),
        )

    return _done(request, "dashboard:operator_plans", _("Tariff plan saved."), save)


@require_GET
@operator_view
def payouts(request: HttpRequest) -> HttpResponse:
    market = request.marketplace_id  # type: ignore[attr-defined]  # operator_view sets request.marketplace_id
    return render(
        request,
        "dashboard/operator/payouts.html",
        {"payouts": selectors.payouts_of_market(marketplace_id=market)},
    )


@require_GET
@operator_view
def payout(request: HttpRequest, payout_id: int) -> HttpResponse:
    market = request.marketplace_id  # type: ignore[attr-defined]  # operator_view sets request.marketplace_id
    found = selectors.payout_of_market(marketplace_id=market, payout_id=payout_id)
    if found is None:
        raise Http404("No such payout.")
    return render(
        request,
        "dashboard/earnings/payout.html",
        {"payout": found, "lines": selectors.statement(found), "for_operator": True},
    )


@require_GET
@operator_view
def requests(request: HttpRequest) -> HttpResponse:
    market = request.marketplace_id  # type: ignore[attr-defined]  # operator_view sets request.marketplace_id
    return render(
        request,
        "dashboard/operator/requests.html",
        {
            "open": selectors.requests_of_market(marketplace_id=market),
            "decided": [
                r
                for r in selectors.requests_of_market(marketplace_id=market, state=None)
                if r.state != "open"
            ][:50],
        },
    )


@require_POST
@operator_view
def request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    return _done(
        request,
        "dashboard:operator_requests",
        _("Request approved.") if approve else _("Request denied."),
        lambda: changes.request_decide(
            operator=_user(request),
            request_id=request_id,
            approve=approve,
            comment=request.POST.get("comment", ""),
        ),
    )
