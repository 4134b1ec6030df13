"""The order page's shipping actions (R-FUL-1..3, R-FUL-6, R-FUL-8, R-FUL-10, R-PAY-7).

Each view parses a form, calls one shipping writer and shows the order again, like the order
actions: bad input is a form error (422 with the form), a refusal (409) is a message, a carrier's
failure (502) is an error on the carrier form, and nothing is written. A viewer reads (PDFs) but
cannot act (403, `staff_view`). Another seller's order or shipment is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sellerdesk.core.errors import DomainError, NotFound
from sellerdesk.orders.models import Order
from sellerdesk.shipping import printing, services
from sellerdesk.shipping.selectors import shipment_get

from ..forms import add_domain_error, error_list
from ..permissions import staff_view
from ..shipping_forms import ShipmentEditForm
from .order_actions import _after, _form_error, _refused
from .order_page import load_order, render_order
from .shipping_panel import carrier_forms, manual_form, rate_rows, return_form


def _ids(request: HttpRequest) -> dict[str, Any]:
    return {"seller_id": request.seller.pk, "actor": request.actor}  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor


def _not_found(error: DomainError) -> None:
    if isinstance(error, NotFound) and error.code in ("order_not_found", "shipment_not_found"):
        raise Http404(error.detail)


# --- fulfil by hand (R-FUL-2) ---------------------------------------------------------------------


@require_POST
@staff_view("order.act")
def ship_manual(request: HttpRequest, number: int) -> HttpResponse:
    order = load_order(request, number)
    form = manual_form(order, list(order.lines.all()), request.POST)
    if not form.is_valid():
        return _form_error(request, number, manual_form=form, ship_panel="manual")
    data = form.cleaned_data
    try:
        shipment = services.fulfill_manual(
            number=number,
            data=services.ManualFulfillment(
                lines=form.quantities(),
                shipping_point=data["shipping_point"],
                carrier=data["carrier"],
                tracking_number=data["tracking_number"],
                expected_delivery=data["expected_delivery"],
                notify_customer=data["notify_customer"],
            ),
            **_ids(request),
        )
    except DomainError as error:
        _not_found(error)
        if error.status == 409:
            return _refused(request, number, error)
        add_domain_error(form, error)
        return _form_error(request, number, manual_form=form, ship_panel="manual")
    messages.success(request, _("Shipment %(ref)s created.") % {"ref": f"{order.number}-{shipment.number}"})
    return _after(request, number)


# --- a carrier label (R-FUL-3, R-FUL-5) -------------------------------------------------------------


def _parcel(order: Order, bound: dict[str, Any]) -> services.Parcel | None:
    """The parcel the carrier forms describe, or None when one of them is invalid."""
    valid = [f.is_valid() for f in bound.values()]
    if not all(valid):
        return None
    form = bound["carrier_form"]
    data = form.cleaned_data
    return services.Parcel(
        account_id=data["account"],
        packages=tuple(f.package() for f in bound["package_forms"].forms),
        recipient=bound["recipient_form"].party(),
        shipper=bound["shipper_form"].party(),
        declared_value=data["declared_value"] or Decimal("0"),
        insurance=data["insurance"],
        dangerous_goods=data["dangerous_goods"],
        signature=data["signature"],
        drop_off_date=data["drop_off_date"],
        lines=form.quantities(),
    )


def _rates_fragment(request: HttpRequest, order: Order, context: dict[str, Any]) -> HttpResponse:
    return TemplateResponse(request, "dashboard/order/_rates.html", {"order": order, **context})


def _carrier_errors(bound: dict[str, Any]) -> list[str]:
    return [
        f"{label}: {message}" if label else message for _id, label, message in error_list(*bound.values())
    ]


@require_POST
@staff_view("order.act")
def ship_rates(request: HttpRequest, number: int) -> HttpResponse:
    """Get rates (R-FUL-3): with HTMX only the rates block; without, the whole page with them."""
    order = load_order(request, number)
    add_package = "add_package" in request.POST
    bound = carrier_forms(order, list(order.lines.all()), request.POST, add_package=add_package)
    htmx = bool(getattr(request, "htmx", False))
    if add_package:  # without JavaScript: the page again, with one more package row
        return render_order(request, order, ship_panel="carrier", **bound)
    parcel = _parcel(order, bound)
    context: dict[str, Any] = {}
    if parcel is None:
        context["rates_error"] = _("Check the parcel: ") + "; ".join(_carrier_errors(bound))
    else:
        try:
            found = services.quote_rates(number=number, parcel=parcel, **_ids(request))
            context["rates"] = rate_rows(order, found)
            if not found:
                context["rates_error"] = _("The carrier offers no service for this parcel.")
        except DomainError as error:
            _not_found(error)
            context["rates_error"] = error.detail
    if htmx:
        return _rates_fragment(request, order, context)
    return render_order(request, order, ship_panel="carrier", **bound, **context)


@require_POST
@staff_view("order.act")
def ship_label(request: HttpRequest, number: int) -> HttpResponse:
    """Buy the label for the chosen rate; the carrier's refusal is an error on the form."""
    order = load_order(request, number)
    bound = carrier_forms(order, list(order.lines.all()), request.POST)
    parcel = _parcel(order, bound)
    service = (request.POST.get("service_code") or "").strip()[:40]
    if parcel is None:
        return _form_error(request, number, ship_panel="carrier", **bound)
    if not service:
        bound["carrier_form"].add_error(None, _("Get rates, then choose a service."))
        return _form_error(request, number, ship_panel="carrier", **bound)
    try:
        shipment = services.buy_label(number=number, parcel=parcel, service_code=service, **_ids(request))
    except DomainError as error:
        _not_found(error)
        if error.status == 409:
            return _refused(request, number, error)
        if isinstance(error, services.CarrierFailed):
            bound["carrier_form"].add_error(
                None, _("The carrier answered: %(detail)s Nothing was bought.") % {"detail": error.detail}
            )
        else:
            add_domain_error(bound["carrier_form"], error, {"lines": "", "packages": ""})
        return _form_error(request, number, ship_panel="carrier", **bound)
    messages.success(
        request,
        _("Label bought: shipment %(ref)s with %(service)s.")
        % {"ref": f"{order.number}-{shipment.number}", "service": shipment.service_name},
    )
    return _after(request, number)


