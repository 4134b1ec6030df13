"""The customer-safe view of an order: the ONLY data a customer template can reach (R-PROC-4).

It is built value by value from an allow-list into plain strings, numbers, lists and dicts — no
model object, no queryset, nothing with a method that leads back to the database. Internal notes,
staff names, costs, the cancel comment, agreed-delay notes and every other internal field are
never read here, so no template, however written, can print them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sellerdesk.dashboard.templatetags.dashboard import money
from sellerdesk.orders.methods import CancelReason, cancel_reason_label
from sellerdesk.orders.models import Order
from sellerdesk.shipping.selectors import customer_view

# name → what it holds, for the editor's reference and the docs. The context has exactly these keys.
VARIABLES: tuple[tuple[str, Promise], ...] = (
    ("store", _("The store's name")),
    ("number", _("The order number")),
    ("placed", _("The date the order was placed")),
    ("status", _("The order's status")),
    ("first_name", _("The customer's first name")),
    ("lines", _("The items: each has name, quantity, price, total")),
    ("subtotal", _("The items' total")),
    ("shipping", _("The shipping price")),
    ("discount", _("The discount")),
    ("total", _("The order total")),
    ("currency", _("The currency code")),
    ("address", _("The shipping address, one line")),
    ("shipments", _("The parcels: each has carrier, tracking_number, status")),
    ("shipment", _("The parcel this message is about (out for delivery): carrier, tracking_number, status")),
    ("tracking_url", _("The customer's tracking page")),
    ("cancel_reason", _("Why the order was cancelled")),
    ("refunded", _("The amount of this refund")),
    ("refunded_total", _("Everything refunded on the order")),
    ("old_total", _("The total before the change")),
    ("new_total", _("The total after the change")),
)
VARIABLE_NAMES = frozenset(name for name, _text in VARIABLES)

# Reasons staff record that are not worded for the customer; the customer reads "Other" instead.
_CUSTOMER_HIDDEN_REASONS = frozenset({CancelReason.FRAUD_SUSPECTED})
_ADDRESS_FIELDS = ("line1", "line2", "city", "region", "postal_code", "country")


def tracking_url(order: Order) -> str:
    """The customer's own tracking page (R-FUL-11), absolute, from the PUBLIC_URL setting."""
    base = str(getattr(settings, "PUBLIC_URL", "") or "").rstrip("/")
    return base + reverse("tracking_page", args=[order.tracking_token])


def _money(amount: Any, currency: str) -> str:
    if amount in (None, ""):
        return ""
    try:
        return money(Decimal(str(amount)), currency)
    except ArithmeticError:
        return ""


def _date(value: dt.datetime | None, zone: str, language: str) -> str:
    if value is None:
        return ""
    tz: dt.tzinfo
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = dt.UTC
    return format_date(timezone.localtime(value, tz).date(), format="long", locale=language)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def customer_context(
    order: Order, *, language: str, event_type: str = "", payload: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The template context for one notification about `order` (call under the customer's language).

    `payload` is the causing event's payload; only named values are taken from it (the refunded
    amount, the totals before and after, the cancel reason, the shipment number).
    """
    payload = payload or {}
    currency = order.currency
    view = customer_view(order)  # the tracking page's own allow-list: shipments, items, status
    shipments = [
        {
            "carrier": _text(s["carrier"]),
            "tracking_number": _text(s["tracking_number"]),
            "status": _text(s["status_label"]),
            "number": int(s["number"]),
        }
        for s in view["shipments"]
    ]
    shipment: dict[str, Any] = {}
    if event_type == "shipment_status_changed":
        wanted = payload.get("shipment")
        shipment = next((s for s in shipments if s["number"] == wanted), {})
    reason = ""
    if order.status == "cancelled":
        code = str((payload.get("reason") if event_type == "order_cancelled" else "") or order.cancel_reason)
        if code in {r.value for r in CancelReason}:  # a listed reason's label; never free text
            shown = CancelReason.OTHER if code in _CUSTOMER_HIDDEN_REASONS else CancelReason(code)
            reason = _text(cancel_reason_label(shown))
    raw_total = payload.get("total")
    total_change: dict[str, Any] = raw_total if isinstance(raw_total, dict) else {}
    address = order.shipping_address if isinstance(order.shipping_address, dict) else {}
    lines = [
        {
            "name": _text(line.name),
            "quantity": int(line.quantity - line.quantity_cancelled),
            "price": _money(line.unit_price, currency),
            "total": _money(line.unit_price * (line.quantity - line.quantity_cancelled), currency),
        }
        for line in order.lines.all()
        if line.quantity > line.quantity_cancelled
    ]
    return {
        "store": _text(view["seller"]),
        "number": int(order.number),
        "placed": _date(order.created_at, order.seller.time_zone, language),
        "status": _text(view["status_label"]),
        "first_name": (order.customer_name or "").split(" ")[0],
        "lines": lines,
        "subtotal": _money(order.subtotal, currency),
        "shipping": _money(order.shipping_price, currency),
        "discount": _money(order.discount, currency) if order.discount else "",
        "total": _money(order.total, currency),
        "currency": currency,
        "address": ", ".join(_text(address.get(f)) for f in _ADDRESS_FIELDS if address.get(f)),
        "shipments": [{k: v for k, v in s.items() if k != "number"} for s in shipments],
        "shipment": {k: v for k, v in shipment.items() if k != "number"},
        "tracking_url": tracking_url(order),
        "cancel_reason": reason,
        "refunded": _money(payload.get("amount"), currency) if event_type == "refund_recorded" else "",
        "refunded_total": _money(order.refunded_amount, currency),
        "old_total": _money(total_change.get("from"), currency) if total_change else "",
        "new_total": _money(total_change.get("to") or order.total, currency),
    }


def sample_context(*, store: str, currency: str, language: str) -> dict[str, Any]:
    """A made-up order for the preview when the seller has none yet (labelled as a sample)."""
    return {
        "store": store,
        "number": 1001,
        "placed": format_date(timezone.now().date(), format="long", locale=language),
        "status": str(_("Confirmed")),
        "first_name": str(_("Anna")),
        "lines": [
            {
                "name": str(_("Ceramic mug")),
                "quantity": 2,
                "price": money(Decimal("12.50"), currency),
                "total": money(Decimal("25.00"), currency),
            },
        ],
        "subtotal": money(Decimal("25.00"), currency),
        "shipping": money(Decimal("5.00"), currency),
        "discount": "",
        "total": money(Decimal("30.00"), currency),
        "currency": currency,
        "address": "1 Sample Street, Springfield, 12345",
        "shipments": [{"carrier": "Sandbox", "tracking_number": "SB123456789", "status": str(_("Shipped"))}],
        "shipment": {
            "carrier": "Sandbox",
            "tracking_number": "SB123456789",
            "status": str(_("Out for delivery")),
        },
        "tracking_url": str(getattr(settings, "PUBLIC_URL", "") or "").rstrip("/") + "/track/sample/",
        "cancel_reason": str(_("Out of stock")),
        "refunded": money(Decimal("12.50"), currency),
        "refunded_total": money(Decimal("12.50"), currency),
        "old_total": money(Decimal("30.00"), currency),
        "new_total": money(Decimal("17.50"), currency),
    }
