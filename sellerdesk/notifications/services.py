"""Writes of the notification pages: read alerts, save a staff member's settings, resend by hand."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import User
from sellerdesk.core.errors import Conflict, NotFound

from . import deliveries, selectors
from .models import Alert, Channel, Delivery, PushSubscription, StaffSettings
from .staff import EVENTS


def alert_read(*, user: User, alert_id: int) -> Alert:
    """Mark one of `user`'s alerts read (another user's alert is NotFound)."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id, user=user).first()
        if alert is None:
            raise NotFound("alert_not_found", f"There is no alert {alert_id}.")
        if alert.read_at is None:
            alert.read_at = timezone.now()
            alert.save(update_fields=["read_at"])
    return alert


def alerts_read_all(*, user: User) -> int:
    with transaction.atomic():
        return Alert.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def settings_save(*, user: User, channels: dict[str, list[str]], phone: str, language: str) -> StaffSettings:
    """Store the channels per event (unknown events and channels are dropped), phone and language."""
    clean = {
        event: [c for c in Channel.values if c in chosen]
        for event, chosen in channels.items()
        if event in EVENTS
    }
    with transaction.atomic():
        s, _ = StaffSettings.objects.select_for_update().get_or_create(user=user)
        s.channels = clean
        s.phone = phone
        s.language = language
        s.save()
    return s


def delivery_resend(*, seller_id: int, number: int | str, delivery_id: int, actor: Actor) -> Delivery:
    """Queue again a failed delivery, or one of unknown outcome, of the seller's order (by hand)."""
    actor.require("delivery.resend")
    with transaction.atomic():
        delivery = selectors.delivery_of(seller_id=seller_id, number=number, delivery_id=delivery_id)
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        deliveries.mark_unknown()
        delivery.refresh_from_db()
        if delivery.status not in deliveries.RESENDABLE:
            raise Conflict(
                "delivery_not_resendable",
                "Only a failed delivery or one of unknown outcome can be resent.",
            )
        return deliveries.resend(delivery)


def push_subscribe(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Store a browser's subscription for `user` (a browser re-subscribing replaces its keys)."""
    with transaction.atomic():
        sub, _ = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"user": user, "p256dh": p256dh, "auth": auth, "created_at": timezone.now()},
        )
    return sub


def push_unsubscribe(*, user: User, endpoint: str) -> int:
    with transaction.atomic():
        return PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()[0]
