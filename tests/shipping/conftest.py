"""Shipping fixtures: orders ready to ship, placed and confirmed through the real writers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sellerdesk.accounts.models import Seller
from sellerdesk.orders import services
from sellerdesk.orders.models import Order
from tests.conftest import actor, place


def ready_to_ship(seller: Seller, **kw: Any) -> Order:
    """A confirmed order, paid unless it is paid on delivery."""
    kw.setdefault(
        "lines",
        [services.LineIn(sku="MUG-01", quantity=2), services.LineIn(sku="BOWL-01", quantity=1)],
    )
    order = place(seller, **kw)
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    if order.payment_method == "online":
        services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=actor(seller))
    order.refresh_from_db()
    return order


def line_ids(order: Order) -> dict[str, int]:
    return {line.sku: line.pk for line in order.lines.all()}


@pytest.fixture
def shippable(seller: Seller) -> Order:
    return ready_to_ship(seller)


ZERO = Decimal("0")
