"""Periodic jobs: ONE table, name → (function, period). Each runs once per period in total.

Every worker checks the table every poll; the first to insert (name, period start) into
`PeriodicRun` (unique) enqueues the job, the others' inserts fail. So one run per period
however many workers there are. The deadline sweeps of later issues are rows here.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from .models import PeriodicRun


class Periodic(NamedTuple):
    function: str  # dotted path
    every: dt.timedelta


def prune() -> dict[str, int]:
    """Delete expired API idempotency keys, finished outbox jobs and task results, old guards and
    finished webhook deliveries."""
    from django_tasks_db.models import DBTaskResult

    from sellerdesk.api.models import IdempotencyKey
    from sellerdesk.webhooks.models import DeliveryStatus, WebhookDelivery

    from .models import JobStatus, Once, OutboxJob

    now = timezone.now()
    keep = now - dt.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    return {
        "idempotency_keys": IdempotencyKey.objects.filter(created_at__lt=now - dt.timedelta(hours=24))
        .exclude(state="processing")
        .delete()[0],
        "outbox_jobs": OutboxJob.objects.filter(status=JobStatus.DONE, finished_at__lt=keep).delete()[0],
        "task_results": DBTaskResult.objects.finished().filter(finished_at__lt=keep).delete()[0],
        "once_keys": Once.objects.filter(created_at__lt=keep).delete()[0],
        "periodic_runs": PeriodicRun.objects.filter(created_at__lt=keep).delete()[0],
        # R-NOTE-7: finished webhook deliveries (and their attempts) are kept for the log a while
        "webhook_deliveries": WebhookDelivery.objects.filter(
            created_at__lt=now - dt.timedelta(days=settings.WEBHOOKS_KEEP_DAYS),
            status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.FAILED],
        ).delete()[0],
    }


PERIODIC: dict[str, Periodic] = {
    "prune": Periodic("sellerdesk.outbox.periodic.prune", dt.timedelta(hours=1)),
    # R-SLA-1..4: the deadline engine (cancel or flag missed deadlines, auto-close, warnings).
    "deadlines": Periodic("sellerdesk.orders.sweeps.run_deadlines", dt.timedelta(minutes=5)),
    # R-NOTE-3: deliveries whose job was lost or is late; marks the ones stuck in "sending" unknown.
    "deliveries": Periodic("sellerdesk.notifications.deliveries.run_periodic", dt.timedelta(minutes=1)),
    # R-FUL-7: waiting carrier registrations and tracking of carriers without webhooks.
    "poll_carriers": Periodic(
        "sellerdesk.shipping.tasks.poll_carriers", dt.timedelta(seconds=settings.SHIPPING_POLL_SECONDS)
    ),
    # R-NOTE-7: outgoing webhooks — post the deliveries that are due (first tries and retries).
    "webhooks": Periodic(
        "sellerdesk.webhooks.sending.send_due", dt.timedelta(seconds=settings.WEBHOOKS_POLL_SECONDS)
    ),
}


def period_start(now: dt.datetime, every: dt.timedelta) -> dt.datetime:
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    n = (now - epoch) // every
    return epoch + n * every


def schedule_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue each periodic job whose current period has no run yet; returns the names won."""
    now = now or timezone.now()
    won = []
    for name, p in PERIODIC.items():
        start = period_start(now, p.every)
        if PeriodicRun.objects.filter(name=name, period_start=start).exists():
            continue  # a read first: no write lock on SQLite while the period is already taken
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=name, period_start=start, created_at=now)
                run_periodic.enqueue(name)
        except IntegrityError:
            continue
        won.append(name)
    return won


@task()
def run_periodic(name: str) -> Any:
    path = PERIODIC[name].function
    module, _, attr = path.rpartition(".")
    fn: Callable[[], Any] = getattr(importlib.import_module(module), attr)
    return fn()
