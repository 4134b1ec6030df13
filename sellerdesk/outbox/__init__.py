"""The outbox: rows written in the same transaction as the change that causes them.

Contract used by the event recorder (`sellerdesk.orders.events.record_events`):

    publish(events)  # events: saved OrderEvent rows, in the caller's open transaction

writes one `OutboxEvent` per event (always, even with no handler: webhooks read them later) and
one `OutboxJob` per (event, handler registered in `handlers.HANDLERS`), each with a django-tasks
job that the worker (`sellerdesk worker`) runs after commit. See `jobs.py` for retries, leases
and the `once(key)` guard, `periodic.py` for the periodic jobs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def publish(events: Sequence[Any]) -> None:
    """Write the outbox rows and handler jobs of `events` in the caller's transaction."""
    if not events:
        return
    from .jobs import write_outbox

    write_outbox(events)
