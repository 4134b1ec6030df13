"""POST actions that change an order's lines or amount (R-PROC-6) and handle out of stock (R-PROC-7).

Each calls one service of `sellerdesk.earnings.changes`; a refusal or bad input comes back as a
message on the order page (never a 500), a viewer gets 403 (`staff_view`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sellerdesk.core.errors import DomainError, InvalidInput, NotFound
from sellerdesk.earnings import changes
from sellerdesk.earnings.models import AmountChangeRequest

from ..permissions import staff_view
from .order_actions import _after, _refused
from .order_page import load_order


def _int(value: str, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput("invalid_quantity", _("A quantity is a whole number."), field=field) from None


def _run(request: HttpRequest, number: int, call: Any, done: str) -> HttpResponse:
    load_order(request, number)  # 404 before anything else for another seller's order
    try:
        result = call()
    except NotFound as error:  # another seller's line is as unknown as a line that does not exist
        raise Http404(error.detail) from None
    except DomainError as error:
        return _refused(request, number, error)
    if isinstance(result, AmountChangeRequest):
        messages.success(request, _("The amount change was sent to the marketplace for approval."))
    else:
        messages.success(request, done)
    return _after(request, number)


@require_POST
@staff_view("order.act")
def order_change(request: HttpRequest, number: int) -> HttpResponse:
    """Lines (q-<id>, p-<id>), a new line (add_sku, add_quantity), the discount; or a new total."""
    post = request.POST
    seller_id, actor = request.seller.pk, request.actor  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    reason = post.get("reason", "")

    def call() -> Any:
        if post.get("total", "").strip():
            return changes.order_change_amount(
                seller_id=seller_id, number=number, actor=actor, total=post["total"], reason=reason
            )
        order = load_order(request, number)
        edits = []
        for line in order.lines.all():
            live = line.quantity - line.quantity_cancelled
            qty, price = post.get(f"q-{line.pk}", "").strip(), post.get(f"p-{line.pk}", "").strip()
            edit = changes.LineEdit(
                line_id=line.pk,
                quantity=_int(qty, "quantity") if qty and _int(qty, "quantity") != live else None,
                unit_price=price if price else None,  # type: ignore[arg-type]  # a decimal string; the service parses it
            )
            if edit.quantity is not None or edit.unit_price is not None:
                edits.append(edit)
        sku = post.get("add_sku", "").strip()
        if sku:
            edits.append(
                changes.LineEdit(sku=sku, quantity=_int(post.get("add_quantity", "1") or "1", "quantity"))
            )
        discount = post.get("discount", "").strip()
        return changes.order_edit_lines(
            seller_id=seller_id,
            number=number,
            actor=actor,
            edits=edits,
            reason=reason,
            discount=discount if discount and discount != str(order.discount) else None,
        )

    return _run(request, number, call, _("Order changed."))


@require_POST
@staff_view("order.act")
def line_substitute(request: HttpRequest, number: int, line_id: int) -> HttpResponse:
    seller_id, actor = request.seller.pk, request.actor  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    return _run(
        request,
        number,
        lambda: changes.line_substitute(
            seller_id=seller_id,
            number=number,
            actor=actor,
            line_id=line_id,
            sku=request.POST.get("sku", "").strip(),
            agreement=request.POST.get("agreement", ""),
        ),
        _("Line substituted."),
    )


@require_POST
@staff_view("order.act")
def line_cancel(request: HttpRequest, number: int, line_id: int) -> HttpResponse:
    seller_id, actor = request.seller.pk, request.actor  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    return _run(
        request,
        number,
        lambda: changes.line_cancel(
            seller_id=seller_id,
            number=number,
            actor=actor,
            line_id=line_id,
            quantity=_int(request.POST.get("quantity", ""), "quantity"),
            reason=request.POST.get("reason", "out_of_stock"),
        ),
        _("Units cancelled."),
    )
