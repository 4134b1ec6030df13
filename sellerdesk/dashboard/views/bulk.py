"""Bulk actions on a selection of the orders list (R-LIST-6): confirm, assign manager, mark paid, export,
and print packing slips or labels as one PDF (R-FUL-8)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sellerdesk.accounts.roles import can
from sellerdesk.core.errors import DomainError
from sellerdesk.dashboard import services
from sellerdesk.dashboard.permissions import staff_view
from sellerdesk.dashboard.selectors import orders_missing
from sellerdesk.orders import exports
from sellerdesk.shipping import printing
from sellerdesk.shipping import selectors as ship_selectors

from .export import csv_response
from .orders_list import read_filter

MAX_BULK = 5000
PERMISSION = {
    "confirm": "order.act",
    "mark_paid": "order.act",
    "assign": "order.assign",
    "export_csv": "order.read",
    "print_slips": "order.read",
    "print_labels": "order.read",
}
ACTION_LABELS = {
    "confirm": gettext_lazy("Confirm"),
    "mark_paid": gettext_lazy("Mark as paid"),
    "assign": gettext_lazy("Assign manager"),
    "export_csv": gettext_lazy("Export"),
    "print_slips": gettext_lazy("Print packing slips"),
    "print_labels": gettext_lazy("Print labels"),
}


def _error(request: HttpRequest, message: str, query: str, status: int = 400) -> HttpResponse:
    return render(
        request,
        "dashboard/orders/bulk_result.html",
        {"error": message, "query": query, "results": [], "action_label": ""},
        status=status,
    )


@require_POST
@staff_view("order.read")
def bulk(request: HttpRequest) -> HttpResponseBase:
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    action = request.POST.get("action", "")
    lf = read_filter(QueryDict(request.POST.get("query", "")))
    query = lf.query
    if action not in PERMISSION:
        return _error(request, _("Choose an action."), query)
    if not can(request.user.role, PERMISSION[action]):  # type: ignore[union-attr]  # staff_view admits only a signed-in User
        return HttpResponseForbidden(_("Your role may not do this."))
    if lf.flt is None:
        return _error(request, _("The search of this selection is not valid."), query)

    if request.POST.get("all_matching") == "1":
        qs = exports.export_queryset(seller_id=seller.pk, flt=lf.flt, region=seller.country)
        numbers = list(qs.values_list("number", flat=True)[: MAX_BULK + 1])
        if len(numbers) > MAX_BULK:
            return _error(
                request,
                _("At most %(n)s orders at once; narrow the search.") % {"n": f"{MAX_BULK:,}"},
                query,
            )
    else:
        try:
            numbers = list(dict.fromkeys(int(n) for n in request.POST.getlist("numbers")))
        except ValueError:
            return _error(request, _("The selection holds something that is not an order number."), query)
        if len(numbers) > MAX_BULK:
            return _error(request, _("Too many orders selected."), query)
    if not numbers:
        return _error(request, _("Select at least one order."), query)

    manager_id = None
    if action == "assign":
        raw = request.POST.get("manager_id", "")
        if raw == "none":
            manager_id = None
        elif raw.isdigit():
            manager_id = int(raw)
        else:
            return _error(request, _("Choose the manager to assign."), query)

    if orders_missing(seller_id=seller.pk, numbers=numbers):  # unknown or another seller's (R-SEC-2)
        return _error(request, _("An order of this selection was not found."), query, 404)

    if action == "export_csv":
        return csv_response(seller, lf.flt, numbers=numbers)
    if action in ("print_slips", "print_labels"):
        return _print(request, action, numbers, query)

    try:
        results = services.bulk_run(
            seller_id=seller.pk,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            action=action,
            numbers=numbers,
            manager_id=manager_id,
        )
    except DomainError as error:
        return _error(request, error.detail, query, 404 if error.status == 404 else 400)
    done = [r for r in results if r.ok]
    refused = [r for r in results if not r.ok]
    return render(
        request,
        "dashboard/orders/bulk_result.html",
        {
            "results": results,
            "done": done,
            "refused": refused,
            "action_label": ACTION_LABELS[action],
            "query": query,
        },
    )


def _print(request: HttpRequest, action: str, numbers: list[int], query: str) -> HttpResponseBase:
    """One PDF for the whole selection: a packing slip per order, or every label of its shipments."""
    seller_id = request.seller.pk  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    if action == "print_slips":
        orders = ship_selectors.orders_to_print(seller_id=seller_id, numbers=numbers)
        return printing.pdf_response(printing.packing_slips(orders), "packing-slips.pdf")
    shipments = ship_selectors.shipments_to_print(seller_id=seller_id, numbers=numbers)
    try:
        content = printing.labels_pdf(shipments)
    except DomainError as error:  # nothing to print yet, or the carrier failed
        return _error(request, error.detail, query, 409 if error.status == 409 else 502)
    return printing.pdf_response(content, "labels.pdf")
