"""The `sellerdesk` command line: demo data and API keys (issue: foundation, point 2)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from sellerdesk.accounts.models import ApiKey, Seller, User
from sellerdesk.core.demo import demo_api_key
from sellerdesk.orders.models import Order, OrderEvent
from sellerdesk.orders.states import Status
from tests.conftest import order_body


@pytest.mark.django_db
def test_demo_loads_two_sellers_every_role_and_orders_in_every_state():
    out = io.StringIO()
    call_command("demo", orders=60, stdout=out)
    assert set(Seller.objects.values_list("slug", flat=True)) == {"north", "south"}
    for email in [
        "owner@north.example",
        "admin@north.example",
        "manager@north.example",
        "viewer@south.example",
    ]:
        user = User.objects.get(email=email)
        assert user.check_password("demo")
    assert Order.objects.count() == 120
    reached = set(Order.objects.values_list("status", flat=True))
    assert {Status.PENDING, Status.CONFIRMED, Status.PROCESSING, Status.CANCELLED} <= reached
    assert Order.objects.filter(is_test=True).exists()
    # every order has its placement event
    assert OrderEvent.objects.filter(type="order_placed").count() == 120
    # the ledger and the notes are dated with the order's history, not with the moment the demo ran:
    # each payment row carries the time of a payment event of its order
    from sellerdesk.payments.models import Payment

    paid = Payment.objects.filter(
        order__events__type__startswith="payment", order__events__created_at=F("created_at")
    )
    assert Payment.objects.exists() and set(Payment.objects.values_list("pk", flat=True)) == set(
        paid.values_list("pk", flat=True)
    )
    # the printed demo key works against the API
    key = demo_api_key("north")
    assert key in out.getvalue()
    resp = Client().get("/api/v1/orders", {"limit": 1}, headers={"Authorization": f"Bearer {key}"})
    assert resp.status_code == 200 and len(resp.json()["items"]) == 1
    # a second run with --if-empty leaves the data alone
    call_command("demo", if_empty=True, stdout=io.StringIO())
    assert Order.objects.count() == 120


@pytest.mark.django_db
def test_apikey_create_prints_only_the_key_once(seller):
    out = io.StringIO()
    call_command("apikey", "create", "--seller", seller.slug, "--role", "viewer", stdout=out)
    printed = out.getvalue().strip()
    assert "\n" not in printed and printed.startswith("sd_")
    key = ApiKey.objects.get(seller=seller, role="viewer")
    assert printed.split("_")[1] == key.prefix
    assert printed.split("_", 2)[2] not in key.secret_hash  # only the hash is stored
    client = Client()
    resp = client.get("/api/v1/orders", headers={"Authorization": f"Bearer {printed}"})
    assert resp.status_code == 200
    # a viewer key reads but cannot act
    resp = client.post(
        "/api/v1/orders",
        json.dumps(order_body()),
        content_type="application/json",
        headers={"Authorization": f"Bearer {printed}"},
    )
    assert resp.status_code == 403
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_apikey_create_for_unknown_seller_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No seller"):
        call_command("apikey", "create", "--seller", "nope", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_demo_store_left_alone_for_a_week_is_handled_as_a_marketplace_would():
    """R-SLA-1..4: the demo's open orders are recent (pending ones inside their confirm-by); left
    alone, the engine warns before each deadline, then cancels what nobody confirmed or shipped and
    closes what was delivered. Nothing is left past a deadline unhandled."""
    from django.utils import timezone

    from sellerdesk.orders.deadlines import overdue_q

    call_command("demo", orders=60, stdout=io.StringIO())
    now = timezone.now()
    assert not Order.objects.filter(status="pending", confirm_by__lt=now).exists()
    # a fresh demo is a store in order: its first sweep cancels nothing (no open order is overdue)
    assert not Order.objects.filter(overdue_q(now)).exists()
    done: dict[str, int] = {}
    for hours in range(0, 7 * 24 + 1, 6):  # the worker's schedule, coarser
        out = io.StringIO()
        call_command("deadlines", "--at", (now + dt.timedelta(hours=hours)).isoformat(), stdout=out)
        for line in out.getvalue().splitlines()[1:]:
            if ": " not in line:  # "nothing due"
                continue
            kind, _, rest = line.strip().partition(": ")
            done[kind] = done.get(kind, 0) + int(rest.split()[0])
    assert done.get("confirm_warned") and done.get("confirm_cancelled"), done
    assert done.get("ship_warned") and done.get("ship_cancelled"), done
    assert done.get("close_warned") and done.get("closed"), done
    week = now + dt.timedelta(days=7)
    # cancelled, or flagged because units already left in a shipment: none is left unhandled
    assert not Order.objects.filter(overdue_q(week)).exclude(deadline_notices__stage="missed").exists()
    assert not Order.objects.filter(status="delivered", close_by__lt=week).exists()
