"""Editing an order's lines (R-PROC-6) and out of stock (R-PROC-7): totals, stock, payment status,
refund due and events, with the order invariants checked after each change."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sellerdesk.catalog.models import Product
from sellerdesk.core.errors import Conflict, InvalidInput, NotFound
from sellerdesk.earnings.changes import LineEdit, line_cancel, line_substitute, order_edit_lines
from sellerdesk.orders.models import Order
from tests.conftest import actor
from tests.domain.invariants import check_products
from tests.earnings.conftest import drive, pickup_order

pytestmark = pytest.mark.django_db
D = Decimal


def stock(seller, sku):  # type: ignore[no-untyped-def]
    p = Product.objects.get(seller=seller, sku=sku)
    return p.stock, p.reserved


def test_edit_quantity_price_add_line_and_discount(seller) -> None:
    order = pickup_order(seller)  # 2 × MUG-01 at 12.50
    line = order.lines.get()
    order_edit_lines(
        seller_id=seller.pk,
        number=order.number,
        actor=actor(seller),
        edits=[
            LineEdit(line_id=line.pk, quantity=3, unit_price=D("12.00")),
            LineEdit(sku="BOWL-01", quantity=1),
        ],
        discount="1.00",
        reason="phone call",
    )
    order.refresh_from_db()
    assert (order.subtotal, order.discount, order.total) == (D("60.90"), D("1.00"), D("59.90"))
    assert stock(seller, "MUG-01") == (100, 3) and stock(seller, "BOWL-01") == (50, 1)
    event = order.events.get(type="order_changed")
    assert event.data["lines"][0]["quantity"] == {"from": 2, "to": 3}
    assert event.data["lines"][0]["unit_price"] == {"from": "12.50", "to": "12.00"}
    assert event.data["lines"][1]["sku"] == "BOWL-01"
    assert event.data["discount"] == {"from": "0.00", "to": "1.00"} and event.data["reason"] == "phone call"
    check_products([seller.pk])


def test_lowering_a_paid_order_shows_the_refund_due_and_releases_stock(seller) -> None:
    order = drive(seller, pickup_order(seller), to="paid")
    line = order.lines.get()
    order_edit_lines(
        seller_id=seller.pk,
        number=order.number,
        actor=actor(seller),
        edits=[LineEdit(line_id=line.pk, quantity=1)],
        reason="x",
    )
    order.refresh_from_db()
    assert order.total == D("12.50") and order.paid_amount == D("25.00")
    assert order.events.get(type="order_changed").data["refund_due"] == "12.50"
    assert stock(seller, "MUG-01") == (100, 1)
    check_products([seller.pk])


def test_edit_refusals(seller, other_seller) -> None:
    order = pickup_order(seller)
    theirs = pickup_order(other_seller)
    their_line = theirs.lines.get()
    kw = {"seller_id": seller.pk, "number": order.number, "actor": actor(seller), "reason": "r"}
    with pytest.raises(NotFound):
        order_edit_lines(edits=[LineEdit(line_id=their_line.pk, quantity=1)], **kw)
    with pytest.raises(Conflict) as short:
        order_edit_lines(edits=[LineEdit(sku="BOWL-01", quantity=51)], **kw)
    assert short.value.code == "out_of_stock"
    with pytest.raises(Conflict):
        order_edit_lines(edits=[LineEdit(line_id=order.lines.get().pk, quantity=0)], **kw)  # no line left
    with pytest.raises(InvalidInput):
        order_edit_lines(edits=[LineEdit(sku="NOPE", quantity=1)], **kw)
    processing = drive(seller, pickup_order(seller), to="processing")
    with pytest.raises(Conflict) as late:
        order_edit_lines(**{**kw, "number": processing.number}, edits=[LineEdit(sku="BOWL-01", quantity=1)])
    assert late.value.code == "not_editable"
    assert stock(seller, "BOWL-01") == (50, 0)
    check_products([seller.pk])


def test_substitute_with_agreement(seller) -> None:
    order = pickup_order(seller)
    line = order.lines.get()
    with pytest.raises(InvalidInput):
        line_substitute(
            seller_id=seller.pk,
            number=order.number,
            actor=actor(seller),
            line_id=line.pk,
            sku="BOWL-01",
            agreement=" ",
        )
    line_substitute(
        seller_id=seller.pk,
        number=order.number,
        actor=actor(seller),
        line_id=line.pk,
        sku="BOWL-01",
        agreement="by phone",
    )
    order.refresh_from_db()
    assert order.total == D("49.80")
    assert stock(seller, "MUG-01") == (100, 0) and stock(seller, "BOWL-01") == (50, 2)
    data = order.events.get(type="line_substituted").data
    assert (data["from_sku"], data["to_sku"], data["quantity"], data["agreement"]) == (
        "MUG-01",
        "BOWL-01",
        2,
        "by phone",
    )
    check_products([seller.pk])


def test_cancel_a_line_while_processing_restocks_and_shows_the_refund(seller) -> None:
    from sellerdesk.orders.services import LineIn

    order = pickup_order(seller, lines=[LineIn(sku="MUG-01", quantity=2), LineIn(sku="BOWL-01", quantity=1)])
    order = drive(seller, order, to="processing")
    bowl = order.lines.get(sku="BOWL-01")
    assert stock(seller, "BOWL-01") == (49, 0)
    line_cancel(seller_id=seller.pk, number=order.number, actor=actor(seller), line_id=bowl.pk, quantity=1)
    order = Order.objects.get(pk=order.pk)
    bowl.refresh_from_db()
    assert bowl.quantity_cancelled == 1 and bowl.line_total == 0
    assert order.total == D("25.00") and order.paid_amount == D("49.90")
    assert order.events.get(type="line_cancelled").data["refund_due"] == "24.90"
    assert stock(seller, "BOWL-01") == (50, 0)
    mug = order.lines.get(sku="MUG-01")
    with pytest.raises(Conflict):  # the last units: cancel the order instead
        line_cancel(seller_id=seller.pk, number=order.number, actor=actor(seller), line_id=mug.pk, quantity=2)
    with pytest.raises(InvalidInput):
        line_cancel(seller_id=seller.pk, number=order.number, actor=actor(seller), line_id=mug.pk, quantity=3)
    check_products([seller.pk])
