"""POST actions of the order page (R-PROC-1..5): each calls one service and shows the result.

Without JavaScript an action redirects back to the order page with a message; with HTMX
the order panel is swapped in place. A refused action is a message with the reason; bad
input is a form error. Neither is ever a 500, and a viewer gets 403 (`staff_view`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sellerdesk.accounts.selectors import assignable_managers, staff_member_exists
from sellerdesk.core.errors import DomainError, NotFound
from sellerdesk.core.money import ZERO
from sellerdesk.customers.selectors import customer_get, customer_search
from sellerdesk.orders import services
from sellerdesk.payments import refunds

from ..forms import (
    CancelForm,
    ChangeCustomerForm,
    ManagerForm,
    MarkPaidForm,
    NoteForm,
    RefundForm,
    add_domain_error,
)
from ..permissions import staff_view
from .order_page import load_order, render_order


def _after(request: HttpRequest, number: int) -> HttpResponse:
    """Back to the order: the panel for HTMX, a redirect (POST/redirect/GET) otherwise."""
    if getattr(request, "htmx", False):
        return render_order(request, load_order(request, number))
    return redirect("dashboard:order", number=number)


def _refused(request: HttpRequest, number: int, error: DomainError) -> HttpResponse:
    if isinstance(error, NotFound) and error.code == "order_not_found":
        raise Http404(error.detail)
    messages.error(request, _("Not done: %(reason)s") % {"reason": error.detail})
    return _after(request, number)


def _form_error(request: HttpRequest, number: int, **forms: Any) -> HttpResponse:
    messages.error(request, _("Please correct the errors below."))
    return render_order(request, load_order(request, number), status=422, **forms)


def _simple(service: Callable[..., Any], done: Any) -> Callable[..., HttpResponseBase]:
    @require_POST
    @staff_view("order.act")
    def view(request: HttpRequest, number: int) -> HttpResponse:
        load_order(request, number)  # 404 before anything else for another seller's order
        try:
            service(seller_id=request.seller.pk, number=number, actor=request.actor)  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
        except DomainError as error:
            return _refused(request, number, error)
        messages.success(request, str(done) % {"number": number})
        return _after(request, number)

    return view


order_confirm = _simple(services.order_confirm, gettext_lazy("Order %(number)s confirmed."))
order_process = _simple(services.order_process, gettext_lazy("Processing of order %(number)s started."))
order_deliver = _simple(services.order_deliver, gettext_lazy("Order %(number)s marked delivered."))
order_close = _simple(services.order_close, gettext_lazy("Order %(number)s closed."))


@require_POST
@staff_view("order.act")
def order_cancel(request: HttpRequest, number: int) -> HttpResponse:
    load_order(request, number)
    form = CancelForm(request.POST, prefix="cancel")
    if not form.is_valid():
        return _form_error(request, number, cancel_form=form, open_panel="cancel")
    try:
        services.order_cancel(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            number=number,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
    except DomainError as error:
        if error.extra.get("field") in form.fields:
            add_domain_error(form, error)
            return _form_error(request, number, cancel_form=form, open_panel="cancel")
        return _refused(request, number, error)
    messages.success(request, _("Order %(number)s cancelled.") % {"number": number})
    return _after(request, number)


@require_POST
@staff_view("order.act")
def order_mark_paid(request: HttpRequest, number: int) -> HttpResponse:
    load_order(request, number)
    form = MarkPaidForm(request.POST, prefix="paid")
    if not form.is_valid():
        return _form_error(request, number, paid_form=form, open_panel="paid")
    try:
        services.order_mark_paid(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            number=number,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            amount=form.cleaned_data["amount"],
            reference=form.cleaned_data["reference"],
        )
    except DomainError as error:
        if error.code in ("invalid_amount", "overpayment"):
            form.add_error("amount", error.detail)
            return _form_error(request, number, paid_form=form, open_panel="paid")
        return _refused(request, number, error)
    messages.success(request, _("Payment recorded on order %(number)s.") % {"number": number})
    return _after(request, number)


def _refund_input(form: RefundForm) -> refunds.RefundIn:
    data = form.cleaned_data
    return refunds.RefundIn(
        lines=form.quantities(),
        restock=bool(data.get("restock")),
        shipping=data.get("shipping") or ZERO,
        adjustment_refund=data.get("adjustment_refund") or ZERO,
        adjustment_fee=data.get("adjustment_fee") or ZERO,
        reason=data.get("reason") or "",
    )


@require_POST
@staff_view("order.act")
def order_refund(request: HttpRequest, number: int) -> HttpResponse:
    """Refund (R-PAY-4): online parts through their provider, offline ones as manual refunds."""
    order = load_order(request, number)
    form = RefundForm(request.POST, prefix="refund", lines=list(order.lines.all()))
    if not form.is_valid():
        return _form_error(request, number, refund_form=form, open_panel="refund")
    try:
        refunds.refund_create(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            number=number,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            data=_refund_input(form),
        )
    except DomainError as error:
        if isinstance(error, NotFound) and error.code == "order_not_found":
            raise Http404(error.detail) from None
        add_domain_error(form, error)
        return _form_error(request, number, refund_form=form, open_panel="refund")
    messages.success(request, _("Refund recorded on order %(number)s.") % {"number": number})
    return _after(request, number)


@require_POST
@staff_view("order.act")
def order_refund_preview(request: HttpRequest, number: int) -> HttpResponse:
    """The refund's computed amount, before it is committed (the form asks for it as you type)."""
    order = load_order(request, number)
    form = RefundForm(request.POST, prefix="refund", lines=list(order.lines.all()))
    quote, problem = None, ""
    if form.is_valid():
        try:
            quote = refunds.refund_quote(order, _refund_input(form))
        except DomainError as error:
            problem = error.detail
    else:
        problem = _("Check the values entered.")
    if quote is not None and quote.amount > quote.refundable:
        problem = _("More than the %(left)s that can be refunded.") % {"left": quote.refundable}
    return TemplateResponse(
        request,
        "dashboard/order/_refund_preview.html",
        {"order": order, "quote": quote, "problem": problem},
    )


