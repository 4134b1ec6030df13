"""Scale-out (issue 11): 2 web processes and 2 workers on one PostgreSQL database, on loopback.

Orders are placed concurrently through both web processes while a worker's deadline sweep cancels
the paid orders whose confirm-by has passed and closes the delivered orders whose close-by has
passed; afterwards every order was placed once, every due order cancelled once and refunded once,
every delivered one closed once with its commission charged once (0 duplicate events, 0 duplicate
refunds, 0 duplicate commissions).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from decimal import Decimal
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from sellerdesk.accounts.services import apikey_create
from sellerdesk.catalog.models import Product
from sellerdesk.earnings.ledger import sums_of
from sellerdesk.earnings.models import EarningsEntry, EntryKind, SellerPlan, TariffPlan
from sellerdesk.orders.events import STATUS_EVENTS
from sellerdesk.orders.models import Order, OrderEvent
from sellerdesk.payments.models import Payment, PaymentKind, PaymentState
from sellerdesk.payments.online import payment_start
from tests.conftest import actor, order_body, place
from tests.earnings.conftest import drive, pickup_order

from .outbox.test_serve import _free_port, _get

ROOT = Path(__file__).resolve().parents[1]
DUE = 40  # paid orders past their confirm-by when the processes start
PLACED = 60  # orders placed over HTTP while they run, half through each web process
CLOSING = 10  # paid, delivered orders past their close-by (R-SLA-3): closed with a commission (R-PAY-8)

STATUS_EVENT_TYPES = {event.type for event in STATUS_EVENTS.values()}

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _env() -> dict[str, str]:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}",
        "DEBUG": "0",
        "SECRET_KEY": "test-only-secret-key-for-the-scale-out-test-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WORKER_GRACE_SECONDS": "5",
        "WORKER_POLL_INTERVAL": "0.2",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    return env


def _post(port: int, key: str, body: dict[str, Any]) -> int:
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            "/api/v1/orders",
            json.dumps(body),
            {"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _wait(predicate: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.3)


def test_two_web_and_two_workers_place_cancel_refund_and_close_every_order_once(seller) -> None:
    Product.objects.filter(seller=seller).update(stock=100_000)
    plan = TariffPlan.objects.create(
        marketplace=seller.marketplace, name="Standard", percent=Decimal("10"), fixed_fee=Decimal("1")
    )
    SellerPlan.objects.create(seller=seller, plan=plan)
    closing = [drive(seller, pickup_order(seller), to="delivered").pk for _ in range(CLOSING)]
    Order.objects.filter(pk__in=closing).update(close_by=timezone.now() - dt.timedelta(hours=1))
    due = []
    for _ in range(DUE):
        order = place(seller)
        payment_start(
            seller_id=seller.pk,
            number=order.number,
            actor=actor(seller),
            provider="sandbox",
            source="4242424242424242",
        )
        due.append(order.pk)
    Order.objects.filter(pk__in=due).update(confirm_by=timezone.now() - dt.timedelta(hours=1))
    _, key = apikey_create(seller=seller, name="scale-out")
    env, run = _env(), [sys.executable, "-m", "sellerdesk"]
    ports = [_free_port(), _free_port()]
    procs = [
        subprocess.Popen([*run, "serve", "--port", str(p), "--workers", "1"], cwd=ROOT, env=env)
        for p in ports
    ]
    try:
        for p in ports:
            _wait(lambda p=p: _answers(p), 90, f"web process on {p} never answered")
        procs += [
            subprocess.Popen([*run, "worker", "--worker-id", f"w{i}"], cwd=ROOT, env=env) for i in (1, 2)
        ]
        statuses: list[int] = []
        lock = threading.Lock()

        def client(i: int) -> None:
            port = ports[i % 2]
            for k in range(PLACED // 4):
                body = order_body(
                    customer={
                        "name": f"Client {i}-{k}",
                        "email": f"c{i}-{k}@example.com",
                        "phone": "+7 912 345-67-89",
                    }
                )
                status = _post(port, key, body)
                with lock:
                    statuses.append(status)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert Counter(statuses) == {201: PLACED}

        def settled() -> bool:
            refunds = Payment.objects.filter(
                order_id__in=due, kind=PaymentKind.REFUND, state=PaymentState.SUCCEEDED
            ).count()
            closed = Order.objects.filter(pk__in=closing, status="closed").count()
            cancelled = Order.objects.filter(pk__in=due, status="cancelled").count()
            return cancelled == DUE and refunds >= DUE and closed == CLOSING

        _wait(settled, 90, "the due orders were not all cancelled and refunded, or not all closed")
        time.sleep(2)  # a duplicate job, if any, has time to run
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()

    orders = Order.objects.filter(seller=seller)
    assert orders.count() == DUE + PLACED + CLOSING
    assert len(set(orders.values_list("number", flat=True))) == DUE + PLACED + CLOSING
    events = Counter(OrderEvent.objects.filter(order__seller=seller).values_list("order_id", "type"))
    twice = {(o, t): n for (o, t), n in events.items() if t in STATUS_EVENT_TYPES and n > 1}
    assert not twice, f"status events recorded more than once: {twice}"
    placed_once = {o: n for (o, t), n in events.items() if t == "order_placed"}
    assert sorted(placed_once.values()) == [1] * (DUE + PLACED + CLOSING)
    closed = {o: n for (o, t), n in events.items() if t == "order_closed"}
    assert closed == dict.fromkeys(closing, 1)  # only the delivered ones, each once
    commissions = Counter(
        EarningsEntry.objects.filter(order__seller=seller, kind=EntryKind.COMMISSION).values_list(
            "order_id", flat=True
        )
    )
    assert commissions == Counter(closing)  # charged once per closed order
    # 10 % of 2 × 12.50 plus the fixed 1.00, on every closed order
    assert all(
        sums_of(o)[EntryKind.COMMISSION] == Decimal("3.50") for o in Order.objects.filter(pk__in=closing)
    )
    cancelled = {o: n for (o, t), n in events.items() if t == "order_cancelled"}
    assert cancelled == dict.fromkeys(due, 1)  # only the due ones, each once
    refunds = Counter(
        Payment.objects.filter(order_id__in=due, kind=PaymentKind.REFUND).values_list("order_id", flat=True)
    )
    assert refunds == Counter(due)  # one refund per cancelled order, none twice
    assert [proc.returncode for proc in procs] == [0, 0, 0, 0]


def _answers(port: int) -> bool:
    try:
        _get(port)
    except OSError:
        return False
    return True
