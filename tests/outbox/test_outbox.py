"""The outbox and the worker (issue 8 item 2): transactional writes, retries, rescue, periodic."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sellerdesk.orders.models import OrderEvent, OrderNote
from sellerdesk.outbox import periodic, publish
from sellerdesk.outbox.jobs import backoff
from sellerdesk.outbox.models import JobStatus, OutboxEvent, OutboxJob, PeriodicRun
from sellerdesk.outbox.worker import OutboxWorker

from . import sample_handlers
from .conftest import events_of, run_workers, start_workers

ROOT = Path(__file__).resolve().parents[2]


def test_publish_writes_event_rows_and_jobs_in_the_callers_transaction(seller, register) -> None:
    register("test_note", sample_handlers.add_note, sample_handlers.count)
    with transaction.atomic():
        noted = events_of(seller, 2, "test_note")
        silent = events_of(seller, 1, "test_nobody_listens")
        before = (OutboxEvent.objects.count(), OutboxJob.objects.count(), DBTaskResult.objects.count())
        publish(noted + silent)
        # visible inside the transaction, before commit: written by the caller's transaction
        assert OutboxEvent.objects.count() - before[0] == 3
        assert OutboxJob.objects.count() - before[1] == 4  # two handlers × two events, none for silent
        assert DBTaskResult.objects.count() - before[2] == 4
    ev = OutboxEvent.objects.get(event_id=silent[0].id)
    assert (ev.type, ev.payload, ev.order_id) == ("test_nobody_listens", {"i": 0}, silent[0].order_id)
    keys = set(OutboxJob.objects.values_list("key", flat=True))
    assert f"{noted[0].id}:tests.outbox.sample_handlers.add_note" in keys


def test_publish_queues_a_batch_with_one_insert_per_table_writing_what_django_tasks_writes(
    seller, register
) -> None:
    """The sweep's speed (issue 11): a batch of jobs is two bulk INSERTs, not one INSERT per job."""
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    from sellerdesk.outbox.jobs import run_job

    register("test_note", sample_handlers.add_note, sample_handlers.count)
    events = events_of(seller, 50, "test_note")
    with CaptureQueriesContext(conn) as ctx, transaction.atomic():
        publish(events)
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    tables = {sql.split('"')[1] for sql in inserts}
    assert tables == {"django_tasks_database_dbtaskresult", "outbox_outboxevent", "outbox_outboxjob"}
    assert len(inserts) <= 6  # bulk INSERTs (SQLite splits them by its bound-parameter limit), not 150
    assert DBTaskResult.objects.count() == 100
    # each bulk row equals the row django-tasks-db's own enqueue writes for the same job
    job = OutboxJob.objects.order_by("pk").first()
    assert job is not None
    bulk = DBTaskResult.objects.get(args_kwargs={"args": [job.pk], "kwargs": {}})
    own = DBTaskResult.objects.get(pk=run_job.enqueue(job.pk).id)
    columns = [
        f.attname for f in DBTaskResult._meta.concrete_fields if f.attname not in ("id", "enqueued_at")
    ]
    assert {c: getattr(bulk, c) for c in columns} == {c: getattr(own, c) for c in columns}
    assert bulk.task_result.status == "READY" and bulk.task_result.task.run_after is None


def test_a_rolled_back_change_leaves_no_outbox_row(seller, register) -> None:
    register("test_note", sample_handlers.add_note)
    events_before = OrderEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(events_of(seller, 2, "test_note"))
        raise RuntimeError("the change is refused")
    assert OrderEvent.objects.count() == events_before
    assert OutboxEvent.objects.count() == OutboxJob.objects.count() == DBTaskResult.objects.count() == 0


def test_backoff_is_exponential_with_jitter_and_capped(settings) -> None:
    settings.OUTBOX_BACKOFF_BASE = 2
    settings.OUTBOX_BACKOFF_CAP = 60
    rng = random.Random(7)
    for attempt, full in [(1, 2), (2, 4), (3, 8), (4, 16), (5, 32), (6, 60), (12, 60)]:
        delays = [backoff(attempt, rng=rng) for _ in range(200)]
        assert all(full / 2 <= d <= full for d in delays), attempt
        assert len(set(delays)) > 1  # jittered: workers retrying together spread out


def _drain(until, tries: int = 200) -> None:  # type: ignore[no-untyped-def]
    """Run a batch worker (in this thread) until `until()` holds; retries wait for their backoff."""
    for _ in range(tries):
        OutboxWorker(batch=True, interval=0).run()
        if until():
            return
        time.sleep(0.02)
    raise AssertionError("the jobs did not settle")


