"""R-FUL-1, R-FUL-2, R-FUL-6, R-FUL-9, R-FUL-10, R-PAY-7: fulfilling by hand, through the writers."""

from __future__ import annotations

import pytest

from sellerdesk.catalog.models import Product
from sellerdesk.core.errors import Conflict, InvalidInput, NotFound
from sellerdesk.orders import services as orders
from sellerdesk.orders.models import Order
from sellerdesk.shipping import services as shipping
from sellerdesk.shipping.models import Shipment
from tests.conftest import actor, place
from tests.shipping.conftest import line_ids, ready_to_ship


def manual(order: Order, role: str = "manager", **kw) -> Shipment:  # type: ignore[no-untyped-def]
    return shipping.fulfill_manual(
        seller_id=order.seller_id,
        number=order.number,
        actor=actor(order.seller, role),
        data=shipping.ManualFulfillment(**kw),
    )


def state(order: Order) -> tuple[str, str]:
    order.refresh_from_db()
    return order.status, order.fulfillment_status


def test_split_order_moves_through_every_status(shippable: Order) -> None:
    """R-FUL-1: two shipments; shipped when every unit is handed over, delivered when both are."""
    ids = line_ids(shippable)
    first = manual(shippable, lines={ids["MUG-01"]: 1})
    assert state(shippable) == ("confirmed", "partially_fulfilled")
    pickup = manual(shippable, lines={ids["MUG-01"]: 1, ids["BOWL-01"]: 1}, shipping_point="pickup")
    # every unit is in a shipment, but the pickup one waits at the counter: dispatched
    assert state(shippable) == ("confirmed", "dispatched")
    assert [s.number for s in shippable.shipments.all()] == [1, 2]
    seller, a = shippable.seller, actor(shippable.seller)
    shipping.shipment_deliver(seller_id=seller.pk, number=shippable.number, shipment_no=first.number, actor=a)
    assert state(shippable) == ("confirmed", "dispatched")
    shipping.shipment_deliver(
        seller_id=seller.pk, number=shippable.number, shipment_no=pickup.number, actor=a
    )
    assert state(shippable) == ("delivered", "delivered")
    types = list(shippable.events.values_list("type", flat=True))
    assert types[-2:] == ["order_shipped", "order_delivered"]
    assert types.count("shipment_created") == 2
    assert Product.objects.get(seller=seller, sku="MUG-01").stock == 98  # deducted once on shipping


def test_fulfilling_everything_ships_the_order(shippable: Order) -> None:
    shipment = manual(shippable, carrier="DHL", tracking_number="JD0001")
    assert state(shippable) == ("shipped", "fulfilled")
    assert shipment.status == "shipped" and shipment.lines.count() == 2
    assert sum(line.quantity_fulfilled for line in shippable.lines.all()) == 3


def test_international_needs_carrier_and_tracking(shippable: Order) -> None:
    """R-FUL-2."""
    with pytest.raises(InvalidInput) as refused:
        manual(shippable, shipping_point="international", carrier="DHL")
    assert refused.value.code == "tracking_required"
    assert not shippable.shipments.exists()


def test_more_than_is_left_is_refused_and_nothing_written(shippable: Order) -> None:
    ids = line_ids(shippable)
    with pytest.raises(InvalidInput) as refused:
        manual(shippable, lines={ids["MUG-01"]: 3})
    assert refused.value.code == "quantity_exceeds_open"
    with pytest.raises(InvalidInput):
        manual(shippable, lines={999999: 1})
    assert not shippable.shipments.exists()
    assert state(shippable) == ("confirmed", "unfulfilled")


def test_another_orders_line_is_not_found(seller, make_seller) -> None:  # type: ignore[no-untyped-def]
    mine = ready_to_ship(seller)
    theirs = ready_to_ship(make_seller())
    with pytest.raises(InvalidInput) as refused:
        manual(mine, lines={next(iter(line_ids(theirs).values())): 1})
    assert refused.value.code == "line_not_found"


def test_unpaid_order_is_refused_unless_paid_on_delivery_or_policy(seller) -> None:  # type: ignore[no-untyped-def]
    """R-PAY-7."""
    order = place(seller)
    orders.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    with pytest.raises(Conflict) as refused:
        manual(order)
    assert refused.value.code == "payment_required" and "paid before it leaves" in refused.value.detail
    cod = ready_to_ship(seller, payment_method="cash_on_delivery")
    manual(cod)
    assert state(cod)[0] == "shipped"
    seller.ship_unpaid_allowed = True
    seller.save()
    manual(order)
    assert state(order)[0] == "shipped"


