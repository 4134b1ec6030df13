"""What django-tasks lacks, in one place: outbox writes, retries with backoff, leases, `once`.

django-tasks-db stores and claims the jobs (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL). On
top of it each `OutboxJob` row carries:

- attempts / max_attempts / next_run_at: a failing handler is re-enqueued with `run_after` =
  exponential backoff with jitter, capped; after the last try the job is `failed` with its error.
- lease_until: the worker running a job extends it every lease/3 seconds (heartbeat). A job
  whose lease expired (its worker was SIGKILLed) is rescued by any live worker: re-enqueued and
  its stale task marked failed. Bound: WORKER_LEASE_SECONDS + WORKER_POLL_INTERVAL.
- the handler's effect and "job done" commit in one transaction; a worker that lost its lease
  rolls back, so the effect happens once even if a job runs twice.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import random
import threading
import traceback
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task
from django_tasks.signals import task_enqueued
from django_tasks.utils import normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from .handlers import handler_path, handlers_of
from .models import JobStatus, Once, OutboxEvent, OutboxJob

log = logging.getLogger("sellerdesk.outbox")


class LeaseLost(Exception):
    """The job's lease expired while it ran and another worker took it: roll the effect back."""


class WorkerState:
    """The worker running in this thread and the job it runs (read by its heartbeat thread)."""

    def __init__(self, worker_id: str = "") -> None:
        self.worker_id = worker_id
        self.job_id: int | None = None


_local = threading.local()
_no_worker = WorkerState()


def bind(state: WorkerState) -> None:
    """Make `state` the worker state of the calling thread (the worker's loop)."""
    _local.state = state


def current() -> WorkerState:
    return getattr(_local, "state", _no_worker)


def backoff(attempt: int, *, rng: random.Random | None = None) -> float:
    """Seconds before try `attempt + 1`: base·2^(attempt−1), capped, with jitter in [½, 1]."""
    base = float(settings.OUTBOX_BACKOFF_BASE)
    cap = float(settings.OUTBOX_BACKOFF_CAP)
    delay = min(cap, base * 2 ** (attempt - 1))
    return delay * (rng or random).uniform(0.5, 1.0)


def once(key: str) -> bool:
    """True the first time `key` is seen (in the caller's transaction), False afterwards."""
    try:
        with transaction.atomic():
            Once.objects.create(key=key, created_at=timezone.now())
    except IntegrityError:
        return False
    return True


def write_outbox(events: Sequence[Any]) -> None:
    """One OutboxEvent per event, one OutboxJob + django-tasks job per handler (caller's txn)."""
    now = timezone.now()
    rows = OutboxEvent.objects.bulk_create(
        [
            OutboxEvent(
                event_id=e.id,
                order_id=getattr(e, "order_id", None),
                type=e.type,
                version=getattr(e, "version", None) or 1,
                payload=e.data,
                created_at=e.created_at or now,
            )
            for e in events
        ]
    )
    jobs = [
        OutboxJob(
            event=row,
            handler=handler_path(h),
            key=f"{row.event_id}:{handler_path(h)}",
            max_attempts=settings.OUTBOX_MAX_ATTEMPTS,
            next_run_at=now,
            created_at=now,
        )
        for row, h in handlers_of(rows)
    ]
    if not jobs:
        return
    if not all(row.pk for row in rows):  # backends without RETURNING on bulk insert
        ids = dict(
            OutboxEvent.objects.filter(event_id__in=[r.event_id for r in rows]).values_list("event_id", "pk")
        )
        for job in jobs:
            job.event_id = ids[job.event.event_id]
    enqueue_many(OutboxJob.objects.bulk_create(jobs))


def enqueue_many(jobs: Sequence[OutboxJob]) -> None:
    """Queue one django-tasks job per outbox job with one INSERT (the sweep queues thousands).

    Writes the very row django-tasks-db's `enqueue` writes for `run_job.enqueue(pk)` (same
    columns and values, `run_after` = the "no delay" date its pre_save hook sets, which a bulk
    INSERT does not call) and sends its `task_enqueued` signal. Another backend: one by one.
    """
    backend = run_job.get_backend()
    if not isinstance(backend, DatabaseBackend) or any(not job.pk for job in jobs):
        for job in jobs:
            enqueue(job)
        return
    backend.validate_task(run_job)
    results = DBTaskResult.objects.bulk_create(
        [
            DBTaskResult(
                id=backend._get_id(),
                args_kwargs=normalize_json({"args": [job.pk], "kwargs": {}}),
                priority=run_job.priority,
                task_path=run_job.module_path,
                queue_name=run_job.queue_name,
                run_after=run_job.run_after or get_date_max(),
                backend_name=backend.alias,
            )
            for job in jobs
        ]
    )
    for result in results:
        task_enqueued.send(type(backend), task_result=result.task_result)


