from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from sellerdesk.orders.models import OrderEvent
from sellerdesk.outbox import handlers
from sellerdesk.outbox.worker import OutboxWorker
from tests.conftest import place


@pytest.fixture(autouse=True)
def _only_registered_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests count the jobs of the handlers they register: the webhooks' row for every
    event type (`"*"`, which the orders they place would add) is left out here."""
    monkeypatch.delitem(handlers.HANDLERS, handlers.WILDCARD, raising=False)


@pytest.fixture
def register(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Add `type → (handler,)` to the one handler table for the test."""

    def reg(event_type: str, *fns: Any) -> None:
        monkeypatch.setitem(handlers.HANDLERS, event_type, fns)

    return reg


def events_of(seller: Any, n: int, event_type: str) -> list[OrderEvent]:
    """`n` saved timeline events of one real order."""
    order = place(seller)
    now = timezone.now()
    return OrderEvent.objects.bulk_create(
        [
            OrderEvent(order=order, type=event_type, actor_kind="system", data={"i": i}, created_at=now)
            for i in range(n)
        ]
    )


def run_workers(n: int, **kw: Any) -> list[OutboxWorker]:
    """Run `n` batch workers in threads until no job is ready (each with its own connection)."""
    workers = [OutboxWorker(batch=True, interval=0, **kw) for _ in range(n)]
    for t in start_workers(workers):
        t.join(timeout=60)
    return workers


def start_workers(workers: list[OutboxWorker]) -> list[threading.Thread]:
    """Start each worker in a thread of its own (each closes its own connection when it ends)."""

    def go(w: OutboxWorker) -> None:
        try:
            w.run()
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    return threads