def test_pending_and_hand_delivered_orders_take_no_shipment(seller) -> None:  # type: ignore[no-untyped-def]
    pending = place(seller)
    with pytest.raises(Conflict) as refused:
        manual(pending)
    assert refused.value.code == "not_confirmed"
    digital = ready_to_ship(
        seller,
        shipping_method="digital",
        shipping_address={},
        lines=[orders.LineIn(sku="EBOOK-01", quantity=1)],
    )
    with pytest.raises(Conflict) as refused:
        manual(digital)
    assert refused.value.code == "hand_delivered"
    orders.order_deliver(seller_id=seller.pk, number=digital.number, actor=actor(seller))  # R-FUL-9
    assert state(digital) == ("delivered", "delivered")


def test_viewer_cannot_ship_and_another_seller_gets_404(shippable: Order, other_seller) -> None:  # type: ignore[no-untyped-def]
    from sellerdesk.core.errors import Forbidden

    with pytest.raises(Forbidden):
        manual(shippable, role="viewer")
    with pytest.raises(NotFound):
        shipping.fulfill_manual(
            seller_id=other_seller.pk,
            number=shippable.number,
            actor=actor(other_seller),
            data=shipping.ManualFulfillment(),
        )


def test_void_before_handover_frees_the_units(shippable: Order) -> None:
    """R-FUL-6: void; refused once the carrier has the parcel."""
    seller, a = shippable.seller, actor(shippable.seller)
    pickup = manual(shippable, shipping_point="pickup")
    assert state(shippable) == ("confirmed", "dispatched")
    shipping.shipment_void(seller_id=seller.pk, number=shippable.number, shipment_no=pickup.number, actor=a)
    assert state(shippable) == ("confirmed", "unfulfilled")
    assert sum(line.quantity_fulfilled for line in shippable.lines.all()) == 0
    sent = manual(shippable)
    with pytest.raises(Conflict) as refused:
        shipping.shipment_void(seller_id=seller.pk, number=shippable.number, shipment_no=sent.number, actor=a)
    assert "carrier already has the parcel" in refused.value.detail


def test_edit_manual_shipment_and_status(shippable: Order) -> None:
    """R-FUL-6: carrier, tracking number, status, expected delivery, with notify the customer."""
    import datetime as dt

    seller, a = shippable.seller, actor(shippable.seller)
    sent = manual(shippable)
    shipping.shipment_edit(
        seller_id=seller.pk,
        number=shippable.number,
        shipment_no=sent.number,
        actor=a,
        data=shipping.ShipmentEdit(
            carrier="Boxberry",
            tracking_number="BX1",
            status="in_transit",
            expected_delivery=dt.date(2030, 1, 2),
            notify_customer=True,
        ),
    )
    sent.refresh_from_db()
    assert (sent.carrier, sent.tracking_number, sent.status) == ("Boxberry", "BX1", "in_transit")
    updated = shippable.events.get(type="shipment_updated").data
    assert updated["notify_customer"] and set(updated["changes"]) == {
        "carrier",
        "tracking_number",
        "expected_delivery",
    }
    with pytest.raises(Conflict):  # no going back
        shipping.shipment_edit(
            seller_id=seller.pk,
            number=shippable.number,
            shipment_no=sent.number,
            actor=a,
            data=shipping.ShipmentEdit(status="shipped"),
        )
    orders.order_deliver(seller_id=seller.pk, number=shippable.number, actor=a)
    assert state(shippable) == ("delivered", "delivered")


def test_returns_partial_then_full_with_restock(shippable: Order) -> None:
    """R-FUL-10 and R-INV-2: returned ≤ delivered per line; restock puts units back."""
    seller, a = shippable.seller, actor(shippable.seller)
    ids = line_ids(shippable)
    manual(shippable)
    with pytest.raises(InvalidInput) as refused:  # shipped, not yet delivered: nothing can come back
        shipping.order_return(
            seller_id=seller.pk, number=shippable.number, actor=a, quantities={ids["MUG-01"]: 1}, restock=True
        )
    assert refused.value.code == "quantity_exceeds_delivered"
    orders.order_deliver(seller_id=seller.pk, number=shippable.number, actor=a)
    stock = Product.objects.get(seller=seller, sku="MUG-01").stock
    shipping.order_return(
        seller_id=seller.pk, number=shippable.number, actor=a, quantities={ids["MUG-01"]: 1}, restock=True
    )
    assert state(shippable) == ("delivered", "partially_returned")
    assert Product.objects.get(seller=seller, sku="MUG-01").stock == stock + 1
    shipping.order_return(
        seller_id=seller.pk,
        number=shippable.number,
        actor=a,
        quantities={ids["MUG-01"]: 1, ids["BOWL-01"]: 1},
        restock=False,
    )
    assert state(shippable) == ("delivered", "returned")
    assert Product.objects.get(seller=seller, sku="MUG-01").stock == stock + 1
    with pytest.raises(InvalidInput):
        shipping.order_return(
            seller_id=seller.pk,
            number=shippable.number,
            actor=a,
            quantities={ids["MUG-01"]: 1},
            restock=False,
        )
