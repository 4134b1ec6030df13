"""The worker: django-tasks-db's worker loop plus a housekeeping thread and a grace period.

The housekeeping thread, every lease/3 seconds (at most every poll interval): extends the lease
of the running job (heartbeat), rescues jobs of lost workers, enqueues due periodic jobs.
SIGTERM/SIGINT: the running job may finish for WORKER_GRACE_SECONDS, then the process exits
(an unfinished job is rescued by another worker once its lease expires).
"""

from __future__ import annotations

import logging
import os
import threading
from types import FrameType

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from . import jobs, periodic

log = logging.getLogger("sellerdesk.outbox")


def housekeeping(state: jobs.WorkerState) -> None:
    jobs.heartbeat(state)
    jobs.rescue_expired()
    periodic.schedule_due()


class OutboxWorker(Worker):
    def __init__(
        self,
        *,
        interval: float | None = None,
        batch: bool = False,
        max_tasks: int | None = None,
        worker_id: str | None = None,
        grace: float | None = None,
    ) -> None:
        super().__init__(
            queue_names=["default"],
            interval=settings.WORKER_POLL_INTERVAL if interval is None else interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id or f"w-{os.getpid()}-{get_random_string(6)}",
            excluded_queue_names=[],
        )
        self.grace = settings.WORKER_GRACE_SECONDS if grace is None else grace
        self._stop = threading.Event()
        self.state = jobs.WorkerState(self.worker_id)

    def _housekeeping_loop(self) -> None:
        every = max(0.05, min(settings.WORKER_LEASE_SECONDS / 3, self.interval or 1.0))
        try:
            while not self._stop.wait(every):
                try:
                    housekeeping(self.state)
                except DatabaseError as exc:  # a locked SQLite file or a lost connection: next tick
                    log.warning("worker housekeeping skipped: %s", exc)
        finally:
            connection.close()

    def run(self) -> None:
        jobs.bind(self.state)
        housekeeping(self.state)
        thread = threading.Thread(target=self._housekeeping_loop, name="housekeeping", daemon=True)
        thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            thread.join(timeout=5)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.running and self.running_task and self.grace > 0:
            timer = threading.Timer(self.grace, lambda: os._exit(1))
            timer.daemon = True
            timer.start()
        super().shutdown(signum, frame)