@pytest.mark.django_db(transaction=True)
def test_a_handler_failing_three_times_then_succeeding_has_its_effect_once(
    seller, register, settings
) -> None:
    settings.OUTBOX_BACKOFF_BASE = 0.1
    register("test_note", sample_handlers.add_note)
    (event,) = events_of(seller, 1, "test_note")
    key = f"{event.id}:tests.outbox.sample_handlers.add_note"
    sample_handlers.FAILS_LEFT[key] = 3
    publish([event])
    for attempt in (1, 2, 3, 4):
        job = OutboxJob.objects.get()
        time.sleep(max(0.0, (job.next_run_at - timezone.now()).total_seconds()) + 0.01)
        before = timezone.now()
        OutboxWorker(batch=True, interval=0, max_tasks=1).run()  # one try per round
        after = timezone.now()
        job = OutboxJob.objects.get()
        assert job.attempts == attempt
        if attempt < 4:  # failed: rescheduled by the backoff, base·2^(n−1) × [½, 1] later
            full = dt.timedelta(seconds=0.1 * 2 ** (attempt - 1))
            assert job.status == JobStatus.PENDING and "temporary failure" in job.last_error
            assert before + full / 2 <= job.next_run_at <= after + full
    assert (job.status, job.last_error) == (JobStatus.DONE, "")
    assert OrderNote.objects.filter(text=f"handled {key}").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_handler_failing_past_its_last_try_stays_failed_and_retry_revives_it(
    seller, register, settings
) -> None:
    settings.OUTBOX_BACKOFF_BASE = 0.01
    settings.OUTBOX_MAX_ATTEMPTS = 3
    register("test_note", sample_handlers.add_note)
    (event,) = events_of(seller, 1, "test_note")
    key = f"{event.id}:tests.outbox.sample_handlers.add_note"
    sample_handlers.FAILS_LEFT[key] = 3
    publish([event])
    _drain(lambda: OutboxJob.objects.get().status == JobStatus.FAILED)
    job = OutboxJob.objects.get()
    assert job.attempts == 3 and "RuntimeError: temporary failure" in job.last_error
    assert not OrderNote.objects.filter(text=f"handled {key}").exists()

    out = io.StringIO()
    call_command("outbox", "list", "--failed", stdout=out)
    assert f"{job.pk}\tfailed\t3/3\ttest_note" in out.getvalue()
    assert "RuntimeError: temporary failure" in out.getvalue()
    with pytest.raises(CommandError, match="no failed job with id 999999"):
        call_command("outbox", "retry", "999999")

    call_command("outbox", "retry", str(job.pk), stdout=io.StringIO())
    _drain(lambda: OutboxJob.objects.get().status == JobStatus.DONE)
    assert OrderNote.objects.filter(text=f"handled {key}").count() == 1
    out = io.StringIO()
    call_command("outbox", "list", "--failed", stdout=out)
    assert out.getvalue() == ""


@pytest.mark.django_db(transaction=True)
def test_retry_all_failed_revives_every_failed_job(seller, register, settings) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 1
    register("test_fail", sample_handlers.always_fail)
    publish(events_of(seller, 2, "test_fail"))
    _drain(lambda: OutboxJob.objects.filter(status=JobStatus.FAILED).count() == 2)
    assert "ValueError: the carrier refused the parcel" in OutboxJob.objects.first().last_error
    with pytest.raises(CommandError, match="give job ids or --all-failed"):
        call_command("outbox", "retry")
    out = io.StringIO()
    call_command("outbox", "retry", "--all-failed", stdout=out)
    assert out.getvalue().strip() == "2 job(s) queued again"
    assert list(OutboxJob.objects.values_list("status", "attempts")) == [(JobStatus.PENDING, 0)] * 2
    assert DBTaskResult.objects.filter(status="READY").count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_over_a_thousand_jobs_run_each_exactly_once(seller, register) -> None:
    register("test_count", sample_handlers.count)
    sample_handlers.RUNS.clear()
    publish(events_of(seller, 1000, "test_count"))
    started = time.monotonic()
    workers = run_workers(2)
    elapsed = time.monotonic() - started
    keys = set(OutboxJob.objects.values_list("key", flat=True))
    assert len(keys) == 1000
    assert set(sample_handlers.RUNS) == keys and set(sample_handlers.RUNS.values()) == {1}
    assert OutboxJob.objects.exclude(status=JobStatus.DONE).count() == 0
    assert all(w._run_tasks > 100 for w in workers)  # both took a share
    print(f"1000 jobs, 2 workers: {elapsed:.1f} s, {1000 / elapsed:.0f} jobs/s")


def _worker_process(lease: float, **env: str) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return subprocess.Popen(
        [sys.executable, "-m", "sellerdesk", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "WORKER_LEASE_SECONDS": str(lease), **env},
        stdout=subprocess.DEVNULL,
    )


# The process tests below wait on conditions, each for at most WAIT seconds: they are about what
# happens, not how fast (a busy CI machine may take seconds to start a Python process).
WAIT = 60


