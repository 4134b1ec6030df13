"""The fulfillment axis as properties (docs/requirements.md#order-states, R-FUL-1): derived from
line quantities and shipments, consistent, and never moved back by a shipment moving on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sellerdesk.orders.states import FulfillmentStatus as F
from sellerdesk.orders.states import LineQty, ShipmentQty, Status, derive_fulfillment_status
from sellerdesk.shipping.states import HANDED_OVER, NEXT, RANK, ShipmentStatus

PROGRESS = {F.UNFULFILLED: 0, F.PARTIALLY_FULFILLED: 1, F.DISPATCHED: 2, F.FULFILLED: 3, F.DELIVERED: 4}


def qty(status: ShipmentStatus, units: int) -> ShipmentQty:
    return ShipmentQty(
        units=units,
        handed_over=status in HANDED_OVER,
        delivered=status == ShipmentStatus.DELIVERED,
        voided=status == ShipmentStatus.CANCELED,
    )


@st.composite
def split_orders(draw):  # type: ignore[no-untyped-def]
    """An order of 1–4 units, split over shipments with random states: (ordered, shipments)."""
    ordered = draw(st.integers(1, 4))
    shipments: list[tuple[ShipmentStatus, int]] = []
    left = ordered
    while left and draw(st.booleans()):
        units = draw(st.integers(1, left))
        status = draw(st.sampled_from([s for s in ShipmentStatus if s != ShipmentStatus.CANCELED]))
        shipments.append((status, units))
        left -= units
    return ordered, shipments


def derive(ordered: int, shipments: list[tuple[ShipmentStatus, int]]) -> F:
    fulfilled = sum(u for s, u in shipments if s != ShipmentStatus.CANCELED)
    return derive_fulfillment_status(
        Status.CONFIRMED, "carrier", [LineQty(ordered, fulfilled, 0, 0)], [qty(s, u) for s, u in shipments]
    )


@given(split_orders())
def test_the_axis_says_what_the_shipments_say(case) -> None:  # type: ignore[no-untyped-def]
    ordered, shipments = case
    result = derive(ordered, shipments)
    in_shipments = sum(u for _, u in shipments)
    if in_shipments == 0:
        assert result == F.UNFULFILLED
    elif in_shipments < ordered:
        assert result == F.PARTIALLY_FULFILLED
    elif all(s == ShipmentStatus.DELIVERED for s, _ in shipments):
        assert result == F.DELIVERED
    elif all(s in HANDED_OVER for s, _ in shipments):
        assert result == F.FULFILLED
    else:
        assert result == F.DISPATCHED


@given(split_orders(), st.data())
def test_a_shipment_moving_on_never_moves_the_order_back(case, data) -> None:  # type: ignore[no-untyped-def]
    ordered, shipments = case
    if not shipments:
        return
    i = data.draw(st.integers(0, len(shipments) - 1))
    status, units = shipments[i]
    onward = sorted(s for s in NEXT[status] if s != ShipmentStatus.CANCELED and RANK[s] > RANK[status])
    if not onward:
        return
    moved = list(shipments)
    moved[i] = (data.draw(st.sampled_from(onward)), units)
    assert PROGRESS[derive(ordered, moved)] >= PROGRESS[derive(ordered, shipments)]


@given(split_orders())
def test_voiding_a_waiting_shipment_gives_its_units_back(case) -> None:  # type: ignore[no-untyped-def]
    ordered, shipments = case
    waiting = [i for i, (s, _) in enumerate(shipments) if s == ShipmentStatus.AWAITING_SHIPMENT]
    if not waiting:
        return
    voided = [
        (ShipmentStatus.CANCELED, u) if i == waiting[0] else (s, u) for i, (s, u) in enumerate(shipments)
    ]
    assert derive(ordered, voided) != F.DISPATCHED or len(waiting) > 1
    assert PROGRESS[derive(ordered, voided)] <= max(
        PROGRESS[derive(ordered, shipments)], PROGRESS[F.DISPATCHED]
    )


def test_returns_and_pickups() -> None:
    lines = [LineQty(2, 2, 0, 1)]
    assert (
        derive_fulfillment_status(Status.DELIVERED, "carrier", lines, [qty(ShipmentStatus.DELIVERED, 2)])
        == F.PARTIALLY_RETURNED
    )
    lines = [LineQty(2, 2, 0, 2)]
    assert (
        derive_fulfillment_status(Status.DELIVERED, "carrier", lines, [qty(ShipmentStatus.DELIVERED, 2)])
        == F.RETURNED
    )
    pickup = ShipmentQty(units=2, handed_over=True, delivered=True, picked_up=True)
    assert (
        derive_fulfillment_status(Status.DELIVERED, "local", [LineQty(2, 2, 0, 0)], [pickup]) == F.PICKED_UP
    )
