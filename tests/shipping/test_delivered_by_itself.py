"""R-FUL-7: delivery arrives by itself. A sandbox label is bought; the worker's periodic carrier
poll (the real worker, in threads) moves the shipment and the order to shipped, then delivered."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.db import connection

from sellerdesk.orders.models import Order
from sellerdesk.outbox import periodic
from sellerdesk.outbox.worker import OutboxWorker
from sellerdesk.shipping import services
from sellerdesk.shipping.accounts import sandbox_account
from sellerdesk.shipping.carriers.base import Package
from sellerdesk.shipping.printing import recipient_of, shipper_of
from tests.conftest import actor
from tests.outbox.conftest import start_workers
from tests.shipping.conftest import ready_to_ship


def _labelled_order(seller):  # type: ignore[no-untyped-def]
    account = sandbox_account(seller.pk)
    account.options = {"step_seconds": 1}
    account.save()
    order = ready_to_ship(seller)
    parcel = services.Parcel(
        account_id=account.pk,
        packages=(Package(weight_g=1200, length_cm=30, width_cm=20, height_cm=10),),
        recipient=recipient_of(order),
        shipper=shipper_of(seller),
        declared_value=Decimal("40"),
    )
    shipment = services.buy_label(
        seller_id=seller.pk, number=order.number, actor=actor(seller), parcel=parcel, service_code="economy"
    )
    assert shipment.tracking_number.startswith("SBX") and shipment.status == "awaiting_shipment"
    order.refresh_from_db()
    assert (order.status, order.fulfillment_status) == ("confirmed", "dispatched")
    return order


def _delivered_by_the_carrier(order: Order) -> None:
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.fulfillment_status) == ("delivered", "delivered")
    events = list(order.events.values_list("type", "actor_label"))
    assert ("order_shipped", "Sandbox carrier") in events and ("order_delivered", "Sandbox carrier") in events
    changes = order.events.filter(type="shipment_status_changed").values_list("data", flat=True)
    assert [d["status"]["to"] for d in changes] == ["shipped", "in_transit", "out_for_delivery", "delivered"]
    assert order.shipments.get().tracking.count() == 4


@pytest.mark.django_db
def test_the_carrier_poll_delivers_a_sandbox_parcel_nobody_clicks(seller) -> None:  # type: ignore[no-untyped-def]
    """The function the worker's periodic job runs, called as the schedule would call it."""
    from sellerdesk.shipping.tasks import poll_carriers

    order = _labelled_order(seller)
    deadline = time.monotonic() + 30
    while Order.objects.get(pk=order.pk).status != "delivered" and time.monotonic() < deadline:
        poll_carriers()
        time.sleep(0.5)
    _delivered_by_the_carrier(order)


@pytest.mark.postgres  # worker threads and the test writing at once: SQLite's shared-cache test database locks tables
@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_a_sandbox_parcel_nobody_clicks(seller, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    order = _labelled_order(seller)
    poll = periodic.Periodic("sellerdesk.shipping.tasks.poll_carriers", dt.timedelta(seconds=1))
    monkeypatch.setattr(periodic, "PERIODIC", {"poll_carriers": poll})
    workers = [OutboxWorker(interval=0.1)]
    threads = start_workers(workers)
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            order = Order.objects.get(pk=order.pk)
            if order.status == "delivered":
                break
            time.sleep(0.3)
    finally:
        for w in workers:
            w.running = False
        for t in threads:
            t.join(15)
        connection.close()
    _delivered_by_the_carrier(order)
