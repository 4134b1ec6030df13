"""Confirm many shipments from a file (R-FUL-1, R-FUL-2): upload → preview per row (nothing written)
→ confirm → per-row report. The same steps as the order import."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sellerdesk.shipping.imports import (
    COLUMNS,
    REQUIRED_COLUMNS,
    ShipmentImport,
    shipment_import_run,
    shipment_preview,
)
from sellerdesk.shipping.models import ShippingPoint

from ..forms import ShipmentUploadForm, error_list
from ..permissions import staff_view
from .imports import upload_and_preview

SESSION_KEY = "sellerdesk.shipment_import"


def _page(
    request: HttpRequest, form: ShipmentUploadForm, *, status: int = 200, **extra: object
) -> HttpResponse:
    context = {
        "form": form,
        "errors": error_list(form),
        "columns": COLUMNS,
        "required": REQUIRED_COLUMNS,
        "points": ", ".join(ShippingPoint.values),
        "upload_url": reverse("dashboard:shipment_import"),
        **extra,
    }
    return TemplateResponse(request, "dashboard/shipping/import.html", context, status=status)


@staff_view("order.act")
def shipment_import(request: HttpRequest) -> HttpResponse:
    return upload_and_preview(
        request, form_class=ShipmentUploadForm, page=_page, preview=shipment_preview, session_key=SESSION_KEY
    )


@require_POST
@staff_view("order.act")
def shipment_import_confirm(request: HttpRequest) -> HttpResponse:
    stored = request.session.pop(SESSION_KEY, None)
    if not stored:
        messages.error(request, _("There is nothing to confirm: upload the file again."))
        return redirect("dashboard:shipment_import")
    preview = ShipmentImport.from_plan(stored["plan"])
    report = shipment_import_run(seller=request.seller, actor=request.actor, preview=preview)  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    n = report.shipped
    messages.success(request, ngettext("%(n)s order shipped.", "%(n)s orders shipped.", n) % {"n": n})
    return _page(request, ShipmentUploadForm(), report=report, file_name=stored.get("name", ""))
