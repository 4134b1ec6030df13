"""The writers of webhook subscriptions and deliveries (R-NOTE-7). Each is one transaction.

Every id is resolved within the caller's seller: another seller's subscription or delivery is
"not found", exactly like an id that exists nowhere.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from sellerdesk.accounts.actors import Actor
from sellerdesk.core import secrets
from sellerdesk.core.errors import Conflict, InvalidInput, NotFound
from sellerdesk.core.events import EVENT_TYPES

from . import signing, ssrf
from .models import DeliveryStatus, DisabledReason, WebhookDelivery, WebhookSubscription

log = logging.getLogger("sellerdesk.webhooks")

PERMISSION = "settings.manage"
TEST_EVENT = "webhook.test"
MAX_SUBSCRIPTIONS = 20
ROTATION_OVERLAP = dt.timedelta(hours=24)


def event_type_choices() -> list[str]:
    """The event types a subscription may choose: the one registry of event types."""
    return sorted(EVENT_TYPES)


def subscription_get(*, seller_id: int, webhook_id: int, lock: bool = False) -> WebhookSubscription:
    qs = WebhookSubscription.objects.filter(seller_id=seller_id, pk=webhook_id)
    if lock:
        qs = qs.select_for_update()
    sub = qs.first()
    if sub is None:
        raise NotFound("webhook_not_found", f"There is no webhook {webhook_id}.")
    return sub


def delivery_get(*, seller_id: int, webhook_id: int, delivery_id: int, lock: bool = False) -> WebhookDelivery:
    sub = subscription_get(seller_id=seller_id, webhook_id=webhook_id)  # its own 404 first
    qs = WebhookDelivery.objects.filter(seller_id=seller_id, subscription_id=sub.pk, pk=delivery_id)
    if lock:
        qs = qs.select_for_update()
    delivery = qs.select_related("subscription").first()
    if delivery is None:
        raise NotFound("delivery_not_found", f"There is no delivery {delivery_id} of this webhook.")
    return delivery


def _event_types(values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    unknown = [v for v in chosen if v not in EVENT_TYPES]
    if unknown:
        raise InvalidInput(
            "unknown_event_type",
            _("Unknown event type: %(types)s.") % {"types": ", ".join(unknown[:5])},
            field="event_types",
        )
    if not chosen:
        raise InvalidInput("no_event_types", _("Choose at least one event type."), field="event_types")
    return sorted(chosen)


def _description(text: str) -> str:
    text = (text or "").strip()
    if len(text) > 200 or any(ord(ch) < 32 for ch in text):
        raise InvalidInput(
            "invalid_description",
            _("The description is one line of at most 200 characters."),
            field="description",
        )
    return text


@dataclass(frozen=True)
class Created:
    subscription: WebhookSubscription
    secret: str  # shown once


def subscription_create(
    *, seller_id: int, actor: Actor, url: str, event_types: Iterable[str], description: str = ""
) -> Created:
    actor.require(PERMISSION)
    url = url.strip()
    types = _event_types(event_types)
    description = _description(description)
    ssrf.check_url(url)  # outside the transaction: a DNS lookup holds no lock
    secret = signing.new_secret()
    now = timezone.now()
    with transaction.atomic():
        if WebhookSubscription.objects.filter(seller_id=seller_id).count() >= MAX_SUBSCRIPTIONS:
            raise Conflict(
                "too_many_webhooks",
                _("A seller has at most %(n)s webhooks; delete one first.") % {"n": MAX_SUBSCRIPTIONS},
            )
        sub = WebhookSubscription.objects.create(
            seller_id=seller_id,
            url=url,
            event_types=types,
            description=description,
            secret_encrypted=secrets.encrypt(secret),
            created_at=now,
            updated_at=now,
        )
    log.info("webhook %s created by %s", sub.pk, actor.label)
    return Created(sub, secret)


_UNSET: Any = object()


def subscription_update(
    *,
    seller_id: int,
    actor: Actor,
    webhook_id: int,
    url: str = _UNSET,
    event_types: Iterable[str] = _UNSET,
    description: str = _UNSET,
    is_active: bool = _UNSET,
) -> WebhookSubscription:
    """Change what is given. Enabling a disabled subscription clears its failure record."""
    actor.require(PERMISSION)
    subscription_get(seller_id=seller_id, webhook_id=webhook_id)  # 404 before any lookup of the URL
    changes: dict[str, Any] = {}
    if url is not _UNSET:
        changes["url"] = url.strip()
        ssrf.check_url(changes["url"])
    if event_types is not _UNSET:
        changes["event_types"] = _event_types(event_types)
    if description is not _UNSET:
        changes["description"] = _description(description)
    now = timezone.now()
    with transaction.atomic():
        sub = subscription_get(seller_id=seller_id, webhook_id=webhook_id, lock=True)
        if is_active is not _UNSET and is_active != sub.is_active:
            changes["is_active"] = is_active
            changes["disabled_reason"] = "" if is_active else DisabledReason.MANUAL
            changes["disabled_at"] = None if is_active else now
            changes["failing_since"] = None
        for name, value in changes.items():
            setattr(sub, name, value)
        sub.updated_at = now
        sub.save()
    return sub


def subscription_delete(*, seller_id: int, actor: Actor, webhook_id: int) -> None:
    actor.require(PERMISSION)
    with transaction.atomic():
        subscription_get(seller_id=seller_id, webhook_id=webhook_id, lock=True).delete()


def subscription_rotate(*, seller_id: int, actor: Actor, webhook_id: int) -> Created:
    """A new secret; the current one keeps signing (as a second signature) for 24 hours."""
    actor.require(PERMISSION)
    secret = signing.new_secret()
    now = timezone.now()
    with transaction.atomic():
        sub = subscription_get(seller_id=seller_id, webhook_id=webhook_id, lock=True)
        sub.previous_secret_encrypted = sub.secret_encrypted
        sub.previous_secret_expires_at = now + ROTATION_OVERLAP
        sub.secret_encrypted = secrets.encrypt(secret)
        sub.updated_at = now
        sub.save()
    return Created(sub, secret)


def envelope(
    *, type_: str, version: int, message_id: str, timestamp: dt.datetime, seller_id: int, data: dict[str, Any]
) -> str:
    """The versioned JSON body every delivery carries (the exact text is signed)."""
    return json.dumps(
        {
            "type": type_,
            "version": version,
            "id": message_id,
            "timestamp": timestamp.isoformat(),
            "seller": seller_id,
            "data": data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def test_send(*, seller_id: int, actor: Actor, webhook_id: int) -> WebhookDelivery:
    """Queue a `webhook.test` message to the subscription; the worker sends it."""
    actor.require(PERMISSION)
    now = timezone.now()
    with transaction.atomic():
        sub = subscription_get(seller_id=seller_id, webhook_id=webhook_id, lock=True)
        if not sub.is_active:
            raise Conflict("webhook_disabled", _("Enable the webhook before sending a test."))
        message_id = "test_" + get_random_string(20)
        body = envelope(
            type_=TEST_EVENT,
            version=1,
            message_id=message_id,
            timestamp=now,
            seller_id=seller_id,
            data={"message": "This is a test delivery from SellerDesk."},
        )
        return WebhookDelivery.objects.create(
            subscription=sub,
            seller_id=seller_id,
            message_id=message_id,
            event_type=TEST_EVENT,
            body=body,
            next_attempt_at=now,
            created_at=now,
        )


def delivery_replay(*, seller_id: int, actor: Actor, webhook_id: int, delivery_id: int) -> WebhookDelivery:
    """Send a delivery again now (same `webhook-id` and body); a failure then follows the schedule."""
    actor.require(PERMISSION)
    now = timezone.now()
    with transaction.atomic():
        delivery = delivery_get(
            seller_id=seller_id, webhook_id=webhook_id, delivery_id=delivery_id, lock=True
        )
        if not delivery.subscription.is_active:
            raise Conflict("webhook_disabled", _("Enable the webhook before replaying its deliveries."))
        delivery.status = DeliveryStatus.PENDING
        delivery.step = 0
        delivery.next_attempt_at = now
        delivery.replay_pending = True
        delivery.save(update_fields=["status", "step", "next_attempt_at", "replay_pending"])
    return delivery
