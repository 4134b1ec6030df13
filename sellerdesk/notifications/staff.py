"""Who among the staff hears about what, by which channels (R-NOTE-1): events, defaults, settings.

Each staff member picks, per event, the channels (e-mail, SMS, in-app, push) on the notification
settings page; until they do, `DEFAULTS` apply. A channel is used only when it can reach them:
SMS needs a phone number, push a browser that subscribed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sellerdesk.accounts.models import User
from sellerdesk.accounts.roles import Role

from . import deliveries
from .models import Channel, PushSubscription, StaffSettings


@dataclass(frozen=True)
class StaffEvent:
    name: str
    label: str | Promise
    help: str | Promise


EVENTS: dict[str, StaffEvent] = {
    e.name: e
    for e in (
        StaffEvent("new_order", _("New order"), _("An order was placed (owners and administrators).")),
        StaffEvent("assigned", _("Assigned to me"), _("An order was assigned to you.")),
        StaffEvent("deadline_warning", _("Deadline warning"), _("An order's confirm-by or ship-by is near.")),
        StaffEvent(
            "deadline_missed",
            _("Deadline missed"),
            _("An order's confirm-by or ship-by passed: it was cancelled, or flagged overdue."),
        ),
        StaffEvent("customer_message", _("Customer message"), _("A customer wrote about an order.")),
        StaffEvent("delivery_failed", _("Delivery failed"), _("The carrier could not deliver a parcel.")),
        StaffEvent(
            "amount_change_decided",
            _("Amount change decided"),
            _("The marketplace decided an amount change."),
        ),
        StaffEvent("payment_failed", _("Payment failed"), _("An online payment of an order failed.")),
    )
}

ADMINS = frozenset({Role.OWNER, Role.ADMINISTRATOR})
EMAIL_INAPP = (Channel.EMAIL.value, Channel.INAPP.value)
INAPP = (Channel.INAPP.value,)


def default_channels(event: str, role: str) -> tuple[str, ...]:
    """The channels a staff member gets for `event` until they choose (push: off until subscribed)."""
    if event == "new_order":
        return EMAIL_INAPP if role in ADMINS else ()
    if event in ("assigned", "deadline_warning", "deadline_missed", "customer_message"):
        return EMAIL_INAPP
    if event in ("delivery_failed", "payment_failed", "amount_change_decided"):
        return EMAIL_INAPP if role in ADMINS else INAPP
    return INAPP


def settings_of(user: User) -> StaffSettings:
    found = StaffSettings.objects.filter(user=user).first()
    return found or StaffSettings(user=user, language=settings.LANGUAGE_CODE)


def chosen_channels(user: User, event: str, staff_settings: StaffSettings | None = None) -> tuple[str, ...]:
    """The channels `user` chose for `event` (or the defaults), whether or not they can reach them."""
    s = staff_settings or settings_of(user)
    if event in s.channels:
        return tuple(c for c in s.channels[event] if c in Channel.values)
    return default_channels(event, user.role)


def channels_for(user: User, event: str) -> tuple[str, ...]:
    """The channels that will carry `event` to `user`: chosen, and able to reach them."""
    s = settings_of(user)
    out = []
    for channel in chosen_channels(user, event, s):
        if channel == Channel.SMS and not s.phone:
            continue
        if channel == Channel.PUSH and not PushSubscription.objects.filter(user=user).exists():
            continue
        if channel == Channel.EMAIL and not user.email:
            continue
        out.append(channel)
    return tuple(out)


def admins_of(seller_id: int) -> list[User]:
    return list(
        User.objects.filter(seller_id=seller_id, is_active=True, role__in=[r.value for r in ADMINS]).order_by(
            "id"
        )
    )


def staff_by_ids(seller_id: int, ids: Iterable[int | None]) -> list[User]:
    """Active staff of `seller_id` among `ids` (another seller's id is ignored)."""
    wanted = {i for i in ids if i}
    if not wanted:
        return []
    return list(User.objects.filter(seller_id=seller_id, is_active=True, pk__in=wanted).order_by("id"))


def site_url(path: str) -> str:
    return settings.PUBLIC_URL + path


def order_url(number: int) -> str:
    return site_url(reverse("dashboard:order", args=[number]))


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def notify(
    users: Iterable[User],
    *,
    event: str,
    cause: str,
    seller_id: int,
    order_id: int | None,
    render: Callable[[], Message],
    kind: str = "",
) -> int:
    """Queue `event` to each user on each of their channels, in their language; returns how many.

    `cause` identifies what happened (an outbox event id): the key `<cause>:<user>:<channel>`
    makes the same cause reach the same person on the same channel once.
    """
    queued = 0
    seen: set[int] = set()
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        channels = channels_for(user, event)
        if not channels:
            continue
        s = settings_of(user)
        with translation.override(s.language or settings.LANGUAGE_CODE):
            message = render()
        for channel in channels:
            to = {
                Channel.EMAIL: user.email,
                Channel.SMS: s.phone,
            }.get(Channel(channel), str(user.pk))
            body = message.body
            if channel == Channel.SMS:
                body = f"{message.subject}\n{message.body}"[:600]
            done = deliveries.queue(
                key=f"{cause}:{user.pk}:{channel}",
                channel=channel,
                to=to,
                subject=message.subject,
                body=body,
                seller_id=seller_id,
                order_id=order_id,
                user_id=user.pk,
                language=s.language or settings.LANGUAGE_CODE,
                kind=kind or event,
            )
            queued += done is not None
    return queued