def enqueue(job: OutboxJob, run_after: dt.datetime | None = None) -> None:
    pk = job.pk or OutboxJob.objects.values_list("pk", flat=True).get(key=job.key)
    t = run_job.using(run_after=run_after) if run_after else run_job
    t.enqueue(pk)


@task(takes_context=True)
def run_job(context: Any, job_id: int) -> str:
    """The django-tasks job: run one outbox job's handler (see `execute`)."""
    return execute(job_id, task_id=str(context.task_result.id))


def execute(job_id: int, task_id: str = "") -> str:
    now = timezone.now()
    state = current()
    # The claim is one conditional UPDATE: of two concurrent claims, the second matches no row.
    claimed = OutboxJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        lease_until=now + dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS),
        worker_id=state.worker_id,
        task_id=task_id,
    )
    if not claimed:
        return "skipped"
    job = OutboxJob.objects.select_related("event").get(pk=job_id)
    state.job_id = job.pk
    try:
        with transaction.atomic():
            handler = _resolve(job.handler)
            handler(job.event, job.key)
            done = OutboxJob.objects.filter(
                pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts
            ).update(status=JobStatus.DONE, finished_at=timezone.now(), lease_until=None, last_error="")
            if not done:
                raise LeaseLost(job.key)
        return "done"
    except LeaseLost:
        log.warning("outbox job %s lost its lease; its effect was rolled back", job.key)
        return "lease lost"
    except Exception as exc:  # a handler's failure is recorded on the job, never lost
        error = "".join(traceback.format_exception(exc))[-4000:]
        fail_or_retry(job, error)
        return "error"
    finally:
        state.job_id = None


def fail_or_retry(job: OutboxJob, error: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        q = OutboxJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)
        if job.attempts >= job.max_attempts:
            q.update(status=JobStatus.FAILED, last_error=error, lease_until=None, finished_at=now)
            log.error("outbox job %s failed after %s tries", job.key, job.attempts)
            return
        run_at = now + dt.timedelta(seconds=backoff(job.attempts))
        if q.update(status=JobStatus.PENDING, last_error=error, lease_until=None, next_run_at=run_at):
            enqueue(job, run_after=run_at)


def _resolve(path: str) -> Any:
    module, _, name = path.rpartition(".")
    obj: Any = importlib.import_module(module)
    return getattr(obj, name)


def heartbeat(state: WorkerState) -> None:
    """Extend the lease of the job `state`'s worker runs (called by its housekeeping thread)."""
    job_id = state.job_id
    if job_id is None:
        return
    until = timezone.now() + dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS)
    OutboxJob.objects.filter(pk=job_id, status=JobStatus.RUNNING, worker_id=state.worker_id).update(
        lease_until=until
    )


def rescue_expired() -> int:
    """Re-enqueue running jobs whose lease expired (their worker died); returns how many."""
    now = timezone.now()
    rescued = 0
    expired = OutboxJob.objects.filter(status=JobStatus.RUNNING, lease_until__lt=now)
    if not expired.exists():  # a read first: no write lock on SQLite when nothing is stale
        return 0
    with transaction.atomic():
        stale = list(
            OutboxJob.objects.select_for_update(skip_locked=True).filter(
                status=JobStatus.RUNNING, lease_until__lt=now
            )[:100]
        )
        for job in stale:
            OutboxJob.objects.filter(pk=job.pk).update(
                status=JobStatus.PENDING,
                lease_until=None,
                next_run_at=now,
                last_error=f"worker {job.worker_id} lost (lease expired); rescued",
            )
            if job.task_id:
                DBTaskResult.objects.filter(pk=job.task_id, status="RUNNING").update(
                    status="FAILED",
                    finished_at=now,
                    exception_class_path="sellerdesk.outbox.jobs.LeaseLost",
                    traceback=f"worker {job.worker_id} stopped heartbeating; job rescued",
                )
            enqueue(job)
            rescued += 1
    if rescued:
        log.warning("rescued %s outbox job(s) of lost workers", rescued)
    return rescued


def retry(job_ids: Sequence[int] | None = None) -> int:
    """Revive failed jobs (all of them when `job_ids` is None): a fresh set of tries."""
    now = timezone.now()
    n = 0
    with transaction.atomic():
        q = OutboxJob.objects.select_for_update().filter(status=JobStatus.FAILED)
        if job_ids is not None:
            q = q.filter(pk__in=job_ids)
        for job in q:
            OutboxJob.objects.filter(pk=job.pk).update(
                status=JobStatus.PENDING, attempts=0, next_run_at=now, finished_at=None
            )
            enqueue(job)
            n += 1
    return n
