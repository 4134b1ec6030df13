"""Bugs the property tests found, pinned as plain examples."""

from __future__ import annotations

import pytest

from sellerdesk.catalog.models import Product
from sellerdesk.orders import services
from tests.conftest import actor, place

from .invariants import check_all

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("shipping", ["digital", "pickup"])
def test_delivering_by_hand_from_confirmed_deducts_the_reservation(seller, shipping: str) -> None:  # type: ignore[no-untyped-def]
    """R-INV-2 / R-FUL-9: a digital or pickup order delivered without "Start processing" used to keep
    its units reserved for ever (closed orders held stock nobody could sell, none was deducted)."""
    order = place(seller, shipping_method=shipping, payment_method="cash_on_delivery")
    who = actor(seller)
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=who)
    order = services.order_deliver(seller_id=seller.pk, number=order.number, actor=who)
    mug = Product.objects.get(seller=seller, sku="MUG-01")
    assert (order.stock_state, mug.reserved, mug.stock) == ("deducted", 0, 98)
    services.order_close(seller_id=seller.pk, number=order.number, actor=who)
    check_all([seller.pk])
