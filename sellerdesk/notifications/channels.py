"""The channels behind one small interface: `send(delivery)` hands one delivery off.

A channel raises `HandoffFailed` when the message surely did not go (no connection, the server
refused it): the delivery is retried. Any other exception leaves the outcome open (never retried
by itself). A `transactional` channel writes only our own rows: its effect commits with the mark.
"""

from __future__ import annotations

import contextlib
import smtplib
from typing import TYPE_CHECKING, Protocol

from django.core.mail import EmailMultiAlternatives, get_connection

if TYPE_CHECKING:
    from .models import Delivery


class HandoffFailed(Exception):
    """The hand-off was refused or never started: nothing was delivered, try again later."""


class ChannelHandler(Protocol):
    transactional: bool

    def send(self, delivery: Delivery) -> None: ...


# SMTP replies and errors that prove the server did not accept the message.
_REFUSED = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)


class EmailChannel:
    """Django's mail API with the configured backend (settings EMAIL_URL)."""

    transactional = False

    def send(self, delivery: Delivery) -> None:
        from django.conf import settings

        message = EmailMultiAlternatives(
            subject=delivery.subject,
            body=delivery.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[delivery.to],
            reply_to=[delivery.reply_to] if delivery.reply_to else None,
            headers={"Content-Language": delivery.language, "X-SellerDesk-Delivery": delivery.key[:200]},
        )
        if delivery.html:
            message.attach_alternative(delivery.html, "text/html")
        conn = get_connection(fail_silently=False)
        try:
            conn.open()  # nothing has been sent yet: any failure here is a refused hand-off
        except (OSError, smtplib.SMTPException) as exc:
            raise HandoffFailed(f"SMTP connection failed: {exc}") from exc
        try:
            try:
                conn.send_messages([message])
            except _REFUSED as exc:
                raise HandoffFailed(f"SMTP server refused the message: {exc}") from exc
        finally:
            # the message was accepted before QUIT; a failing QUIT changes nothing
            with contextlib.suppress(OSError, smtplib.SMTPException):
                conn.close()


class InAppChannel:
    """An alert row for the staff member's bell (the delivery's `to` is the user's id)."""

    transactional = True

    def send(self, delivery: Delivery) -> None:
        from django.utils import timezone

        from .models import Alert

        user_id = delivery.user_id or int(delivery.to)
        Alert.objects.get_or_create(
            delivery=delivery,
            defaults={
                "user_id": user_id,
                "seller_id": delivery.seller_id,
                "order_id": delivery.order_id,
                "kind": delivery.kind,
                "title": delivery.subject,
                "body": delivery.body,
                "created_at": timezone.now(),
            },
        )


class SmsChannel:
    """The configured SMS provider (settings SMS_PROVIDER; see sms.py)."""

    transactional = False

    def send(self, delivery: Delivery) -> None:
        from . import sms

        sms.provider().send(to=delivery.to, body=delivery.body, key=delivery.key)


class PushChannel:
    """Web Push with VAPID to every browser the staff member subscribed (see push.py)."""

    transactional = False

    def send(self, delivery: Delivery) -> None:
        from . import push

        push.send_to_user(delivery)


CHANNELS: dict[str, ChannelHandler] = {
    "email": EmailChannel(),
    "sms": SmsChannel(),
    "inapp": InAppChannel(),
    "push": PushChannel(),
}


def channel_for(name: str) -> ChannelHandler:
    return CHANNELS[name]
