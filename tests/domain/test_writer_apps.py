"""Writers in their own apps (issue 8): stock moves in catalog, the ledger and providers in payments,
a transition's side effects as data looked up by target status."""

from __future__ import annotations

import pytest
from django.db import transaction

from sellerdesk.catalog.models import Product, StockState
from sellerdesk.catalog.services import MOVES, stock_deduct, stock_release, stock_reserve
from sellerdesk.orders import services
from sellerdesk.orders.methods import PAYMENT_CHOICES
from sellerdesk.orders.models import OrderEvent
from sellerdesk.orders.services.lifecycle import ON_ENTER
from sellerdesk.orders.states import TRANSITIONS, Status
from sellerdesk.payments.ledger import ledger_of
from sellerdesk.payments.models import Payment
from sellerdesk.payments.providers import PROVIDERS
from tests.conftest import actor, place


def test_every_status_a_transition_reaches_has_its_effects_declared() -> None:
    targets = {target for target, _ in TRANSITIONS.values()}
    assert targets <= set(ON_ENTER)
    # each status entered stamps its own moment; cancel gives the stock back
    for status in targets:
        assert any(effect.__name__ == f"stamp_{status.value}_at" for effect in ON_ENTER[status]), status
    assert "_release_stock" in [e.__name__ for e in ON_ENTER[Status.CANCELLED]]


def test_stock_moves_are_declared_once() -> None:
    assert set(MOVES) == {
        (StockState.RESERVED, StockState.DEDUCTED),
        (StockState.RESERVED, StockState.RELEASED),
        (StockState.DEDUCTED, StockState.RELEASED),
    }


@pytest.mark.django_db
def test_reserve_deduct_restock_and_release_move_the_counters(seller) -> None:  # type: ignore[no-untyped-def]
    mug = Product.objects.get(seller=seller, sku="MUG-01")
    stock = mug.stock
    with transaction.atomic():
        stock_reserve(seller_id=seller.pk, wanted={"MUG-01": 3})
    mug.refresh_from_db()
    assert (mug.stock, mug.reserved) == (stock, 3)
    state = stock_deduct(current=StockState.RESERVED, quantities={mug.pk: 3})
    mug.refresh_from_db()
    assert (state, mug.stock, mug.reserved) == (StockState.DEDUCTED, stock - 3, 0)
    assert stock_deduct(current=state, quantities={mug.pk: 3}) == StockState.DEDUCTED  # no second deduction
    state = stock_release(current=state, quantities={mug.pk: 3})  # restock
    mug.refresh_from_db()
    assert (state, mug.stock, mug.reserved) == (StockState.RELEASED, stock, 0)
    assert stock_release(current=state, quantities={mug.pk: 3}) == StockState.RELEASED
    mug.refresh_from_db()
    assert (mug.stock, mug.reserved) == (stock, 0)


@pytest.mark.django_db
def test_mark_paid_goes_through_the_provider_of_the_payment_method(seller) -> None:  # type: ignore[no-untyped-def]
    assert set(PROVIDERS) == {method for method, _ in PAYMENT_CHOICES}
    order = place(seller, payment_method="bank_transfer")
    services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=actor(seller), reference="TX-1")
    payment = Payment.objects.get(order=order)
    assert (payment.kind, payment.provider, payment.reference) == ("offline", "manual", "TX-1")
    assert ledger_of(order).paid == order.total
    event = OrderEvent.objects.get(order=order, type="payment_recorded")
    assert event.data["provider"] == "manual"
    assert event.data["payment_status"] == {"from": "unpaid", "to": "paid"}


@pytest.mark.django_db
def test_an_effect_adds_fields_and_events_to_the_change(seller, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A new side effect is a row in ON_ENTER: what it adds is recorded with the status event."""
    from sellerdesk.orders.events import NoteAdded
    from sellerdesk.orders.services.lifecycle import Entering

    def effect(e: Entering) -> None:
        e.more.append(NoteAdded(note_id=0))

    monkeypatch.setitem(ON_ENTER, Status.CONFIRMED, (*ON_ENTER[Status.CONFIRMED], effect))
    order = place(seller)
    services.order_confirm_many(seller_id=seller.pk, numbers=[order.number], actor=actor(seller))
    rows = list(OrderEvent.objects.filter(order=order).order_by("id").values_list("type", "data"))
    assert [t for t, _ in rows] == ["order_placed", "order_confirmed", "note_added"]
    assert "ship_by" in rows[1][1]  # a field the ship-by effect added to the status event