# --- one shipment (R-FUL-6, R-FUL-8) ----------------------------------------------------------------


def _shipment(request: HttpRequest, number: int, shipment: int) -> Any:
    try:
        return shipment_get(seller_id=request.seller.pk, number=number, shipment_no=shipment)  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    except NotFound as error:
        raise Http404(error.detail) from None


@require_GET
@staff_view("order.read")
def shipment_label(request: HttpRequest, number: int, shipment: int) -> HttpResponse:
    """The label (or waybill) as PDF, opened in a new tab."""
    found = _shipment(request, number, shipment)
    try:
        document = printing.shipment_label(found)
    except DomainError as error:
        return _refused(request, number, error)
    return printing.pdf_response(document.content, document.filename)


@require_GET
@staff_view("order.read")
def packing_slip(request: HttpRequest, number: int) -> HttpResponse:
    order = load_order(request, number)
    return printing.pdf_response(printing.packing_slips([order]), f"packing-slip-{order.number}.pdf")


def _shipment_action(service: Callable[..., Any], done: Any) -> Callable[..., Any]:
    @require_POST
    @staff_view("order.act")
    def view(request: HttpRequest, number: int, shipment: int) -> HttpResponse:
        _shipment(request, number, shipment)  # 404 first for another seller's order or shipment
        try:
            service(number=number, shipment_no=shipment, **_ids(request))
        except DomainError as error:
            _not_found(error)
            return _refused(request, number, error)
        messages.success(request, str(done) % {"ref": f"{number}-{shipment}"})
        return _after(request, number)

    return view


shipment_track = _shipment_action(services.track_now, gettext_lazy("Tracking of shipment %(ref)s updated."))
shipment_deliver = _shipment_action(
    services.shipment_deliver, gettext_lazy("Shipment %(ref)s marked delivered.")
)
shipment_void = _shipment_action(services.shipment_void, gettext_lazy("Shipment %(ref)s voided."))


@require_POST
@staff_view("order.act")
def shipment_edit(request: HttpRequest, number: int, shipment: int) -> HttpResponse:
    found = _shipment(request, number, shipment)
    form = ShipmentEditForm(request.POST, prefix=f"s{shipment}", current=found.status)
    if not form.is_valid():
        return _form_error(request, number, edit_forms={found.number: form})
    data = form.cleaned_data
    try:
        services.shipment_edit(
            number=number,
            shipment_no=shipment,
            data=services.ShipmentEdit(
                carrier=data["carrier"],
                tracking_number=data["tracking_number"],
                status=data["status"],
                expected_delivery=data["expected_delivery"],
                clear_expected_delivery=data["expected_delivery"] is None,
                notify_customer=data["notify_customer"],
            ),
            **_ids(request),
        )
    except DomainError as error:
        _not_found(error)
        if error.status == 409:
            return _refused(request, number, error)
        add_domain_error(form, error)
        return _form_error(request, number, edit_forms={found.number: form})
    messages.success(request, _("Shipment %(ref)s saved.") % {"ref": f"{number}-{shipment}"})
    return _after(request, number)


# --- returns (R-FUL-10) -------------------------------------------------------------------------------


@require_POST
@staff_view("order.act")
def order_return(request: HttpRequest, number: int) -> HttpResponse:
    order = load_order(request, number)
    form = return_form(order, list(order.lines.all()), request.POST)
    if not form.is_valid():
        return _form_error(request, number, return_form=form)
    try:
        services.order_return(
            number=number,
            quantities=form.quantities(),
            restock=form.cleaned_data["restock"],
            reason=form.cleaned_data["reason"],
            **_ids(request),
        )
    except DomainError as error:
        _not_found(error)
        if error.status == 409:
            return _refused(request, number, error)
        add_domain_error(form, error)
        return _form_error(request, number, return_form=form)
    messages.success(request, _("Return recorded on order %(number)s.") % {"number": number})
    return _after(request, number)
