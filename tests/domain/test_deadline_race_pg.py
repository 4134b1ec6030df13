"""Two workers sweeping the same due orders at once on PostgreSQL (R-SLA-1): each order is
cancelled exactly once, with one event, and its stock comes back once."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from sellerdesk.catalog.models import Product
from sellerdesk.orders import services
from sellerdesk.orders.models import Order, OrderEvent
from sellerdesk.orders.sweeps import sweep
from tests.conftest import place

from .invariants import check_all
from .test_concurrency_pg import errors, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_sweeps_racing_cancel_each_order_once(seller) -> None:  # type: ignore[no-untyped-def]
    orders = [place(seller, lines=[services.LineIn(sku="MUG-01", quantity=1)]) for _ in range(30)]
    at = max(o.confirm_by for o in orders) + dt.timedelta(seconds=1)
    results = run_together(2, lambda i: sweep(at).counts())
    assert not errors(results), results
    done = sum(r[1].get("confirm_cancelled", 0) for r in results)
    assert done == 30, results
    per_order = Counter(
        OrderEvent.objects.filter(type="order_cancelled", order__seller=seller).values_list(
            "order_id", flat=True
        )
    )
    assert len(per_order) == 30 and set(per_order.values()) == {1}
    assert Order.objects.filter(seller=seller, status="cancelled").count() == 30
    mug = Product.objects.get(seller=seller, sku="MUG-01")
    assert (mug.reserved, mug.stock) == (0, 100)
    check_all([seller.pk])
