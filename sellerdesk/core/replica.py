"""Reads of the order list, search and export on a read replica (issue 11, scale-out).

`DATABASE_REPLICA_URL` adds the database alias "replica" (settings). The router sends a read
there only while `replica_reads()` is active (the order list / search / count selectors and the
export's row stream set it) and only outside a transaction on "default", so a write and the
reads of the same transaction stay on the primary. Every write, and every other read, goes to
"default". Without a replica the flag changes nothing.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections
from django.db.models import Model, QuerySet

REPLICA = "replica"
_reads = contextvars.ContextVar("sellerdesk_replica_reads", default=False)
M = TypeVar("M", bound=Model)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads made inside go to the replica when one is configured (see the module's text)."""
    token = _reads.set(True)
    try:
        yield
    finally:
        _reads.reset(token)


def on_replica(qs: QuerySet[M]) -> QuerySet[M]:
    """`qs` pinned to where the router sends a replica read now (for a queryset read later, e.g. streamed)."""
    with replica_reads():
        return qs.using(qs.db)


class ReplicaRouter:
    """Replica for flagged reads, "default" for everything else (the one database router)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _reads.get() and REPLICA in settings.DATABASES and not connections["default"].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA  # the replica follows the primary; it is never migrated itself
