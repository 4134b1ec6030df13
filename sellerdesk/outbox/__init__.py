"""The outbox: jobs written in the same transaction as the change that causes them.

Contract used by the event recorder (`sellerdesk.orders.services._common`):

    publish(events)  # events: saved OrderEvent rows, in the caller's open transaction

writes one outbox job per (event, registered handler) in that same transaction. The worker
runs the jobs after commit. This module is filled in by the outbox/worker work; until then
`publish` writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def publish(events: Sequence[Any]) -> None:
    """Write the outbox jobs of `events` in the caller's transaction (no handlers registered yet)."""
    return None
