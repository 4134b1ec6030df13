"""The ONE catalogue of customer notifications (R-NOTE-2).

Each kind names the event that causes it, a test on the event's payload (a shipment status
change is only "out for delivery" when that is its new status), and its default templates. The
settings page, the outbox handler, the preview and docs/customer-notifications.md all read this
table; adding a kind is adding a row.

Default texts are written in English and translated through the catalogue like any other string
(`sellerdesk/custnotify/locale`): rendering a default under `translation.override("ru")` gives
the Russian template. A seller's own text for a (kind, channel, language) replaces it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EMAIL = "email"
SMS = "sms"
CHANNELS: tuple[str, ...] = (EMAIL, SMS)
CHANNEL_LABELS: dict[str, Promise] = {EMAIL: _("E-mail"), SMS: _("SMS")}
# On unless the seller switches it off: e-mail. Off unless switched on: SMS (it costs money).
DEFAULT_ON: dict[str, bool] = {EMAIL: True, SMS: False}

# The languages customer templates exist in (the project's LANGUAGES).
LANGUAGES: tuple[str, ...] = ("en", "ru")


def _always(event_type: str, payload: dict[str, Any]) -> bool:
    return True


def _shipped(event_type: str, payload: dict[str, Any]) -> bool:
    """The order left, unless staff who fulfilled it by hand chose not to tell the customer; or staff
    gave a shipment its tracking number later and asked to tell the customer."""
    if event_type == "shipment_updated":
        return bool(payload.get("notify_customer")) and "tracking_number" in (payload.get("changes") or {})
    return payload.get("notify_customer") is not False


def _changed_to(status: str) -> Callable[[str, dict[str, Any]], bool]:
    """A shipment reached `status`: reported by the carrier, or set by staff who asked to tell the customer."""

    def test(event_type: str, payload: dict[str, Any]) -> bool:
        change = payload.get("status")
        if not (isinstance(change, dict) and change.get("to") == status):
            return False
        return payload.get("source") != "staff" or bool(payload.get("notify_customer"))

    return test


def _total_changed(event_type: str, payload: dict[str, Any]) -> bool:
    """An edit or an approved request that changed the amount (a denied one changes nothing)."""
    total = payload.get("total")
    if payload.get("decision") not in (None, "approved"):
        return False
    return isinstance(total, dict) and str(total.get("from")) != str(total.get("to"))


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise
    help: Promise  # when it is sent, for the settings page
    events: tuple[str, ...]  # the event types that cause it
    applies: Callable[[str, dict[str, Any]], bool]  # (event type, payload): does the event concern it
    subject: Promise  # default e-mail subject (a template)
    body: Promise  # default e-mail body (a template)
    sms: Promise  # default SMS text (a template)


KINDS: tuple[Kind, ...] = (
    Kind(
        "placed",
        _("Order placed"),
        _("When an order is placed."),
        ("order_placed",),
        _always,
        _("Your order {{ number }} at {{ store }}"),
        _(
            "Hello {{ first_name }},\n\nthank you for your order {{ number }} of {{ placed }}.\n\n"
            "{% for line in lines %}{{ line.name }} × {{ line.quantity }}: {{ line.total }}\n{% endfor %}"
            "Total: {{ total }}\n\nWe will let you know when it is confirmed.\n{{ tracking_url }}\n\n{{ store }}"
        ),
        _("{{ store }}: order {{ number }} received, total {{ total }}."),
    ),
    Kind(
        "confirmed",
        _("Order confirmed"),
        _("When the seller confirms the order."),
        ("order_confirmed",),
        _always,
        _("Order {{ number }} is confirmed"),
        _(
            "Hello {{ first_name }},\n\nyour order {{ number }} is confirmed and being prepared.\n"
            "Total: {{ total }}\n\nTrack your order: {{ tracking_url }}\n\n{{ store }}"
        ),
        _("{{ store }}: order {{ number }} is confirmed."),
    ),
    Kind(
        "shipped",
        _("Order shipped"),
        _("When the order is handed to the carrier; with the tracking numbers."),
        ("order_shipped", "shipment_updated"),
        _shipped,
        _("Order {{ number }} is on its way"),
        _(
            "Hello {{ first_name }},\n\nyour order {{ number }} has been shipped.\n"
            "{% for s in shipments %}{{ s.carrier }}{% if s.tracking_number %}, tracking number "
            "{{ s.tracking_number }}{% endif %}\n{% endfor %}\nTrack your order: {{ tracking_url }}\n\n{{ store }}"
        ),
        _(
            "{{ store }}: order {{ number }} shipped.{% for s in shipments %}{% if s.tracking_number %} "
            "{{ s.carrier }} {{ s.tracking_number }}{% endif %}{% endfor %}"
        ),
    ),
    Kind(
        "out_for_delivery",
        _("Out for delivery"),
        _("When the carrier reports that a parcel is out for delivery."),
        ("shipment_status_changed",),
        _changed_to("out_for_delivery"),
        _("Order {{ number }} is out for delivery"),
        _(
            "Hello {{ first_name }},\n\nyour parcel from order {{ number }} is out for delivery today"
            "{% if shipment.carrier %} with {{ shipment.carrier }}{% endif %}.\n"
            "{% if shipment.tracking_number %}Tracking number: {{ shipment.tracking_number }}\n{% endif %}"
            "\nTrack your order: {{ tracking_url }}\n\n{{ store }}"
        ),
        _("{{ store }}: order {{ number }} is out for delivery today."),
    ),
    Kind(
        "delivered",
        _("Order delivered"),
        _("When the order has reached the customer."),
        ("order_delivered",),
        _always,
        _("Order {{ number }} is delivered"),
        _(
            "Hello {{ first_name }},\n\nyour order {{ number }} has been delivered. "
            "Thank you for shopping with us!\n\n{{ store }}"
        ),
        _("{{ store }}: order {{ number }} is delivered. Thank you!"),
    ),
    Kind(
        "cancelled",
        _("Order cancelled"),
        _("When the order is cancelled; with the reason."),
        ("order_cancelled",),
        _always,
        _("Order {{ number }} is cancelled"),
        _(
            "Hello {{ first_name }},\n\nwe are sorry: your order {{ number }} has been cancelled."
            "{% if cancel_reason %}\nReason: {{ cancel_reason }}.{% endif %}\n\n"
            "If you paid for it, the money will be returned.\n\n{{ store }}"
        ),
        _(
            "{{ store }}: order {{ number }} is cancelled.{% if cancel_reason %} {{ cancel_reason }}.{% endif %}"
        ),
    ),
    Kind(
        "refunded",
        _("Refund"),
        _("When a refund is recorded on the order."),
        ("refund_recorded",),
        _always,
        _("Refund for order {{ number }}"),
        _(
            "Hello {{ first_name }},\n\nwe have refunded {{ refunded }} for your order {{ number }}.\n"
            "Refunded in total: {{ refunded_total }}.\n\n{{ store }}"
        ),
        _("{{ store }}: {{ refunded }} refunded for order {{ number }}."),
    ),
    Kind(
        "amount_changed",
        _("Amount changed"),
        _("When the order's amount changes (an edit, or an approved change request)."),
        ("order_changed", "amount_change_decided"),
        _total_changed,
        _("The amount of order {{ number }} has changed"),
        _(
            "Hello {{ first_name }},\n\nthe amount of your order {{ number }} has changed "
            "from {{ old_total }} to {{ new_total }}.\n\n"
            "{% for line in lines %}{{ line.name }} × {{ line.quantity }}: {{ line.total }}\n{% endfor %}"
            "\n{{ store }}"
        ),
        _("{{ store }}: order {{ number }} now costs {{ new_total }} (was {{ old_total }})."),
    ),
)

KIND_BY_CODE: dict[str, Kind] = {k.code: k for k in KINDS}
KIND_CHOICES = [(k.code, k.label) for k in KINDS]
# The event types the outbox hands to the customer handler (sellerdesk/outbox/handlers.py).
EVENT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(e for k in KINDS for e in k.events))


def kind_for(event_type: str, payload: dict[str, Any]) -> Kind | None:
    """The kind of customer notification an event causes, or None."""
    for kind in KINDS:
        if event_type in kind.events and kind.applies(event_type, payload):
            return kind
    return None


def default_texts(kind: Kind, channel: str) -> tuple[str, str]:
    """(subject, body) of the default template in the active language."""
    if channel == SMS:
        return "", str(kind.sms)
    return str(kind.subject), str(kind.body)
