"""Outbox handlers of conversations: the customer's e-mails (R-NOTE-4, R-NOTE-5).

Each runs in the transaction that marks its job done and only queues a delivery
(`notifications.deliveries.queue`), keyed by the event: a retried job queues nothing twice.
The e-mail holds what the customer may see — the message itself, the sender's first name or the
store's name, the order's number and the reply link — never a note or an internal field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sellerdesk.custnotify.services import customer_language
from sellerdesk.orders.models import Order

from .models import Author, Message, Thread

if TYPE_CHECKING:
    from sellerdesk.outbox.models import OutboxEvent


def customer_link(thread: Thread) -> str:
    """The customer's page of the thread: messages, reply form and feedback (no account needed)."""
    return settings.PUBLIC_URL + reverse("customer_thread", args=[thread.token])


def _queue(event: OutboxEvent, order: Order, *, subject: str, body: str, kind: str, language: str) -> None:
    from sellerdesk.notifications import deliveries

    deliveries.queue(
        key=f"{event.event_id}:customer:email",
        channel="email",
        to=order.customer_email,
        subject=subject,
        body=body,
        seller_id=order.seller_id,
        order_id=order.pk,
        language=language,
        kind=kind,
    )


def email_staff_message(event: OutboxEvent, key: str) -> None:
    """`order_message_sent`: the message, by e-mail, with the link to read the thread and reply."""
    message = (
        Message.objects.select_related("thread__order__seller")
        .filter(pk=event.payload.get("message_id"), author_kind=Author.STAFF)
        .first()
    )
    if message is None or not message.thread.order.customer_email:
        return  # deleted with its order, or a customer without e-mail: nothing to send
    thread, order = message.thread, message.thread.order
    language = customer_language(order)
    with translation.override(language):
        subject = _("Order %(number)s: a message from %(store)s") % {
            "number": order.number,
            "store": order.seller.name,
        }
        files = message.attachments.count()
        lines = [
            _("%(sender)s (%(store)s) wrote about your order %(number)s:")
            % {"sender": message.sender_name, "store": order.seller.name, "number": order.number},
            "",
            message.text,
            "",
        ]
        if files:
            lines += [_("Files attached: %(n)s (open the link to see them).") % {"n": files}, ""]
        lines += [_("Read the conversation and reply here:"), customer_link(thread)]
    _queue(event, order, subject=subject, body="\n".join(lines), kind="message", language=language)


def email_feedback_reminder(event: OutboxEvent, key: str) -> None:
    """`feedback_reminder_sent`: the one reminder, with the link to rate the order."""
    if event.order_id is None:
        return
    order = Order.objects.select_related("seller").filter(pk=event.order_id).first()
    thread = Thread.objects.filter(order_id=event.order_id).first()
    if order is None or thread is None or not order.customer_email:
        return
    language = customer_language(order)
    with translation.override(language):
        subject = _("Order %(number)s: how did it go?") % {"number": order.number}
        body = "\n".join(
            [
                _("%(store)s would like to hear how your order %(number)s went.")
                % {"store": order.seller.name, "number": order.number},
                "",
                _("Rate it from 1 to 5 stars and leave a review here:"),
                customer_link(thread) + "#feedback",
            ]
        )
    _queue(event, order, subject=subject, body=body, kind="feedback_reminder", language=language)
