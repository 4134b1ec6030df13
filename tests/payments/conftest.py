from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from .stripe_fake import StripeFake

STRIPE_WEBHOOK_SECRET = "whsec_test_fake"
SANDBOX_SECRET = "whsec_sandbox_test"


@pytest.fixture
def stripe_fake(httpserver: HTTPServer, settings: Any) -> Iterator[StripeFake]:
    """Stripe's API at a local address; fails the test if we sent anything Stripe would refuse."""
    fake = StripeFake(httpserver)
    fake.install()
    settings.STRIPE_SECRET_KEY = "sk_test_fake123"
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET
    settings.STRIPE_TIMEOUT = 0.5
    yield fake
    assert fake.problems == []


@pytest.fixture(autouse=True)
def _sandbox_secret(settings: Any) -> None:
    settings.SANDBOX_WEBHOOK_SECRET = SANDBOX_SECRET


def hmac_header(body: bytes, secret: str, at: int | None = None) -> str:
    """A `t=…,v1=…` signature header as Stripe (and our sandbox) compute it."""
    t = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def stripe_event(event_id: str, event_type: str, obj: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "data": {"object": obj},
            "api_version": "2024-06-20",
        }
    ).encode()


def sandbox_event(event_id: str, event_type: str, **data: Any) -> bytes:
    return json.dumps({"id": event_id, "type": event_type, "data": data}).encode()
