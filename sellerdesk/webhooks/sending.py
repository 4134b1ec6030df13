"""Sending deliveries (R-NOTE-7), in the worker only: a periodic job claims due deliveries and posts them.

Claiming is one short transaction (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL) that pushes
the claimed rows' `next_attempt_at` a lease ahead, so two workers never post the same delivery at
once and a worker that dies mid-send leaves it due again when the lease ends. The request itself
runs outside any transaction; its outcome is recorded in another short one.

Headers follow the Standard Webhooks specification: `webhook-id` (the message id, the same on
every try), `webhook-timestamp` (this attempt, unix seconds) and `webhook-signature`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from sellerdesk.core.errors import InvalidInput

from . import schedule, signing, ssrf
from .models import DeliveryStatus, DisabledReason, WebhookAttempt, WebhookDelivery, WebhookSubscription

log = logging.getLogger("sellerdesk.webhooks")

LEASE = dt.timedelta(minutes=2)
BODY_KEPT = 1000  # characters of the response body kept in the log
USER_AGENT = "SellerDesk-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    body: str
    error: str
    duration_ms: int
    retry_after: str | None


def claim(now: dt.datetime, limit: int) -> list[int]:
    """Take up to `limit` due deliveries of active subscriptions for this worker (a lease)."""
    with transaction.atomic():
        qs = WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, subscription__is_active=True
        ).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        ids = list(qs.values_list("pk", flat=True)[:limit])
        if ids:
            WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=now + LEASE)
    return ids


def post(delivery: WebhookDelivery, sub: WebhookSubscription, now: dt.datetime) -> Outcome:
    """One HTTP request: signed, with a timeout, no redirects followed, no proxies from the environment,
    to an address checked just before (ssrf.py): the name is not resolved again in between."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = ssrf.check_url(sub.url)  # again at send time: the name may resolve elsewhere by now
    except InvalidInput as exc:
        return Outcome(None, "", exc.detail[:500], took(), None)
    keys = sub.signing_secrets(now)
    if not keys:
        return Outcome(None, "", "the signing secret cannot be read (SECRETS_KEY changed?)", took(), None)
    timestamp = int(now.timestamp())
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signing.signature_header(keys, delivery.message_id, timestamp, delivery.body),
    }
    try:
        with ssrf.post_checked(
            target, data=delivery.body.encode(), headers=headers, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS
        ) as resp:
            raw = resp.raw.read(BODY_KEPT * 4, decode_content=True) or b""
            body = raw.decode(resp.encoding or "utf-8", "replace")[:BODY_KEPT]
            return Outcome(resp.status_code, body, "", took(), resp.headers.get("retry-after"))
    except requests.RequestException as exc:
        return Outcome(None, "", f"{type(exc).__name__}: {exc}"[:500], took(), None)


def record(delivery_id: int, started: dt.datetime, outcome: Outcome) -> WebhookDelivery:
    """Log the attempt and decide what follows: delivered, retry later, or give up (and disable)."""
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        sub = WebhookSubscription.objects.select_for_update().get(pk=delivery.subscription_id)
        WebhookAttempt.objects.create(
            delivery=delivery,
            started_at=started,
            duration_ms=outcome.duration_ms,
            status_code=outcome.status_code,
            response_body=outcome.body,
            error=outcome.error,
            manual=delivery.replay_pending,
        )
        delivery.attempts += 1
        delivery.replay_pending = False
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error
        code = outcome.status_code
        if code is not None and 200 <= code < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            delivery.step = 0
            sub.failing_since = None
        else:
            delivery.step += 1
            sub.failing_since = sub.failing_since or started
            asked = schedule.retry_after(outcome.retry_after, now)
            later = schedule.next_attempt(delivery.step, now, asked)
            reason = ""
            if code == 410:
                reason, later = DisabledReason.GONE, None
            elif later is None or now - sub.failing_since >= schedule.DISABLE_AFTER:
                reason = DisabledReason.FAILING
            if later is None:
                delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = later
            if reason and sub.is_active:
                sub.is_active = False
                sub.disabled_reason = reason
                sub.disabled_at = now
                log.warning("webhook %s of seller %s disabled: %s", sub.pk, sub.seller_id, reason)
        delivery.save()
        sub.save(update_fields=["failing_since", "is_active", "disabled_reason", "disabled_at"])
    return delivery


def send_one(delivery_id: int) -> WebhookDelivery | None:
    """Post one claimed delivery and record the outcome; None when its webhook was deleted meanwhile."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None:
        return None
    started = timezone.now()
    outcome = post(delivery, delivery.subscription, started)
    try:
        return record(delivery_id, started, outcome)
    except (WebhookDelivery.DoesNotExist, WebhookSubscription.DoesNotExist):
        return None  # deleted while the request ran: nothing left to log


def send_due(*, budget_seconds: float | None = None) -> dict[str, int]:
    """The periodic job: send due deliveries in small claims until none is due or the budget is spent."""
    budget = settings.WEBHOOKS_SEND_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    counts = {"sent": 0, "delivered": 0}
    while time.monotonic() < deadline:
        ids = claim(timezone.now(), settings.WEBHOOKS_BATCH)
        if not ids:
            break
        for pk in ids:
            delivery = send_one(pk)
            if delivery is None:
                continue
            counts["sent"] += 1
            counts["delivered"] += delivery.status == DeliveryStatus.DELIVERED
    return counts
