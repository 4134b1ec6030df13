"""Idempotency-Key on POST (IETF httpapi draft semantics; docs/requirements.md#api-conventions).

Same key + same body → the first answer, replayed. Same key + another body → 422.
A key whose first request is still running → 409. Keys are per API key and kept 24 h.
The answer is stored in the same transaction as the change it describes, so a crash
can never leave an order without its key or a key without its order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from sellerdesk.accounts.models import ApiKey
from sellerdesk.core.errors import Conflict, InvalidInput

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _json(status: int, body: Any, replayed: bool = False) -> HttpResponse:
    resp = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder), status=status, content_type="application/json"
    )
    if replayed:
        resp["Idempotent-Replayed"] = "true"
    return resp


def _claim(api_key: ApiKey, key: str, digest: str) -> IdempotencyKey | HttpResponse:
    now = timezone.now()
    ttl = dt.timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    stale = dt.timedelta(seconds=settings.IDEMPOTENCY_STALE_SECONDS)
    for _ in range(3):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    api_key=api_key, key=key, request_hash=digest, created_at=now
                )
        except IntegrityError:
            pass
        with transaction.atomic():
            row = IdempotencyKey.objects.select_for_update().filter(api_key=api_key, key=key).first()
            if row is None:
                continue
            if row.created_at < now - ttl:
                row.delete()
                continue
            if row.request_hash != digest:
                raise InvalidInput(
                    "idempotency_key_reused",
                    "This Idempotency-Key was used with a different request body.",
                )
            if row.state == "done":
                return _json(row.response_status or 200, row.response_body, replayed=True)
            if row.created_at >= now - stale:
                raise Conflict(
                    "idempotency_key_in_use",
                    "A request with this Idempotency-Key is still being processed.",
                )
            row.created_at = now  # abandoned by a crashed request: take it over
            row.save(update_fields=["created_at"])
            return row
    raise Conflict("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed.")


def run_idempotent(
    request: HttpRequest, api_key: ApiKey, handler: Callable[[], tuple[int, Any]]
) -> HttpResponse:
    """Run `handler` (which returns (status, body)) at most once per Idempotency-Key."""
    key = request.headers.get(HEADER)
    if key is None:
        # The handler's service is its own transaction; wrapping it would only add a savepoint.
        status, body = handler()
        return _json(status, body)
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(
            "invalid_idempotency_key", f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters."
        )
    digest = hashlib.sha256(
        (request.method or "").encode() + b" " + request.path.encode() + b"\n" + request.body
    ).hexdigest()
    claimed = _claim(api_key, key, digest)
    if isinstance(claimed, HttpResponse):
        return claimed
    try:
        with transaction.atomic():
            status, body = handler()
            IdempotencyKey.objects.filter(pk=claimed.pk).update(
                state="done",
                response_status=status,
                response_body=json.loads(json.dumps(body, cls=DjangoJSONEncoder)),
            )
    except Exception:
        # Nothing was written; free the key so a corrected retry can use it.
        IdempotencyKey.objects.filter(pk=claimed.pk, state="processing").delete()
        raise
    return _json(status, body)