def _wait_for(condition: Callable[[], bool], what: str, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, what
        assert proc is None or proc.poll() is None, f"{what} (the worker exited)"
        time.sleep(0.05)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_of_a_sigkilled_worker_completes_on_another_worker_once_within_the_bound(
    seller, register
) -> None:
    lease = 2.0
    register("test_slow", sample_handlers.slow_first_note)
    (event,) = events_of(seller, 1, "test_slow")
    publish([event])
    first = _worker_process(lease, SLOW_HANDLER_SECONDS="600")
    try:
        _wait_for(
            lambda: OutboxJob.objects.get().status == JobStatus.RUNNING, "the first worker never took the job"
        )
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = timezone.now()
    finally:
        first.kill()
    # The bound: the dead worker's last heartbeat leased the job for at most `lease` seconds, so the
    # job is free for another worker at most `lease` after the kill (plus that worker's poll interval).
    taken = OutboxJob.objects.get()
    assert taken.status == JobStatus.RUNNING and taken.attempts == 1
    assert taken.lease_until is not None and taken.lease_until <= killed_at + dt.timedelta(seconds=lease)
    second = _worker_process(lease)
    try:
        _wait_for(lambda: OutboxJob.objects.get().status == JobStatus.DONE, "the job was not rescued", second)
    finally:
        second.terminate()
        second.wait(WAIT)
    job = OutboxJob.objects.get()
    assert job.attempts == 2 and job.worker_id != taken.worker_id  # run again, by the other worker
    # not before the lease ran out
    assert job.finished_at is not None and job.finished_at >= taken.lease_until
    assert OrderNote.objects.filter(text=f"handled {job.key}").count() == 1
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 0  # the stale one is failed
    print(f"rescued {(job.finished_at - killed_at).total_seconds():.1f} s after SIGKILL (lease {lease} s)")


def _wait_running(proc: subprocess.Popen[bytes]) -> None:
    _wait_for(
        lambda: OutboxJob.objects.get().status == JobStatus.RUNNING, "the worker never took the job", proc
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_the_running_job_finish_then_the_worker_exits(seller, register) -> None:
    register("test_slow", sample_handlers.slow_first_note)
    (event,) = events_of(seller, 1, "test_slow")
    publish([event])
    worker = _worker_process(10, SLOW_HANDLER_SECONDS="2")
    try:
        _wait_running(worker)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(WAIT) == 0
    finally:
        worker.kill()
    job = OutboxJob.objects.get()
    assert job.status == JobStatus.DONE
    assert OrderNote.objects.filter(text=f"handled {job.key}").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sigterm_past_the_grace_period_exits_and_leaves_the_job_to_its_lease(seller, register) -> None:
    register("test_slow", sample_handlers.slow_first_note)
    (event,) = events_of(seller, 1, "test_slow")
    publish([event])
    # The handler would run for ten minutes: an exit within WAIT is the grace period's doing.
    worker = _worker_process(10, SLOW_HANDLER_SECONDS="600", WORKER_GRACE_SECONDS="1")
    try:
        _wait_running(worker)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(WAIT) != 0
    finally:
        worker.kill()
    job = OutboxJob.objects.get()
    assert job.status == JobStatus.RUNNING and job.lease_until is not None  # rescued once it expires


TICK = periodic.Periodic("tests.outbox.sample_handlers.periodic_tick", periodic.dt.timedelta(seconds=1))


def test_a_period_is_won_by_one_scheduler_only(db, monkeypatch) -> None:
    monkeypatch.setattr(periodic, "PERIODIC", {"tick": TICK})
    t0 = periodic.dt.datetime(2026, 11, 30, 12, 0, 0, 100_000, tzinfo=periodic.dt.UTC)
    assert periodic.schedule_due(t0) == ["tick"]
    assert periodic.schedule_due(t0 + periodic.dt.timedelta(milliseconds=800)) == []  # same second
    assert periodic.schedule_due(t0 + periodic.dt.timedelta(seconds=1)) == ["tick"]
    assert DBTaskResult.objects.filter(task_path__endswith="run_periodic").count() == 2


# SQLite's in-memory test database (shared cache) answers "table is locked" to concurrent threads
# instead of waiting; the file database of a real install waits (WAL + busy timeout).
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_periodic_job_runs_once_per_period_with_two_workers(monkeypatch) -> None:
    monkeypatch.setattr(
        periodic,
        "PERIODIC",
        {
            "tick": periodic.Periodic(
                "tests.outbox.sample_handlers.periodic_tick", periodic.dt.timedelta(seconds=1)
            )
        },
    )
    sample_handlers.PERIODIC_RUNS.clear()
    workers = [OutboxWorker(interval=0.05) for _ in range(2)]
    threads = start_workers(workers)
    try:
        _wait_for(lambda: PeriodicRun.objects.filter(name="tick").count() >= 3, "three periods never ran")
    finally:
        for w in workers:
            w.running = False
        for t in threads:
            t.join(WAIT)
    periods = PeriodicRun.objects.filter(name="tick").count()
    assert periods >= 3
    # every period won by exactly one worker, and its job ran once (the last may still be queued)
    assert sample_handlers.PERIODIC_RUNS["tick"] in (periods, periods - 1)
    assert PeriodicRun.objects.filter(name="tick").values("period_start").distinct().count() == periods
