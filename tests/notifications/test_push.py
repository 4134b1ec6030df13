"""Web Push with VAPID (R-NOTE-1) against a local push service that checks the VAPID
Authorization header (an independent ES256 check of the JWT) and decrypts the aes128gcm body with
the browser's private key."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import time
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.db import transaction
from django.test import Client
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sellerdesk.notifications import deliveries, push, staff
from sellerdesk.notifications.models import (
    Delivery,
    DeliveryStatus,
    PushSubscription,
    StaffSettings,
    VapidKey,
)
from sellerdesk.outbox.worker import OutboxWorker
from tests.conftest import place
from tests.conftest import staff as staff_of


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Browser:
    """What a browser keeps for one subscription: its ECDH key pair and auth secret."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    @property
    def p256dh(self) -> str:
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64(raw)


class PushService:
    """A push service: checks VAPID and the encryption headers, decrypts what it receives."""

    def __init__(self, origin: str, browser: Browser) -> None:
        self.origin = origin
        self.browser = browser
        self.received: list[dict[str, Any]] = []
        self.answer = 201
        self.requests = 0

    def handle(self, request: Request) -> Response:
        self.requests += 1
        scheme, _, params = request.headers.get("Authorization", "").partition(" ")
        assert scheme == "vapid", "VAPID (RFC 8292) authorization scheme"
        fields = dict(p.strip().split("=", 1) for p in params.split(","))
        token, k = fields["t"], fields["k"]
        header, claims, signature = token.split(".")
        assert json.loads(unb64(header)) == {"typ": "JWT", "alg": "ES256"}
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(k))
        sig = unb64(signature)
        der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
        public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
        body_claims = json.loads(unb64(claims))
        assert body_claims["aud"] == self.origin
        assert time.time() < body_claims["exp"] <= time.time() + 24 * 3600
        assert body_claims["sub"].startswith("mailto:")
        assert request.headers["Content-Encoding"] == "aes128gcm"
        assert int(request.headers["TTL"]) > 0
        plain = http_ece.decrypt(
            request.get_data(),
            private_key=self.browser.key,
            auth_secret=self.browser.auth,
            version="aes128gcm",
        )
        if self.answer < 300:
            self.received.append({"vapid_key": k, **json.loads(plain)})
        return Response("", self.answer)


@pytest.fixture
def service(httpserver: HTTPServer, settings) -> PushService:  # type: ignore[no-untyped-def]
    settings.PUSH_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]  # the local push service: allowed
    origin = httpserver.url_for("/").rstrip("/")
    fake = PushService(origin, Browser())
    httpserver.expect_request("/push/abc", method="POST").respond_with_handler(fake.handle)
    return fake


def subscribe(seller, service: PushService) -> Any:  # type: ignore[no-untyped-def]
    client = Client()
    user = staff_of(seller, "owner")
    client.force_login(user)
    body = {
        "endpoint": service.origin + "/push/abc",
        "keys": {"p256dh": service.browser.p256dh, "auth": b64(service.browser.auth)},
    }
    r = client.post("/notifications/push/subscribe/", json.dumps(body), content_type="application/json")
    assert r.status_code == 201
    return user


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between jobs
def test_a_push_reaches_the_browser_signed_with_vapid_and_encrypted(seller, service) -> None:
    owner = subscribe(seller, service)
    StaffSettings.objects.create(user=owner, channels={"new_order": ["push"]})
    assert staff.channels_for(owner, "new_order") == ("push",)
    order = place(seller)
    OutboxWorker(batch=True, interval=0).run()
    (msg,) = service.received
    assert msg["title"] == f"New order #{order.number}"
    assert msg["url"] == f"/orders/{order.number}/"
    assert msg["vapid_key"] == push.public_key()  # the key the browser subscribed with
    assert Delivery.objects.get(channel="push").status == DeliveryStatus.SENT
    assert VapidKey.objects.count() == 1  # made on first use, then reused


def _push(seller, user) -> Delivery:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        d = deliveries.queue(
            key="ev:push",
            channel="push",
            to=str(user.pk),
            subject="Hello",
            body="there",
            seller_id=seller.pk,
            user_id=user.pk,
        )
    assert d is not None
    return d


def test_a_push_service_error_is_retried_and_a_gone_subscription_is_dropped(seller, service) -> None:
    owner = subscribe(seller, service)
    d = _push(seller, owner)
    service.answer = 503
    deliveries.send_due()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.QUEUED and "503" in d.last_error
    service.answer = 410
    deliveries.send_due(now=timezone.now() + dt.timedelta(hours=1))
    assert not PushSubscription.objects.exists()
    assert staff.channels_for(owner, "new_order") == ("email", "inapp")  # push needs a subscription


def test_an_endpoint_that_is_no_longer_allowed_is_not_posted_to(seller, service, settings) -> None:
    """The address is checked again at send time (the name may resolve elsewhere by then, or the
    operator withdrew the allowance): a refused endpoint gets nothing, and the delivery says why."""
    owner = subscribe(seller, service)
    d = _push(seller, owner)
    settings.WEBHOOKS_ALLOWED_NETWORKS = []
    deliveries.send_due()
    d.refresh_from_db()
    assert service.received == [] and service.requests == 0
    assert d.status == DeliveryStatus.QUEUED and "not a public address" in d.last_error


def test_the_vapid_key_can_come_from_settings(settings) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert push.public_key() == b64(raw)


@pytest.mark.django_db
def test_subscribe_refuses_bad_input_and_plain_http(seller, settings) -> None:
    settings.WEBHOOKS_ALLOWED_NETWORKS = []
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    client = Client()
    client.force_login(staff_of(seller, "manager"))
    url = "/notifications/push/subscribe/"
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    assert (
        client.post(
            url, json.dumps({"endpoint": "https://push.example/x"}), content_type="application/json"
        ).status_code
        == 400
    )
    keys = {"p256dh": "BAAA", "auth": "AAAA"}
    body = json.dumps({"endpoint": "http://push.example/x", "keys": keys})
    assert client.post(url, body, content_type="application/json").status_code == 400  # https only
    # the server will post to it: like a webhook URL, a private or loopback address is refused
    for inside in (
        "https://10.0.0.5/x",
        "https://127.0.0.1:8443/x",
        "https://[::1]/x",
        "https://169.254.169.254/x",
    ):
        body = json.dumps({"endpoint": inside, "keys": keys})
        assert client.post(url, body, content_type="application/json").status_code == 400, inside
    body = json.dumps({"endpoint": "https://9.9.9.9/x", "keys": keys})  # a public address (nothing is sent)
    assert client.post(url, body, content_type="application/json").status_code == 201
    r = client.post(
        "/notifications/push/unsubscribe/",
        json.dumps({"endpoint": "https://9.9.9.9/x"}),
        content_type="application/json",
    )
    assert r.status_code == 204 and not PushSubscription.objects.exists()


@pytest.mark.django_db
def test_the_settings_page_offers_push_with_the_servers_key(seller) -> None:
    client = Client()
    client.force_login(staff_of(seller, "manager"))
    html = client.get("/settings/notifications/").content.decode()
    assert f'data-key="{push.public_key()}"' in html and "/static/notifications/sw.js" in html
