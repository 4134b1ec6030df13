"""Pages of conversations: the thread on the order page (staff), the customer's page behind the
link of a message e-mail (no account), and the operator's list of complaints.

Staff pages resolve the order within the signed-in seller (another seller's order is a 404);
the customer's page resolves everything within the thread its token names.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sellerdesk.accounts.roles import can
from sellerdesk.core.errors import DomainError, NotFound
from sellerdesk.dashboard.permissions import operator_view, staff_view
from sellerdesk.orders import selectors as order_selectors
from sellerdesk.orders.models import Order

from . import rules, selectors, services
from .models import Attachment, Thread


def _files(request: HttpRequest) -> list[services.FileIn]:
    """The uploaded files of the form, read up to one byte past the limit (a larger one is refused)."""
    out = []
    for f in request.FILES.getlist("files")[: rules.MAX_FILES + 1]:
        out.append(services.FileIn(name=f.name or "file", data=f.read(rules.MAX_FILE_BYTES + 1)))
    return out


def _download(attachment: Attachment | None) -> HttpResponse:
    if attachment is None:
        raise Http404(_("There is no such file."))
    kind = rules.BY_TYPE.get(attachment.content_type)
    response = HttpResponse(bytes(attachment.data), content_type=attachment.content_type)
    inline = kind is not None and kind.inline
    response["Content-Disposition"] = content_disposition_header(not inline, attachment.name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, no-store"
    return response


# --- staff: the thread on the order page ----------------------------------------------------------


def thread_context(request: HttpRequest, order: Order, **extra: Any) -> dict[str, Any]:
    """What the thread section shows; marks the customer's messages read (staff now see them)."""
    thread = selectors.thread_of(order)
    items = selectors.messages_of(thread)
    unread = thread.staff_unread if thread else 0
    for i, m in enumerate(items):
        m.is_new = m.author_kind == "customer" and i >= len(items) - unread  # type: ignore[attr-defined]  # display attribute
        m.seen = bool(  # type: ignore[attr-defined]  # display attribute
            m.author_kind == "staff"
            and thread
            and thread.customer_read_at
            and thread.customer_read_at >= m.created_at
        )
    if thread is not None:
        services.mark_read_by_staff(thread)
    role = request.user.role  # type: ignore[union-attr]  # staff_view admits only a signed-in User
    return {
        "order": order,
        "seller": request.seller,  # type: ignore[attr-defined]  # staff_view sets request.seller
        "thread": thread,
        "thread_messages": items,
        "may_write": can(role, "order.act"),
        "max_mb": rules.MAX_FILE_BYTES // (1024 * 1024),
        "max_files": rules.MAX_FILES,
        "accept": ",".join(ext for t in rules.ALLOWED for ext in t.extensions),
        **extra,
    }


@require_http_methods(["GET", "POST"])
@staff_view("order.read")
def order_thread(request: HttpRequest, number: int) -> HttpResponse:
    """GET: the messages (polled by the order page every 10 s). POST: staff send a message."""
    order = _order_row(request, number)
    htmx = bool(getattr(request, "htmx", False))
    if request.method == "GET":
        return TemplateResponse(
            request, "conversations/_thread_messages.html", thread_context(request, order)
        )
    if not can(request.user.role, "order.act"):  # type: ignore[union-attr]  # staff_view: a User
        return HttpResponse(_("Your role may not do this."), status=403)
    text = request.POST.get("text", "")
    try:
        services.message_send(
            seller_id=order.seller_id,
            number=order.number,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.actor
            text=text,
            files=_files(request),
        )
    except DomainError as refused:
        problems = refused.extra.get("problems") or [refused.detail]
        if htmx:
            ctx = thread_context(request, order, thread_errors=problems, thread_text=text)
            return TemplateResponse(request, "conversations/_thread.html", ctx)
        for p in problems:
            messages.error(request, p)
        return redirect(reverse("dashboard:order", args=[order.number]) + "#thread-h")
    if htmx:
        ctx = thread_context(request, order, thread_sent=True)
        return TemplateResponse(request, "conversations/_thread.html", ctx)
    messages.success(request, _("Message sent."))
    return redirect(reverse("dashboard:order", args=[order.number]) + "#thread-h")


@require_GET
@staff_view("order.read")
def order_attachment(request: HttpRequest, number: int, attachment_id: int) -> HttpResponse:
    order = _order_row(request, number)
    return _download(selectors.attachment_for_order(order, attachment_id))


def _order_row(request: HttpRequest, number: int) -> Order:
    """The seller's order row alone (the thread needs no lines, notes or payments), or 404."""
    try:
        return order_selectors.order_get(seller_id=request.seller.pk, number=number, whole=False)  # type: ignore[attr-defined]  # staff_view sets request.seller
    except NotFound:
        raise Http404(_("There is no such order.")) from None


def _act(request: HttpRequest, number: int, ok: str, call: Any) -> HttpResponse:
    order = _order_row(request, number)
    try:
        call(order)
    except NotFound:
        raise Http404 from None
    except DomainError as refused:
        messages.error(request, refused.detail)
    else:
        messages.success(request, ok)
    return redirect("dashboard:order", number=order.number)


