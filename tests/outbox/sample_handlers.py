"""Handlers used by the outbox tests; importable by worker subprocesses (jobs name them by path)."""

from __future__ import annotations

import collections
import os
import threading
import time

from sellerdesk.orders.models import OrderNote
from sellerdesk.outbox.models import OutboxEvent, OutboxJob

FAILS_LEFT: dict[str, int] = {}
RUNS: collections.Counter[str] = collections.Counter()
_lock = threading.Lock()


def add_note(event: OutboxEvent, key: str) -> None:
    """Writes a note (the effect), then fails while FAILS_LEFT[key] > 0 (rolling the note back)."""
    OrderNote.objects.create(order_id=event.order_id, author_label="outbox", text=f"handled {key}")
    if FAILS_LEFT.get(key, 0) > 0:
        FAILS_LEFT[key] -= 1
        raise RuntimeError(f"temporary failure of {key}")


def always_fail(event: OutboxEvent, key: str) -> None:
    raise ValueError("the carrier refused the parcel")


def count(event: OutboxEvent, key: str) -> None:
    with _lock:
        RUNS[key] += 1


def slow_first_note(event: OutboxEvent, key: str) -> None:
    """The first try sleeps (long enough to be killed mid-job); later tries write the note."""
    if OutboxJob.objects.get(key=key).attempts == 1:
        time.sleep(float(os.environ.get("SLOW_HANDLER_SECONDS", "60")))
    OrderNote.objects.create(order_id=event.order_id, author_label="outbox", text=f"handled {key}")


PERIODIC_RUNS: collections.Counter[str] = collections.Counter()


def periodic_tick() -> None:
    with _lock:
        PERIODIC_RUNS["tick"] += 1
