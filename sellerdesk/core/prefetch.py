"""Rows a writer already holds, kept where Django's prefetch would have put them.

A writer that has just written rows (a shipment and its lines) hands them to the reads after it
(the derived statuses, the API's answer) through the relation's prefetch cache, so that
`instance.<relation>.all()` answers from memory instead of reading back what was just written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model


def hold(instance: Model, relation: str, rows: Iterable[Any]) -> list[Any]:
    """Make `rows` the prefetched contents of `instance.<relation>` (a reverse or many-to-many
    relation), replacing what was there; returns them. The caller vouches that they are exactly
    the relation's rows as stored (in its ordering) at this point of its transaction."""
    cache: dict[str, Any] = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(relation, None)
    queryset = getattr(instance, relation).all()  # the relation's own filter; no query yet
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    cache[relation] = queryset
    return queryset._result_cache  # type: ignore[no-any-return]  # a private attribute django-stubs leaves untyped
