"""What the order page shows of shipping (R-FUL-1..3, R-FUL-6, R-FUL-8..11, R-PAY-7): the Ship panel's
forms, the shipments with their actions, the returns, and the customer's tracking link.

Reads only; the views in shipping.py call the writers. A constant number of queries per page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from sellerdesk.orders.methods import is_hand_delivered
from sellerdesk.orders.models import Order
from sellerdesk.orders.services.lifecycle import facts_of
from sellerdesk.orders.states import Status, ship_refusal
from sellerdesk.shipping import printing
from sellerdesk.shipping.carriers.base import Rate
from sellerdesk.shipping.models import CarrierAccount, Registration, ShipmentKind, ShippingPoint
from sellerdesk.shipping.selectors import carrier_name, charged_left, left_to_ship, shipments_of
from sellerdesk.shipping.services import SHIPPABLE, returnable_units
from sellerdesk.shipping.states import FINAL, LABELS, NEXT, ShipmentStatus, refusal

from ..shipping_forms import (
    CarrierShipForm,
    ManualShipForm,
    PackageFormSet,
    PartyForm,
    ReturnForm,
    ShipmentEditForm,
    party_initial,
)

# The keys of bound shipping forms a view may hand back to the page (to show their errors).
FORM_KEYS = (
    "manual_form",
    "carrier_form",
    "package_forms",
    "recipient_form",
    "shipper_form",
    "return_form",
)
DEFAULT_PACKAGE = {"weight_g": 500, "length_cm": 20, "width_cm": 15, "height_cm": 10}


def lines_to_ship(lines: list[Any]) -> list[tuple[Any, int, int]]:
    """(line, units left, initial) for each line with units still to ship."""
    return [(line, n, n) for line in lines if (n := left_to_ship(line)) > 0]


def carrier_accounts(seller_id: int) -> list[CarrierAccount]:
    """The seller's active carrier accounts (the sandbox one is written with the seller)."""
    return list(CarrierAccount.objects.filter(seller_id=seller_id, is_active=True))


def manual_form(order: Order, lines: list[Any], data: Any = None) -> ManualShipForm:
    return ManualShipForm(data, prefix="ship", lines=lines_to_ship(lines))


def carrier_forms(
    order: Order, lines: list[Any], data: Any = None, *, add_package: bool = False
) -> dict[str, Any]:
    """The carrier label form, its packages and the two parties, bound to `data` when given."""
    accounts = carrier_accounts(order.seller_id)
    packages = PackageFormSet(data, prefix="pkg", initial=None if data is not None else [DEFAULT_PACKAGE])
    if add_package and data is not None:
        # Without JavaScript, "Add package" posts the form and comes back with one more row.
        rows = [f.cleaned_data for f in packages.forms if f.is_valid()] if packages.is_valid() else []
        packages = PackageFormSet(prefix="pkg", initial=[*rows, DEFAULT_PACKAGE])
    recipient = PartyForm(data, prefix="to", initial=party_initial(printing.recipient_of(order)))
    shipper = PartyForm(data, prefix="from", initial=party_initial(printing.shipper_of(order.seller)))
    form = CarrierShipForm(
        data,
        prefix="lbl",
        lines=lines_to_ship(lines),
        accounts=accounts,
        initial={"declared_value": (order.subtotal - order.discount).quantize(Decimal("0.01"))},
    )
    return {
        "carrier_form": form,
        "package_forms": packages,
        "recipient_form": recipient,
        "shipper_form": shipper,
    }


def rate_rows(order: Order, rates: list[Rate]) -> list[dict[str, Any]]:
    """Each rate with what the seller bears on top of what the customer paid (R-FUL-5)."""
    left = charged_left(order)
    return [
        {
            "rate": r,
            "customer_paid": min(left, r.price),
            "seller_cost": max(r.price - left, Decimal("0")),
        }
        for r in rates
    ]


