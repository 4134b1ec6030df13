"""A new order on a customer's behalf (R-IN-2) and test orders (R-IN-3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sellerdesk.catalog.selectors import product_list
from sellerdesk.core.errors import DomainError
from sellerdesk.customers.selectors import customer_get, customer_search
from sellerdesk.orders import services
from sellerdesk.orders.methods import needs_address

from ..forms import LineFormSet, NewOrderForm, error_list
from ..permissions import staff_view

# Fields the service names in its errors -> the form's fields.
SERVICE_FIELDS = {
    "customer.name": "customer_name",
    "customer.email": "customer_email",
    "customer.phone": "customer_phone",
    "shipping_address": "line1",
    "currency": "currency",
    "shipping_method": "shipping_method",
    "payment_method": "payment_method",
}
TEST_ADDRESS = {"country": "DE", "city": "Berlin", "postal_code": "10115", "line1": "Invalidenstraße 43"}


def _render(request: HttpRequest, form: NewOrderForm, lines: Any, *, status: int = 200) -> HttpResponse:
    customer = None
    chosen_id = str(form.data.get("customer_id") or "") if form.is_bound else ""
    if chosen_id.isdigit():
        customer = customer_get(seller_id=request.seller.pk, customer_id=int(chosen_id))  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    context = {
        "form": form,
        "lines": lines,
        "errors": error_list(form, lines),
        "chosen": customer,
        "seller": request.seller,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    }
    return TemplateResponse(request, "dashboard/order/new.html", context, status=status)


def _apply_service_error(form: NewOrderForm, lines: Any, error: DomainError) -> None:
    field = str(error.extra.get("field") or "")
    if field.startswith("lines[") and "]" in field:
        index = int(field[6 : field.index("]")])
        name = field.rsplit(".", 1)[-1] if "." in field else "sku"
        filled = [f for f in lines.forms if (f.cleaned_data or {}).get("sku")]
        if index < len(filled) and name in filled[index].fields:
            filled[index].add_error(name, error.detail)
            return
    if field == "lines" and error.extra.get("skus"):
        for f in lines.forms:
            if (f.cleaned_data or {}).get("sku") in error.extra["skus"]:
                if error.code == "unit_price_required":
                    f.add_error("unit_price", _("Priced in another currency: enter the unit price."))
                else:
                    f.add_error("sku", _("Unknown SKU."))
        form.add_error(None, error.detail)
        return
    if error.code == "out_of_stock":
        short = {line["sku"] for line in error.extra.get("lines", [])}
        for f in lines.forms:
            if (f.cleaned_data or {}).get("sku") in short:
                f.add_error("quantity", _("Not enough stock."))
    target = SERVICE_FIELDS.get(field)
    form.add_error(target if target in form.fields else None, error.detail)


@staff_view("order.place")
def order_new(request: HttpRequest) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    if request.method != "POST":
        form = NewOrderForm(
            initial={
                "currency": seller.currency,
                "country": seller.country,
                "shipping_method": "carrier",
                "payment_method": "bank_transfer",
            }
        )
        return _render(request, form, LineFormSet(prefix="lines"))
    form = NewOrderForm(request.POST)
    lines = LineFormSet(request.POST, prefix="lines")
    if not (form.is_valid() & lines.is_valid()):
        return _render(request, form, lines, status=422)
    data = form.cleaned_data
    if data.get("customer_id"):
        customer = customer_get(seller_id=seller.pk, customer_id=data["customer_id"])
        if customer is None:  # unknown, or never ordered from this seller (R-SEC-2)
            raise Http404(_("There is no such customer."))
        customer_in = services.CustomerIn(name=customer.name, email=customer.email, phone=customer.phone)
    else:
        customer_in = services.CustomerIn(
            name=data["customer_name"], email=data["customer_email"], phone=data["customer_phone"]
        )
    order_lines = [
        services.LineIn(
            sku=f.cleaned_data["sku"],
            quantity=f.cleaned_data["quantity"],
            unit_price=f.cleaned_data.get("unit_price"),
        )
        for f in lines.forms
        if (f.cleaned_data or {}).get("sku")
    ]
    try:
        order = services.order_place(
            seller=seller,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            data=services.OrderIn(
                customer=customer_in,
                lines=order_lines,
                currency=data["currency"],
                shipping_method=data["shipping_method"],
                payment_method=data["payment_method"],
                shipping_address=form.address() if needs_address(data["shipping_method"]) else {},
                shipping_price=data.get("shipping_price") or Decimal("0"),
                source="staff",
            ),
        )
    except DomainError as error:
        _apply_service_error(form, lines, error)
        return _render(request, form, lines, status=422)
    messages.success(request, _("Order %(number)s placed.") % {"number": order.number})
    return redirect("dashboard:order", number=order.number)


@require_GET
@staff_view("order.place")
def customer_finder(request: HttpRequest) -> HttpResponse:
    """Customers as you type; `pick` returns the customer fieldset with that customer chosen."""
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    pick = request.GET.get("pick", "")
    if pick:
        chosen = customer_get(seller_id=seller.pk, customer_id=int(pick)) if pick.isdigit() else None
        if chosen is None:
            raise Http404(_("There is no such customer."))
        return TemplateResponse(
            request, "dashboard/order/new_customer.html", {"form": NewOrderForm(), "chosen": chosen}
        )
    if "clear" in request.GET:
        return TemplateResponse(
            request, "dashboard/order/new_customer.html", {"form": NewOrderForm(), "chosen": None}
        )
    q = request.GET.get("customer_q", "") or request.GET.get("q", "")
    found = customer_search(seller_id=seller.pk, q=q, region=seller.country)
    return TemplateResponse(
        request, "dashboard/order/new_customer_results.html", {"customers": found, "q": q}
    )


@require_GET
@staff_view("order.place")
def product_finder(request: HttpRequest) -> HttpResponse:
    """<option>s for the SKU inputs' datalist: SKU, name, available stock."""
    q = next((v for k, v in request.GET.dict().items() if (k == "q" or k.endswith("-sku")) and v.strip()), "")
    products = list(product_list(seller_id=request.seller.pk, q=q.strip()[:64])[:20])  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    return TemplateResponse(request, "dashboard/order/product_options.html", {"products": products})


@require_POST
@staff_view("order.place")
def order_test(request: HttpRequest) -> HttpResponse:
    """Place a test order with sample data (R-IN-3); refused once the store has a real order."""
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    product = next((p for p in product_list(seller_id=seller.pk)[:200] if p.available > 0), None)
    if product is None:
        messages.error(request, _("A test order needs a product with stock; add stock first."))
        return redirect("dashboard:order_new")
    try:
        order = services.order_place(
            seller=seller,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            data=services.OrderIn(
                customer=services.CustomerIn(name=_("Test Customer"), email="test-customer@example.com"),
                lines=[services.LineIn(sku=product.sku, quantity=1)],
                currency=product.currency,  # the sample line takes the product's own price
                shipping_method="carrier",
                payment_method="bank_transfer",
                shipping_address=TEST_ADDRESS,
                is_test=True,
                source="staff",
            ),
        )
    except DomainError as error:
        messages.error(request, _("No test order placed: %(reason)s") % {"reason": error.detail})
        return redirect("dashboard:order_new")
    messages.success(request, _("Test order %(number)s placed.") % {"number": order.number})
    return redirect("dashboard:order", number=order.number)
