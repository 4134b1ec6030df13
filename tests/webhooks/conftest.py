"""Webhook fixtures: loopback allowed explicitly, a subscription, and an independent verifier."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest

from sellerdesk.outbox import periodic
from sellerdesk.webhooks import services
from tests.conftest import actor


@pytest.fixture(autouse=True)
def _allow_loopback(settings):  # type: ignore[no-untyped-def]
    """Tests post to a local receiver: the operator's allowance for loopback, nothing wider."""
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    settings.WEBHOOKS_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
    settings.WEBHOOKS_TIMEOUT_SECONDS = 3


@pytest.fixture(autouse=True)
def _sending_by_hand(request, monkeypatch):  # type: ignore[no-untyped-def]
    """The worker's periodic sender is left out so that each test sends when it says so (the first
    test keeps it: there the real worker fans out and sends)."""
    if "worker_sends" not in request.keywords:
        monkeypatch.delitem(periodic.PERIODIC, "webhooks")


def drain() -> None:
    """Run every pending outbox job as the worker runs one (claim, handler, done in one transaction),
    the fan-out handler among them. In the test's own transaction, so on PostgreSQL too; the first
    test of test_delivery.py runs the real worker process loop instead."""
    from sellerdesk.outbox.jobs import execute
    from sellerdesk.outbox.models import JobStatus, OutboxJob

    for job_id in OutboxJob.objects.filter(status=JobStatus.PENDING).values_list("pk", flat=True):
        assert execute(job_id) == "done"


def subscribe(seller: Any, url: str, types: list[str] | None = None) -> services.Created:
    return services.subscription_create(
        seller_id=seller.pk,
        actor=actor(seller, "owner"),
        url=url,
        event_types=types or ["order_placed", "order_confirmed", "order_cancelled"],
        description="ERP",
    )


def verify(secret: str, headers: Any, body: bytes) -> bool:
    """The Standard Webhooks check, written here from the specification (not our signing code):
    base64(HMAC-SHA256(base64decode(secret without whsec_), "{id}.{timestamp}.{body}")) must equal
    one of the space-separated `v1,` signatures."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = headers["webhook-id"].encode() + b"." + headers["webhook-timestamp"].encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [s.split(",", 1)[1] for s in headers["webhook-signature"].split(" ") if s.startswith("v1,")]
    return any(hmac.compare_digest(expected, s) for s in offered)


def body_of(request: Any) -> dict[str, Any]:
    return json.loads(request.get_data())
