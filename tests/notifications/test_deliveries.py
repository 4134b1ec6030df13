"""Deliveries (R-NOTE-3): real SMTP on loopback, retries, at most once per key, worker crashes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from sellerdesk.notifications import deliveries
from sellerdesk.notifications.models import Delivery, DeliveryStatus

ROOT = Path(__file__).resolve().parents[2]


def _queue(seller, key: str = "ev1:admin:email", **kw):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        return deliveries.queue(
            key=key,
            channel=kw.pop("channel", "email"),
            to=kw.pop("to", "admin@north.test"),
            subject=kw.pop("subject", "New order #1001"),
            body=kw.pop("body", "Order #1001 was placed."),
            seller_id=seller.pk,
            **kw,
        )


def test_a_queued_email_arrives_over_smtp_with_its_subject_and_recipient(seller, smtp_server) -> None:
    _queue(seller, language="ru", reply_to="shop@north.test")
    assert smtp_server.messages == []  # queueing sends nothing
    assert deliveries.send_due() == 1
    (msg,) = smtp_server.messages
    assert msg["Subject"] == "New order #1001"
    assert msg["To"] == "admin@north.test"
    assert msg["Reply-To"] == "shop@north.test"
    assert msg["Content-Language"] == "ru"
    assert "Order #1001 was placed." in msg.get_content()
    d = Delivery.objects.get()
    assert (d.status, d.attempts) == (DeliveryStatus.SENT, 1) and d.sent_at is not None
    assert deliveries.send_due() == 0  # nothing left


def test_the_same_key_twice_sends_once(seller, smtp_server) -> None:
    assert _queue(seller) is not None
    assert _queue(seller, subject="something else") is None
    assert deliveries.send_due() == 1
    assert deliveries.send(Delivery.objects.get().pk) == "skipped"  # a second job for it does nothing
    assert len(smtp_server.messages) == 1


def test_a_delivery_queued_in_a_rolled_back_transaction_never_exists(seller, smtp_server) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(seller)
        raise RuntimeError("the change failed")
    assert not Delivery.objects.exists()
    assert deliveries.send_due() == 0


def test_an_unknown_channel_is_refused(seller) -> None:
    with pytest.raises(ValueError, match="channel"):
        _queue(seller, channel="fax")


def test_smtp_down_is_retried_with_backoff_then_delivered_when_it_is_back(seller, smtp_server) -> None:
    _queue(seller)
    smtp_server.stop()
    assert deliveries.send_due() == 0
    d = Delivery.objects.get()
    assert d.status == DeliveryStatus.QUEUED and d.attempts == 1
    assert "connection" in d.last_error.lower()
    assert d.next_attempt_at > timezone.now()  # backoff: not due again at once
    assert deliveries.send_due() == 0
    smtp_server.start()
    assert deliveries.send_due(now=timezone.now() + dt.timedelta(hours=1)) == 1
    d.refresh_from_db()
    assert (d.status, d.attempts, d.last_error) == (DeliveryStatus.SENT, 2, "")
    assert len(smtp_server.messages) == 1


def test_a_refusing_server_is_retried_and_after_the_last_try_the_delivery_failed(
    seller, smtp_server, settings
) -> None:
    settings.DELIVERY_MAX_ATTEMPTS = 3
    smtp_server.refuse = "451 4.3.0 try again later"
    _queue(seller)
    later = timezone.now()
    for _ in range(3):
        later += dt.timedelta(hours=1)
        deliveries.send_due(now=later)
    d = Delivery.objects.get()
    assert (d.status, d.attempts) == (DeliveryStatus.FAILED, 3)
    assert "451" in d.last_error
    assert smtp_server.messages == []
    # staff resend it by hand: a new delivery pointing at the failed one
    smtp_server.refuse = ""
    copy = deliveries.resend(d)
    assert copy.resent_from_id == d.pk and copy.key == f"{d.key}:resend:1"
    assert deliveries.send_due() == 1
    assert len(smtp_server.messages) == 1


def test_only_failed_or_unknown_deliveries_can_be_resent(seller, smtp_server) -> None:
    d = _queue(seller)
    deliveries.send_due()
    d.refresh_from_db()
    with pytest.raises(ValueError):
        deliveries.resend(d)


def _worker(email_url: str) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return subprocess.Popen(
        [sys.executable, "-m", "sellerdesk", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "EMAIL_URL": email_url, "WORKER_LEASE_SECONDS": "2"},
        stdout=subprocess.DEVNULL,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_between_hand_off_and_mark_does_not_send_twice(seller, smtp_server) -> None:
    # The server accepts the message, then holds its answer to QUIT: the worker has handed the
    # message off but not yet marked it sent when it is killed.
    smtp_server.quit_delay = 60
    _queue(seller)
    first = _worker(smtp_server.url)
    try:
        deadline = time.monotonic() + 60
        while not smtp_server.messages:
            assert time.monotonic() < deadline, "the worker never handed the message off"
            time.sleep(0.05)
        assert Delivery.objects.get().status == DeliveryStatus.SENDING  # committed before the hand-off
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        first.kill()
    smtp_server.quit_delay = 0
    second = _worker(smtp_server.url)
    try:
        time.sleep(3)  # longer than the lease: any rescue would have happened
        assert deliveries.send_due(now=timezone.now() + dt.timedelta(hours=2)) == 0
    finally:
        second.terminate()
        second.wait(10)
    assert len(smtp_server.messages) == 1
    d = Delivery.objects.get()
    assert d.status == DeliveryStatus.UNKNOWN and d.attempts == 1
    assert deliveries.outcome(d) == DeliveryStatus.UNKNOWN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_at_once_hand_each_delivery_off_once(seller, smtp_server) -> None:
    import threading

    for i in range(40):
        _queue(seller, key=f"ev{i}:admin:email", subject=f"New order #{1000 + i}")
    counts: list[int] = []

    def sweep() -> None:
        try:
            counts.append(deliveries.send_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(counts) == 40
    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert subjects == sorted(f"New order #{1000 + i}" for i in range(40))  # each once
    assert Delivery.objects.filter(status=DeliveryStatus.SENT, attempts=1).count() == 40
