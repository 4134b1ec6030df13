"""The outbox handler that tells the customer (R-NOTE-2): one row in HANDLERS per event type of
the catalogue (sellerdesk/outbox/handlers.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sellerdesk.core import phones

from .catalogue import CHANNELS, EMAIL, kind_for

if TYPE_CHECKING:
    from sellerdesk.orders.models import Order
    from sellerdesk.outbox.models import OutboxEvent


def recipient(order: Order, channel: str) -> str:
    """The customer's address on `channel` from the order's snapshot: e-mail, or an E.164 phone
    (a national number is read in the delivery country, else the seller's)."""
    if channel == EMAIL:
        return (order.customer_email or "").strip()
    address = order.shipping_address if isinstance(order.shipping_address, dict) else {}
    region = str(address.get("country") or order.seller.country or "RU").upper()
    number = phones.normalize(order.customer_phone or "", region=region)
    return f"+{number}" if number else ""


def notify_customer(event: OutboxEvent, key: str) -> None:
    """Queue the customer's e-mail and SMS for an event, each on if the seller switched it on.

    Test orders tell nobody: their customers are made up, and the preview shows what would be
    sent. The delivery key `<event id>:customer:<channel>` makes a replayed job queue nothing new.
    """
    from sellerdesk.notifications import deliveries  # the delivery machinery (its own app)
    from sellerdesk.orders.models import Order

    from .context import customer_context
    from .services import customer_language, effective, render_message

    kind = kind_for(event.type, event.payload or {})
    if kind is None or event.order_id is None:
        return
    order = Order.objects.select_related("seller").filter(pk=event.order_id).first()
    if order is None or order.is_test:
        return
    language = customer_language(order)
    context = None
    for channel in CHANNELS:
        template = effective(order.seller_id, kind, channel, language)
        to = recipient(order, channel)
        if not template.enabled or not to:
            continue
        if context is None:
            from django.utils import translation

            with translation.override(language):
                context = customer_context(
                    order, language=language, event_type=event.type, payload=event.payload or {}
                )
        subject, body = render_message(template, context)
        if not body:
            continue
        deliveries.queue(
            key=f"{event.event_id}:customer:{channel}",
            channel=channel,
            to=to,
            subject=subject,
            body=body,
            seller_id=order.seller_id,
            order_id=order.pk,
            language=language,
            kind=f"customer_{kind.code}",
        )
