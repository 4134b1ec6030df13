"""The order page (R-PROC-1): everything about one order, with the actions its state and role allow."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.roles import can
from sellerdesk.accounts.selectors import assignable_managers
from sellerdesk.catalog.selectors import product_images
from sellerdesk.core.errors import NotFound
from sellerdesk.core.events import describe_row
from sellerdesk.customers.selectors import customer_panel
from sellerdesk.earnings.changes import EDITABLE
from sellerdesk.orders import deadlines, methods, selectors
from sellerdesk.orders.models import Order
from sellerdesk.orders.states import Action, Status
from sellerdesk.payments.ledger import balance_of

from ..forms import CancelForm, ManagerForm, MarkPaidForm, NoteForm, RefundForm, error_list
from ..permissions import staff_view
from .shipping_panel import bound_forms, shipping_context

ACTION_LABELS = {
    Action.CONFIRM: gettext_lazy("Confirm"),
    Action.PROCESS: gettext_lazy("Start processing"),
    Action.DELIVER: gettext_lazy("Mark delivered"),
    Action.CLOSE: gettext_lazy("Close order"),
    Action.CANCEL: gettext_lazy("Cancel order"),
}


ADDRESS_LABELS = (
    ("country", gettext_lazy("Country")),
    ("region", gettext_lazy("Region")),
    ("city", gettext_lazy("City")),
    ("city_area", gettext_lazy("District")),
    ("postal_code", gettext_lazy("Postal code")),
    ("line1", gettext_lazy("Street address")),
    ("line2", gettext_lazy("Address line 2")),
    ("sorting_code", gettext_lazy("Sorting code")),
)
ADDRESS_PROBLEMS = {
    "required": gettext_lazy("required for this country"),
    "invalid": gettext_lazy("not valid for this country"),
    "invalid_choice": gettext_lazy("not a known value for this country"),
}


def address_rows(order: Order) -> list[tuple[Any, str, Any]]:
    """(label, value, problem) for each address field that has a value or a problem (R-PROC-9)."""
    address = order.shipping_address or {}
    errors = order.address_errors or {}
    rows = []
    for key, label in ADDRESS_LABELS:
        value, problem = address.get(key, ""), errors.get(key)
        if value or problem:
            rows.append((label, value, ADDRESS_PROBLEMS.get(problem, problem) if problem else None))
    if "address" in errors:
        rows.append((gettext_lazy("Address"), "", ADDRESS_PROBLEMS["required"]))
    return rows


def load_order(request: HttpRequest, number: int) -> Order:
    """The seller's order, or 404 (another seller's order does not exist for this user)."""
    try:
        return selectors.order_get(seller_id=request.seller.pk, number=number)  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    except NotFound:
        raise Http404(_("There is no such order.")) from None


def order_context(request: HttpRequest, order: Order, **forms: Any) -> dict[str, Any]:
    """What the order panel shows. A constant number of queries whatever the order's size."""
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    role = request.user.role  # type: ignore[union-attr]  # staff_view admits only a signed-in User
    may_act = can(role, "order.act")
    actions = selectors.order_actions(order, Actor.staff(request.user))  # type: ignore[arg-type]  # staff_view: a logged-in User
    lines = list(order.lines.all())
    images = product_images(seller_id=seller.pk, product_ids=[line.product_id for line in lines])
    for line in lines:
        line.image_url = images.get(line.product_id, "")  # type: ignore[attr-defined]  # a display attribute added for the template
        line.open_quantity = line.quantity - line.quantity_cancelled  # type: ignore[attr-defined]  # a display attribute added for the template
    payments = list(order.payments.all())
    events = selectors.order_timeline(order=order)
    for event in events:
        event.sentence = describe_row(event.type, event.data, event.version)  # type: ignore[attr-defined]  # a display attribute added for the template
    staff = assignable_managers(seller_id=seller.pk) if can(role, "order.assign") else []
    now = timezone.now()
    open_ = order.status not in (Status.CLOSED, Status.CANCELLED)
    live = deadlines.live_deadline(order)
    overdue_kind = live.kind if live is not None and live.overdue(now) else None
    balance = balance_of(order, payments)
    outstanding = balance.outstanding
    due = balance.refund_due
    bound = [
        forms.get(k)
        for k in ("cancel_form", "paid_form", "refund_form", "manager_form", "note_form", "edit_note_form")
    ]
    return {
        "order": order,
        "seller": seller,
        "lines": lines,
        "payments": payments,
        "events": events,
        "notes": list(order.notes.all()),
        "panel": customer_panel(customer=order.customer),
        "may_act": may_act,
        "may_assign": can(role, "order.assign"),
        "is_open": open_,
        "actions": {a.value: ACTION_LABELS[a] for a in actions},
        "can_mark_paid": may_act and open_ and outstanding > 0,
        "can_change_customer": may_act and open_,
        "outstanding": outstanding,
        "refund_due": due,
        "can_edit_lines": may_act and order.status in EDITABLE,
        "can_request_amount": may_act and open_ and order.status not in EDITABLE,
        "can_cancel_lines": may_act and order.status in (*EDITABLE, Status.PROCESSING),
        "balance": balance,
        "can_refund": may_act and balance.refundable > 0,
        "refund_form": forms.get("refund_form") or RefundForm(prefix="refund", lines=lines),
        "confirm_overdue": overdue_kind == deadlines.DeadlineKind.CONFIRM,
        "ship_overdue": overdue_kind == deadlines.DeadlineKind.SHIP,
        "staff": staff,
        "cancel_form": forms.get("cancel_form") or CancelForm(prefix="cancel"),
        "paid_form": forms.get("paid_form") or MarkPaidForm(prefix="paid"),
        "manager_form": forms.get("manager_form")
        or ManagerForm(prefix="mgr", staff=staff, initial={"manager": str(order.manager_id or "")}),
        "note_form": forms.get("note_form") or NoteForm(prefix="note", time_zone=seller.time_zone),
        "edit_note_id": forms.get("edit_note_id"),
        "edit_note_form": forms.get("edit_note_form"),
        "open_panel": forms.get("open_panel", ""),
        "form_errors": error_list(*bound, *bound_forms(forms)),
        "address_rows": address_rows(order),
        "cancel_reason_label": methods.cancel_reason_label(order.cancel_reason),
        "needs_address": methods.needs_address(order.shipping_method),
        **shipping_context(request, order, lines, may_act=may_act, forms=forms),
    }


def render_order(request: HttpRequest, order: Order, *, status: int = 200, **forms: Any) -> TemplateResponse:
    """The full page, or for HTMX just the order panel (plus the messages, out of band)."""
    context = order_context(request, order, **forms)
    if getattr(request, "htmx", False) and not getattr(getattr(request, "htmx", None), "boosted", False):
        # htmx swaps 2xx only; form errors come back as 200 to be shown in place.
        return TemplateResponse(request, "dashboard/order/panel_htmx.html", context)
    return TemplateResponse(request, "dashboard/order/page.html", context, status=status)


@staff_view("order.read")
def order_page(request: HttpRequest, number: int) -> HttpResponse:
    order = load_order(request, number)
    return render_order(request, order)
