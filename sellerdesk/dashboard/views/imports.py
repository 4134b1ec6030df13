"""Import orders from CSV (R-IN-4): upload → preview (nothing written) → confirm → per-row report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sellerdesk.core.errors import InvalidInput
from sellerdesk.orders.imports import (
    COLUMNS,
    MAX_BYTES,
    REQUIRED_COLUMNS,
    ImportPreview,
    import_preview,
    import_run,
)
from sellerdesk.orders.methods import SHIPPING, PaymentMethod, ShippingMethod
from sellerdesk.orders.rules import REQUIRED_ADDRESS_FIELDS

from ..forms import ImportUploadForm, error_list
from ..permissions import staff_view

SESSION_KEY = "sellerdesk.order_import"


def _page(
    request: HttpRequest, form: ImportUploadForm, *, status: int = 200, **extra: object
) -> HttpResponse:
    context = {
        "form": form,
        "errors": error_list(form),
        "columns": COLUMNS,
        "required": REQUIRED_COLUMNS,
        "shipping_values": ", ".join(m.value for m in ShippingMethod),
        "payment_values": ", ".join(m.value for m in PaymentMethod),
        "address_fields": ", ".join(REQUIRED_ADDRESS_FIELDS),
        "no_address": ", ".join(m.value for m, row in SHIPPING.items() if not row.needs_address),
        "upload_url": reverse("dashboard:order_import"),
        **extra,
    }
    return TemplateResponse(request, "dashboard/import/import.html", context, status=status)


def upload_and_preview(
    request: HttpRequest,
    *,
    form_class: Any,
    page: Callable[..., HttpResponse],
    preview: Any,
    session_key: str,
) -> HttpResponse:
    """The upload step of a file import (orders, shipments): read and check the file with
    `preview(seller=, raw=)`, show the per-row preview, and keep the checked plan in the session;
    nothing is written until the user confirms."""
    if request.method != "POST":
        return page(request, form_class())
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return page(request, form, status=422)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:
        form.add_error("file", _("The file is larger than 2 MB; split it."))
        return page(request, form, status=422)
    try:
        checked = preview(seller=request.seller, raw=upload.read())  # type: ignore[attr-defined]  # staff_view sets request.seller
    except InvalidInput as error:
        form.add_error("file", error.detail)
        return page(request, form, status=422)
    request.session[session_key] = {"name": upload.name[:200], "plan": checked.as_plan()}
    return page(request, form_class(), preview=checked, file_name=upload.name)


@staff_view("order.place")
def import_upload(request: HttpRequest) -> HttpResponse:
    return upload_and_preview(
        request, form_class=ImportUploadForm, page=_page, preview=import_preview, session_key=SESSION_KEY
    )


@require_POST
@staff_view("order.place")
def import_confirm(request: HttpRequest) -> HttpResponse:
    stored = request.session.pop(SESSION_KEY, None)
    if not stored:
        messages.error(request, _("There is nothing to import: upload the file again."))
        return redirect("dashboard:order_import")
    preview = ImportPreview.from_plan(stored["plan"])
    report = import_run(seller=request.seller, actor=request.actor, preview=preview)  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    placed = len({r.number for r in report.rows if r.number})
    messages.success(request, _("%(n)s orders imported.") % {"n": placed})
    return _page(request, ImportUploadForm(), report=report, file_name=stored.get("name", ""), placed=placed)
