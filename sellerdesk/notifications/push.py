"""Web Push with VAPID (RFC 8030, RFC 8291 message encryption, RFC 8292 VAPID).

py-vapid signs the VAPID JWT (ES256), http-ece encrypts the payload (aes128gcm) for the browser's
key (`p256dh`) and secret (`auth`); requests posts it to the subscription's endpoint. The server's
key pair comes from settings VAPID_PRIVATE_KEY, or is made on first use and kept in the database.

A delivery goes to every browser the staff member subscribed. A push service's 404/410 means the
subscription is gone: it is deleted. The hand-off is refused (retried) when no browser took it
because of a connection error or a 429/5xx answer.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import http_ece
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from py_vapid import Vapid02

from sellerdesk.core.errors import InvalidInput
from sellerdesk.webhooks import ssrf

from .channels import HandoffFailed

if TYPE_CHECKING:
    from .models import Delivery

log = logging.getLogger("sellerdesk.notifications.push")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _vapid_from(text: str) -> Vapid02:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        return Vapid02.from_pem(text.encode())
    return Vapid02.from_raw(text.encode())


def vapid() -> Vapid02:
    """The server's VAPID key: from settings, else the one in the database (made on first use)."""
    if settings.VAPID_PRIVATE_KEY:
        return _vapid_from(settings.VAPID_PRIVATE_KEY)
    from .models import VapidKey

    row = VapidKey.objects.filter(name="default").first()
    if row is None:
        key = Vapid02()
        key.generate_keys()
        pem = key.private_pem().decode()
        try:
            with transaction.atomic():
                row = VapidKey.objects.create(name="default", private_pem=pem, created_at=timezone.now())
        except IntegrityError:  # another process made it first: use theirs
            row = VapidKey.objects.get(name="default")
    return _vapid_from(row.private_pem)


def public_key() -> str:
    """The applicationServerKey the browser subscribes with (uncompressed point, base64url)."""
    raw = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(raw)


def allowed_endpoint(endpoint: str) -> bool:
    """A push endpoint is https (http only with PUSH_ALLOW_HTTP, for a local test service) and, like
    a webhook URL, resolves to public addresses only unless the operator allows more (webhooks.ssrf):
    the browser gives it, so it is input, and the server will post to it."""
    parts = urlsplit(endpoint)
    schemes = ("https", "http") if settings.PUSH_ALLOW_HTTP else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        return False
    try:
        ssrf.check_url(endpoint)
    except InvalidInput:
        return False
    return True


def encrypt(payload: bytes, *, p256dh: str, auth: str) -> bytes:
    """RFC 8291: aes128gcm with an ephemeral server key and the browser's key and secret."""
    server_key = ec.generate_private_key(ec.SECP256R1())
    result: bytes = http_ece.encrypt(
        payload,
        private_key=server_key,
        dh=b64url_decode(p256dh),
        auth_secret=b64url_decode(auth),
        version="aes128gcm",
    )
    return result


def headers_for(endpoint: str, ttl: int = 86400) -> dict[str, str]:
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int(time.time()) + 12 * 3600,
        "sub": settings.VAPID_SUBJECT,
    }
    signed: dict[str, str] = vapid().sign(claims)
    return {
        "Authorization": signed["Authorization"],
        "TTL": str(ttl),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "Urgency": "normal",
    }


def payload_of(delivery: Delivery) -> dict[str, Any]:
    url = "/"
    if delivery.order_id is not None:
        from django.urls import reverse

        number = delivery.order.number if delivery.order else None
        if number is not None:
            url = reverse("dashboard:order", args=[number])
    return {"title": delivery.subject, "body": delivery.body[:500], "url": url, "tag": delivery.key[:64]}


def send_to_user(delivery: Delivery) -> None:
    from .models import PushSubscription

    subscriptions = (
        list(PushSubscription.objects.filter(user_id=delivery.user_id)) if delivery.user_id else []
    )
    if not subscriptions:
        return  # nobody to reach (every browser unsubscribed since): nothing to hand off
    data = json.dumps(payload_of(delivery)).encode()
    accepted, errors = 0, []
    for sub in subscriptions:
        host = urlsplit(sub.endpoint).hostname
        try:
            target = ssrf.check_url(sub.endpoint)  # again at send time: the name may resolve elsewhere now
        except InvalidInput:
            errors.append(f"{host}: not a public address")
            continue
        try:
            body = encrypt(data, p256dh=sub.p256dh, auth=sub.auth)
            with ssrf.post_checked(
                target, data=body, headers=headers_for(sub.endpoint), timeout=settings.PUSH_TIMEOUT
            ) as response:
                status = response.status_code
        except requests.ConnectionError as exc:
            errors.append(f"{host}: {type(exc).__name__}")
            continue
        if status in (404, 410):
            sub.delete()  # the browser unsubscribed or the subscription expired
            continue
        if status >= 300:
            errors.append(f"{host}: {status}")
            continue
        accepted += 1
    if errors and not accepted:
        raise HandoffFailed("push service refused: " + "; ".join(errors))
    if errors:
        log.warning("push delivery %s: some browsers not reached: %s", delivery.key, "; ".join(errors))