@require_POST
@staff_view("order.act")
def feedback_remind(request: HttpRequest, number: int) -> HttpResponse:
    return _act(
        request,
        number,
        _("Feedback reminder sent to the customer."),
        lambda order: services.feedback_remind(
            seller_id=order.seller_id,
            number=order.number,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.actor
        ),
    )


@require_POST
@staff_view("order.act")
def complaint_add(request: HttpRequest, number: int) -> HttpResponse:
    return _act(
        request,
        number,
        _("Complaint filed. Every seller of the marketplace now sees it, signed with your store and name."),
        lambda order: services.complaint_file(
            seller_id=order.seller_id,
            number=order.number,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.actor
            kind=request.POST.get("kind", ""),
            comment=request.POST.get("comment", ""),
        ),
    )


# --- the customer's page (no account: the token is the key) ---------------------------------------


def _thread_or_404(token: str) -> Thread:
    try:
        return services.thread_by_token(token)
    except NotFound:
        raise Http404(_("There is no conversation at this address.")) from None


def _customer_page(request: HttpRequest, thread: Thread, *, status: int = 200, **extra: Any) -> HttpResponse:
    from sellerdesk.shipping.selectors import customer_view

    order = Order.objects.select_related("seller").get(pk=thread.order_id)
    state = selectors.feedback_state(order, thread)
    context = {
        "view": customer_view(order),
        "token": thread.token,
        "items": selectors.customer_messages(thread),
        "feedback": state.feedback,
        "feedback_open": state.is_open,
        "feedback_editable": state.editable,
        "edit_days": rules.FEEDBACK_EDIT_DAYS,
        "max_mb": rules.MAX_FILE_BYTES // (1024 * 1024),
        "max_files": rules.MAX_FILES,
        "accept": ",".join(ext for t in rules.ALLOWED for ext in t.extensions),
        "stars": [5, 4, 3, 2, 1],
        **extra,
    }
    response = render(request, "conversations/customer.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    # The token must not leak to other sites through the Referer; "no-referrer" would also make
    # browsers send `Origin: null` with the page's own forms, which CSRF protection refuses.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def customer_thread(request: HttpRequest, token: str) -> HttpResponse:
    """The customer reads the thread and replies, with files (R-NOTE-4)."""
    thread = _thread_or_404(token)
    if request.method == "GET":
        services.mark_read_by_customer(thread)
        return _customer_page(request, thread, sent=request.GET.get("sent") == "1")
    text = request.POST.get("text", "")
    try:
        services.customer_reply(token=token, text=text, files=_files(request))
    except DomainError as refused:
        problems = refused.extra.get("problems") or [refused.detail]
        status = refused.status if refused.status in (409, 422) else 422
        return _customer_page(request, thread, status=status, reply_errors=problems, reply_text=text)
    return redirect(reverse("customer_thread", args=[token]) + "?sent=1#reply")


@require_POST
def customer_from_tracking(request: HttpRequest, token: str) -> HttpResponse:
    """From the tracking page (its own token) to the order's conversation page."""
    try:
        thread = services.thread_for_tracking(token)
    except NotFound:
        raise Http404(_("There is no order at this address.")) from None
    return redirect("customer_thread", token=thread.token)


@require_POST
def customer_feedback(request: HttpRequest, token: str) -> HttpResponse:
    """The customer rates the delivered order 1–5 and reviews it (R-NOTE-5)."""
    thread = _thread_or_404(token)
    try:
        services.feedback_leave(
            token=token, rating=request.POST.get("rating", ""), review=request.POST.get("review", "")
        )
    except DomainError as refused:
        return _customer_page(
            request,
            thread,
            status=422 if refused.status == 422 else 409,
            feedback_error=refused.detail,
            review_text=request.POST.get("review", ""),
        )
    return redirect(reverse("customer_thread", args=[token]) + "?thanks=1#feedback")


@require_GET
def customer_attachment(request: HttpRequest, token: str, attachment_id: int) -> HttpResponse:
    thread = _thread_or_404(token)
    return _download(selectors.attachment_for_thread(thread, attachment_id))


# --- the operator: complaints of the marketplace (R-NOTE-6) ---------------------------------------


@require_GET
@operator_view
def operator_complaints(request: HttpRequest) -> HttpResponse:
    market = request.marketplace_id  # type: ignore[attr-defined]  # operator_view sets request.marketplace_id
    rows = list(selectors.complaints_of_market(market)[:500])
    return render(request, "conversations/operator_complaints.html", {"complaints": rows})


@require_POST
@operator_view
def operator_complaint_hide(request: HttpRequest, complaint_id: int) -> HttpResponse:
    hide = request.POST.get("action", "hide") != "show"
    try:
        services.complaint_set_hidden(
            operator=request.user,  # type: ignore[arg-type]  # operator_view admits only a signed-in User
            complaint_id=complaint_id,
            hidden=hide,
            reason=request.POST.get("reason", ""),
        )
    except NotFound:
        raise Http404 from None
    messages.success(
        request, _("Complaint hidden from sellers.") if hide else _("Complaint shown to sellers again.")
    )
    return redirect("dashboard:operator_complaints")
