"""Queue a message, and hand it to its channel after commit: at most once per key (R-NOTE-3).

`queue(...)` writes a `Delivery` row and its django-tasks job in the caller's transaction (the
job is a row of the same database, so both commit or neither does). The worker runs the job:

1. claim: one conditional UPDATE queued → sending (with `claimed_at`), COMMITTED before anything
   leaves the process — of two workers only one wins, and a crash after this point can never
   lead to a second hand-off;
2. hand-off to the channel (SMTP, SMS provider, push service; an in-app alert is a row);
3. mark sent. A hand-off that was refused (no connection, a 4xx/5xx reply: the message surely
   did not go) goes back to queued with backoff, and after the last try is `failed`. Anything
   else (the connection dropped mid-way) leaves the outcome open: it stays `sending`.

A row left in `sending` (its worker died between hand-off and mark) is never sent again by
itself; after DELIVERY_SENDING_TIMEOUT it shows as "unknown outcome" and staff may resend it by
hand (`resend`, a new row that points at the old one).

`send_due()` runs every due delivery now (the worker's periodic "deliveries" row, and tests).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from .channels import HandoffFailed, channel_for
from .models import Channel, Delivery, DeliveryStatus

log = logging.getLogger("sellerdesk.notifications")


def queue(
    *,
    key: str,
    channel: str,
    to: str,
    subject: str,
    body: str,
    seller_id: int,
    html: str = "",
    order_id: int | None = None,
    user_id: int | None = None,
    language: str = "en",
    kind: str = "",
    reply_to: str = "",
) -> Delivery | None:
    """Write one delivery (and its job) in the caller's transaction; None when `key` exists."""
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if Delivery.objects.filter(key=key).exists():
        return None
    now = timezone.now()
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                key=key,
                channel=channel,
                to=to,
                subject=subject[:300],
                body=body,
                html=html,
                reply_to=reply_to,
                seller_id=seller_id,
                order_id=order_id,
                user_id=user_id,
                language=language,
                kind=kind,
                max_attempts=settings.DELIVERY_MAX_ATTEMPTS,
                next_attempt_at=now,
                created_at=now,
            )
            send_delivery.enqueue(delivery.pk)
    except IntegrityError:  # the same key queued concurrently
        return None
    return delivery


@task()
def send_delivery(delivery_id: int) -> str:
    """The worker's job for one delivery (also safe to run for one already handled)."""
    return send(delivery_id)


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    """queued → sending, committed by the caller before the hand-off; False when another took it."""
    return bool(
        Delivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.QUEUED, next_attempt_at__lte=now
        ).update(status=DeliveryStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    )


def send(delivery_id: int, now: dt.datetime | None = None) -> str:
    """Claim, hand off and mark one delivery; returns what happened."""
    if not _claim(delivery_id, now or timezone.now()):
        return "skipped"
    return _hand_off(delivery_id)


def _hand_off(delivery_id: int) -> str:
    delivery = Delivery.objects.get(pk=delivery_id)
    handler = channel_for(delivery.channel)
    try:
        if handler.transactional:  # a row of our own database: the effect and the mark commit together
            with transaction.atomic():
                handler.send(delivery)
                _mark_sent(delivery)
            return "sent"
        handler.send(delivery)
    except HandoffFailed as exc:
        _retry_or_fail(delivery, str(exc))
        return "retry" if delivery.attempts < delivery.max_attempts else "failed"
    except Exception as exc:  # noqa: BLE001  the outcome is open: stays "sending", never re-sent
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            last_error=f"outcome unknown: {type(exc).__name__}: {exc}"[:2000]
        )
        log.error("delivery %s: outcome unknown (%s)", delivery.key, exc)
        return "unknown"
    _mark_sent(delivery)
    return "sent"


def _mark_sent(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )


def _retry_or_fail(delivery: Delivery, error: str) -> None:
    from sellerdesk.outbox.jobs import backoff  # the outbox's retry schedule (its handlers import us)

    now = timezone.now()
    q = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING)
    if delivery.attempts >= delivery.max_attempts:
        q.update(status=DeliveryStatus.FAILED, last_error=error[:2000])
        log.warning("delivery %s failed after %s tries: %s", delivery.key, delivery.attempts, error)
        return
    run_at = now + dt.timedelta(seconds=backoff(delivery.attempts))
    with transaction.atomic():
        if q.update(status=DeliveryStatus.QUEUED, next_attempt_at=run_at, last_error=error[:2000]):
            send_delivery.using(run_after=run_at).enqueue(delivery.pk)


def send_due(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Send every delivery due by `now`; returns how many were handed off. Marks stale ones unknown."""
    now = now or timezone.now()
    mark_unknown(now)
    due = Delivery.objects.filter(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "id"
    )
    sent = 0
    for _ in range(limit):
        # One row at a time, claimed in the transaction that locked it: on PostgreSQL two sweeps
        # skip each other's row (SKIP LOCKED); on SQLite the database lock serialises them. The
        # conditional claim is what guarantees one hand-off either way.
        with transaction.atomic():
            pk = due.select_for_update(skip_locked=True).values_list("pk", flat=True).first()
            if pk is None:
                break
            claimed = _claim(pk, now)
        if claimed and _hand_off(pk) == "sent":
            sent += 1
    return sent


def run_periodic() -> int:
    """The worker's periodic "deliveries" row: catch up on due deliveries, expose stuck ones."""
    return send_due()


def mark_unknown(now: dt.datetime | None = None) -> int:
    """Rows in "sending" past DELIVERY_SENDING_TIMEOUT: their worker died mid-hand-off."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.DELIVERY_SENDING_TIMEOUT)
    return Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale).update(
        status=DeliveryStatus.UNKNOWN,
        last_error="the worker stopped between hand-off and mark: it may or may not have arrived",
    )


RESENDABLE = (DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN)


def resend(delivery: Delivery) -> Delivery:
    """Queue a copy of a failed or unknown delivery (by hand, staff's decision); returns the copy."""
    if delivery.status not in RESENDABLE:
        raise ValueError("only a failed delivery or one of unknown outcome can be resent")
    n = Delivery.objects.filter(
        Q(resent_from=delivery) | Q(key__startswith=f"{delivery.key}:resend:")
    ).count()
    copy = queue(
        key=f"{delivery.key}:resend:{n + 1}",
        channel=delivery.channel,
        to=delivery.to,
        subject=delivery.subject,
        body=delivery.body,
        html=delivery.html,
        seller_id=delivery.seller_id,
        order_id=delivery.order_id,
        user_id=delivery.user_id,
        language=delivery.language,
        kind=delivery.kind,
        reply_to=delivery.reply_to,
    )
    assert copy is not None
    Delivery.objects.filter(pk=copy.pk).update(resent_from=delivery)
    copy.resent_from = delivery
    return copy


def outcome(delivery: Delivery, now: dt.datetime | None = None) -> str:
    """The status shown in the log: "sending" past the timeout reads as unknown."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.DELIVERY_SENDING_TIMEOUT)
    if delivery.status == DeliveryStatus.SENDING and delivery.claimed_at and delivery.claimed_at < stale:
        return DeliveryStatus.UNKNOWN
    return str(delivery.status)
