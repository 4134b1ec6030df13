from __future__ import annotations

import logging

from django.core.management.base import BaseCommand

from sellerdesk.outbox.worker import OutboxWorker


class Command(BaseCommand):
    help = "Run a background worker: outbox jobs, retries, rescue of lost jobs, periodic jobs."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        parser.add_argument("--interval", type=float, default=None, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="exit when no job is ready")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default=None)

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        logging.basicConfig(level=logging.INFO if opts["verbosity"] > 1 else logging.WARNING)
        worker = OutboxWorker(
            interval=opts["interval"],
            batch=opts["batch"],
            max_tasks=opts["max_tasks"],
            worker_id=opts["worker_id"],
        )
        worker.configure_signals()
        self.stdout.write(f"worker {worker.worker_id} started")
        self.stdout.flush()
        try:
            worker.run()
        finally:
            worker.reset_signals()