@require_POST
@staff_view("order.assign")
def order_manager(request: HttpRequest, number: int) -> HttpResponse:
    load_order(request, number)
    staff = assignable_managers(seller_id=request.seller.pk)  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    raw = request.POST.get("mgr-manager", "")
    if raw.isdigit() and not staff_member_exists(seller_id=request.seller.pk, user_id=int(raw)):  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
        raise Http404(_("There is no such staff member."))  # another seller's user too (R-SEC-2)
    form = ManagerForm(request.POST, prefix="mgr", staff=staff)
    if not form.is_valid():
        return _form_error(request, number, manager_form=form)
    try:
        services.order_assign_manager(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            number=number,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            manager_id=form.manager_id,
        )
    except DomainError as error:
        return _refused(request, number, error)
    messages.success(request, _("Manager of order %(number)s saved.") % {"number": number})
    return _after(request, number)


@require_GET
@staff_view("order.act")
def customer_picker(request: HttpRequest, number: int) -> HttpResponse:
    """Search-as-you-type over the customers who have ordered from this seller (R-PROC-5)."""
    order = load_order(request, number)
    q = request.GET.get("q", "")
    found = customer_search(seller_id=request.seller.pk, q=q, region=request.seller.country)  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    template = "customer_results.html" if getattr(request, "htmx", False) else "customer_page.html"
    return TemplateResponse(
        request, f"dashboard/order/{template}", {"order": order, "customers": found, "q": q.strip()}
    )


@require_POST
@staff_view("order.act")
def order_customer(request: HttpRequest, number: int) -> HttpResponse:
    load_order(request, number)
    form = ChangeCustomerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a customer from the search results."))
        return _after(request, number)
    customer = customer_get(seller_id=request.seller.pk, customer_id=form.cleaned_data["customer_id"])  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    if customer is None:  # unknown, or never ordered from this seller (R-SEC-2)
        raise Http404(_("There is no such customer."))
    try:
        services.order_change_customer(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            number=number,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            customer_id=customer.pk,
        )
    except DomainError as error:
        return _refused(request, number, error)
    messages.success(request, _("Customer of order %(number)s changed.") % {"number": number})
    return _after(request, number)


@require_POST
@staff_view("order.act")
def note_add(request: HttpRequest, number: int) -> HttpResponse:
    load_order(request, number)
    form = NoteForm(request.POST, prefix="note", time_zone=request.seller.time_zone)  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    if not form.is_valid():
        return _form_error(request, number, note_form=form)
    try:
        services.note_add(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            number=number,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            text=form.cleaned_data["text"],
            remind_at=form.cleaned_data["remind_at"],
        )
    except DomainError as error:
        add_domain_error(form, error)
        return _form_error(request, number, note_form=form)
    messages.success(request, _("Note added."))
    return _after(request, number)


@require_POST
@staff_view("order.act")
def note_edit(request: HttpRequest, number: int, note_id: int) -> HttpResponse:
    load_order(request, number)
    prefix = f"note{note_id}"
    form = NoteForm(request.POST, prefix=prefix, time_zone=request.seller.time_zone)  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    if not form.is_valid():
        return _form_error(request, number, edit_note_form=form, edit_note_id=note_id)
    try:
        services.note_edit(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            number=number,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            note_id=note_id,
            text=form.cleaned_data["text"],
            remind_at=form.cleaned_data["remind_at"],
        )
    except DomainError as error:
        if error.code == "note_not_found":
            raise Http404(error.detail) from None
        add_domain_error(form, error)
        return _form_error(request, number, edit_note_form=form, edit_note_id=note_id)
    messages.success(request, _("Note saved."))
    return _after(request, number)


def _on_note(
    request: HttpRequest, number: int, note_id: int, service: Callable[..., Any]
) -> HttpResponse | None:
    """Run a note service for the order's note; None when done, else the refusal to show."""
    load_order(request, number)
    try:
        service(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            number=number,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            note_id=note_id,
        )
    except DomainError as error:
        if error.code == "note_not_found":
            raise Http404(error.detail) from None
        return _refused(request, number, error)
    return None


@require_POST
@staff_view("order.act")
def note_delete(request: HttpRequest, number: int, note_id: int) -> HttpResponse:
    refused = _on_note(request, number, note_id, services.note_delete)
    if refused:
        return refused
    messages.success(request, _("Note deleted."))
    return _after(request, number)


@require_POST
@staff_view("order.act")
def note_reminder_done(request: HttpRequest, number: int, note_id: int) -> HttpResponse:
    """The author marks a reminder done; back to where the button was (the home page or the order)."""
    refused = _on_note(request, number, note_id, services.note_reminder_done)
    if refused:
        return refused
    messages.success(request, _("Reminder on order %(number)s marked done.") % {"number": number})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return _after(request, number)
