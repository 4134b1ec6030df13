"""The order vocabulary, declared once: shipping methods, payment methods and cancel reasons.

Each method is a value of an enum and one row of behaviour. The models' choices, the API's
enums, the dashboard's forms and templates, the CSV import, the placement rules and the
transition guards all read these tables; adding a method is one enum value and one row here.
Pure data: no ORM, labels are lazily translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class ShippingMethod(StrEnum):
    CARRIER = "carrier"
    PICKUP = "pickup"
    DIGITAL = "digital"
    LOCAL = "local"


class PaymentMethod(StrEnum):
    ONLINE = "online"
    CASH_ON_DELIVERY = "cash_on_delivery"
    BANK_TRANSFER = "bank_transfer"
    POS_ON_DELIVERY = "pos_on_delivery"


class CancelReason(StrEnum):
    CUSTOMER_REQUEST = "customer_request"
    OUT_OF_STOCK = "out_of_stock"
    PAYMENT_FAILED = "payment_failed"
    FRAUD_SUSPECTED = "fraud_suspected"
    ADDRESS_INVALID = "address_invalid"
    CONFIRM_DEADLINE_MISSED = "confirm_deadline_missed"
    SHIP_DEADLINE_MISSED = "ship_deadline_missed"
    OTHER = "other"


@dataclass(frozen=True)
class Shipping:
    label: Any  # a lazily translated string
    needs_address: bool  # the order cannot be placed without a shipping address
    hand_delivered: bool  # staff mark it delivered themselves; no carrier hands it over
    picked_up: bool = False  # the customer collects it: fulfilled means "picked up"


@dataclass(frozen=True)
class Payment:
    label: Any
    on_delivery: bool  # paid when the goods change hands, so shipping does not wait for it


SHIPPING: dict[ShippingMethod, Shipping] = {
    ShippingMethod.CARRIER: Shipping(_("Carrier"), needs_address=True, hand_delivered=False),
    ShippingMethod.PICKUP: Shipping(_("Pickup"), needs_address=True, hand_delivered=True, picked_up=True),
    ShippingMethod.DIGITAL: Shipping(_("Digital"), needs_address=False, hand_delivered=True),
    ShippingMethod.LOCAL: Shipping(_("Local delivery"), needs_address=True, hand_delivered=False),
}

PAYMENT: dict[PaymentMethod, Payment] = {
    PaymentMethod.ONLINE: Payment(_("Online"), on_delivery=False),
    PaymentMethod.CASH_ON_DELIVERY: Payment(_("Cash on delivery"), on_delivery=True),
    PaymentMethod.BANK_TRANSFER: Payment(_("Bank transfer"), on_delivery=False),
    PaymentMethod.POS_ON_DELIVERY: Payment(_("Card on delivery"), on_delivery=True),
}


@dataclass(frozen=True)
class CancelReasonRow:
    label: Any
    # The seller's doing (R-SLA-5): counts against the seller's cancellation rate. A customer's
    # request, a failed payment, suspected fraud, an undeliverable address or "other" does not.
    seller_caused: bool


CANCEL_REASONS_TABLE: dict[CancelReason, CancelReasonRow] = {
    CancelReason.CUSTOMER_REQUEST: CancelReasonRow(_("Customer asked to cancel"), seller_caused=False),
    CancelReason.OUT_OF_STOCK: CancelReasonRow(_("Out of stock"), seller_caused=True),
    CancelReason.PAYMENT_FAILED: CancelReasonRow(_("Payment failed"), seller_caused=False),
    CancelReason.FRAUD_SUSPECTED: CancelReasonRow(_("Fraud suspected"), seller_caused=False),
    CancelReason.ADDRESS_INVALID: CancelReasonRow(_("Address is invalid"), seller_caused=False),
    CancelReason.CONFIRM_DEADLINE_MISSED: CancelReasonRow(
        _("Confirm-by deadline missed"), seller_caused=True
    ),
    CancelReason.SHIP_DEADLINE_MISSED: CancelReasonRow(_("Ship-by deadline missed"), seller_caused=True),
    CancelReason.OTHER: CancelReasonRow(_("Other (say why)"), seller_caused=False),
}
CANCEL_REASON_LABELS: dict[CancelReason, Any] = {r: row.label for r, row in CANCEL_REASONS_TABLE.items()}
SELLER_CAUSED_CANCEL_REASONS = frozenset(r for r, row in CANCEL_REASONS_TABLE.items() if row.seller_caused)

SHIPPING_CHOICES = [(m.value, row.label) for m, row in SHIPPING.items()]
PAYMENT_CHOICES = [(m.value, row.label) for m, row in PAYMENT.items()]
CANCEL_REASON_CHOICES = [(r.value, label) for r, label in CANCEL_REASON_LABELS.items()]

HAND_DELIVERED = frozenset(m for m, row in SHIPPING.items() if row.hand_delivered)
PAY_ON_DELIVERY = frozenset(m for m, row in PAYMENT.items() if row.on_delivery)


def shipping(method: str) -> Shipping | None:
    """The behaviour row of a shipping method, or None for an unknown one."""
    try:
        return SHIPPING[ShippingMethod(method)]
    except ValueError:
        return None


def needs_address(method: str) -> bool:
    row = shipping(method)
    return row is None or row.needs_address


def is_hand_delivered(method: str) -> bool:
    row = shipping(method)
    return row is not None and row.hand_delivered


def is_picked_up(method: str) -> bool:
    row = shipping(method)
    return row is not None and row.picked_up


def shipping_label(method: str) -> Any:
    row = shipping(method)
    return row.label if row else method


def payment_label(method: str) -> Any:
    try:
        return PAYMENT[PaymentMethod(method)].label
    except ValueError:
        return method


def cancel_reason_label(reason: str) -> Any:
    try:
        return CANCEL_REASON_LABELS[CancelReason(reason)]
    except ValueError:
        return reason