def _shipment_rows(order: Order, may_act: bool, forms: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    edit_forms: dict[int, ShipmentEditForm] = forms.get("edit_forms") or {}
    for s in shipments_of(order):
        status = ShipmentStatus(s.status)
        manual = s.kind == ShipmentKind.MANUAL
        open_ = status not in FINAL
        edit = None
        if may_act and manual and open_:
            edit = edit_forms.get(s.number) or ShipmentEditForm(
                prefix=f"s{s.number}",
                current=status,
                initial={
                    "carrier": s.carrier,
                    "tracking_number": s.tracking_number,
                    "status": status.value,
                    "expected_delivery": s.expected_delivery,
                },
            )
        waiting = s.registration == Registration.WAITING
        rows.append(
            {
                "shipment": s,
                "status_label": LABELS[status],
                "carrier_label": carrier_name(s.carrier) if not manual else s.carrier,
                "units": [(sl.line, sl.quantity) for sl in s.lines.all()],
                "tracking": list(s.tracking.all()),
                "waiting": waiting,
                "invalid": s.registration == Registration.INVALID,
                # A waybill for what leaves by hand; none for a parcel that waits at the counter.
                "has_label": status != ShipmentStatus.CANCELED
                and (
                    (manual and s.shipping_point != ShippingPoint.PICKUP)
                    or s.carrier == printing.SANDBOX
                    or s.registration == Registration.REGISTERED
                ),
                "can_void": may_act and refusal(status, ShipmentStatus.CANCELED) is None,
                "can_deliver": may_act and manual and ShipmentStatus.DELIVERED in NEXT[status],
                "deliver_label": _("Mark picked up")
                if s.shipping_point == ShippingPoint.PICKUP
                else _("Mark delivered"),
                "can_track": may_act and not manual and open_,
                "edit_form": edit,
                "edit_open": s.number in edit_forms,
            }
        )
    return rows


def _return_rows(order: Order, lines: list[Any]) -> list[tuple[Any, int, int]]:
    """(line, units that can come back, 0) for each line with delivered units not yet returned."""
    can = returnable_units(order, lines)
    return [(line, can[line.pk], 0) for line in lines if can[line.pk] > 0]


def return_form(order: Order, lines: list[Any], data: Any = None) -> ReturnForm:
    return ReturnForm(data, prefix="ret", lines=_return_rows(order, lines))


def shipping_context(
    request: HttpRequest, order: Order, lines: list[Any], *, may_act: bool, forms: dict[str, Any]
) -> dict[str, Any]:
    hand = is_hand_delivered(order.shipping_method)
    shippable = order.status in SHIPPABLE and not hand
    to_ship = lines_to_ship(lines)
    refusal_reason = ship_refusal(facts_of(order)) if shippable else None
    can_ship = may_act and shippable and bool(to_ship) and not refusal_reason
    ctx: dict[str, Any] = {
        "ship_hand_delivered": hand,
        "ship_refusal": refusal_reason if may_act and shippable and to_ship else None,
        "can_ship": can_ship,
        "shipments": _shipment_rows(order, may_act, forms),
        "returns": list(order.returns.prefetch_related("lines__line")),
        "tracking_url": request.build_absolute_uri(reverse("tracking_page", args=[order.tracking_token])),
        "rates": forms.get("rates"),
        "rates_error": forms.get("rates_error"),
        "ship_panel": forms.get("ship_panel", ""),
    }
    if can_ship:
        ctx["manual_form"] = forms.get("manual_form") or manual_form(order, lines)
        if forms.get("carrier_form") is not None:
            ctx.update(
                {k: forms[k] for k in ("carrier_form", "package_forms", "recipient_form", "shipper_form")}
            )
        else:
            ctx.update(carrier_forms(order, lines))
    returnable = order.status in (Status.SHIPPED, Status.DELIVERED)
    if may_act and returnable:
        form = forms.get("return_form") or return_form(order, lines)
        if form.line_rows:
            ctx["return_form"] = form
    return ctx


def bound_forms(forms: dict[str, Any]) -> list[Any]:
    """The shipping forms a view handed back, for the page's error summary."""
    out = [forms.get(k) for k in FORM_KEYS]
    out += list((forms.get("edit_forms") or {}).values())
    return out
