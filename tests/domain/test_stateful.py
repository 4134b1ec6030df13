"""Random sequences of the order services for two sellers; every invariant after every step.

A hypothesis state machine calls the real services on the real database (SQLite or PostgreSQL).
Each example runs inside a savepoint of the test transaction and is rolled back at its end, so
examples start from the same two sellers. After every step it checks tests/domain/invariants.py
plus what only a history can tell: no status goes back, final stays final, exactly one timeline
event per successful call and none for a refused one, stock on hand moves only as the calls say.

More examples: SELLERDESK_PROP_EXAMPLES=200 SELLERDESK_PROP_STEPS=60 pytest tests/domain/test_stateful.py
"""

from __future__ import annotations

import os
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from sellerdesk.accounts.models import Seller, User
from sellerdesk.catalog.models import Product
from sellerdesk.catalog.services import product_set_stock
from sellerdesk.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from sellerdesk.core.money import quantize
from sellerdesk.orders import services
from sellerdesk.orders.models import Order, OrderEvent
from sellerdesk.orders.services.lifecycle import facts_of
from sellerdesk.orders.states import (
    CANCEL_REASONS,
    RANK,
    Action,
    Status,
    TransitionRefused,
    available_actions,
    transition,
)
from sellerdesk.shipping import services as shipping
from tests.conftest import actor

from .invariants import check_all

SKUS = ["MUG-01", "BOWL-01", "EBOOK-01"]
ADDRESS = {"country": "DE", "city": "Berlin", "postal_code": "10115", "line1": "Invalidenstraße 43"}
LIFECYCLE = {
    Action.CONFIRM: services.order_confirm,
    Action.PROCESS: services.order_process,
    Action.DELIVER: services.order_deliver,
    Action.CLOSE: services.order_close,
}
FINAL = {Status.CLOSED.value, Status.CANCELLED.value}

pick = st.integers(min_value=0, max_value=10**6)  # an index into what exists, taken modulo its size


class OrderDesk(RuleBasedStateMachine):
    sellers: list[Seller] = []  # set by the test before the machine runs

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.orders: list[tuple[int, int]] = []  # (seller index, number)
        self.status: dict[int, str] = {}  # order pk -> last status seen
        self.events: Counter[int] = Counter()  # order pk -> events the calls should have written
        self.on_hand: dict[int, int] = {}  # product pk -> stock the calls should have left

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers -----------------------------------------------------------------

    def _order(self, i: int) -> tuple[Seller, Order]:
        s, number = self.orders[i % len(self.orders)]
        seller = self.sellers[s]
        return seller, Order.objects.get(seller=seller, number=number)

    def _live_per_product(self, order: Order) -> Counter[int]:
        out: Counter[int] = Counter()
        for line in order.lines.all():
            out[line.product_id] += line.quantity - line.quantity_cancelled
        return out

    def _call(self, order: Order, fn: Any, **kw: Any) -> Any:
        """Call a service on an existing order; count the event it must write, or none if refused."""
        before = OrderEvent.objects.filter(order=order).count()
        stock_before = order.stock_state
        try:
            result = fn(**kw)
        except DomainError as err:
            assert OrderEvent.objects.filter(order=order).count() == before, f"{err.code} wrote an event"
            return err
        self.events[order.pk] += 1
        status_before = order.status
        order.refresh_from_db()
        event(f"{fn.__name__}: {status_before} -> {order.status}")
        moved = self._live_per_product(order)
        if stock_before == "reserved" and order.stock_state == "deducted":
            for pk, qty in moved.items():
                self.on_hand[pk] -= qty
        elif stock_before == "deducted" and order.stock_state == "released":
            for pk, qty in moved.items():
                self.on_hand[pk] += qty
        return result

    # --- setup -------------------------------------------------------------------

    @initialize(stocks=st.lists(st.integers(0, 12), min_size=6, max_size=6))
    def set_up_stock(self, stocks: list[int]) -> None:
        products = list(Product.objects.filter(seller__in=self.sellers).order_by("id"))
        for product, stock in zip(products, stocks, strict=True):
            owner = actor(product.seller, "owner")
            product_set_stock(seller_id=product.seller_id, sku=product.sku, actor=owner, stock=stock)
            self.on_hand[product.pk] = stock

    # --- rules -------------------------------------------------------------------

    @rule(
        s=st.integers(0, 1),
        lines=st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 6)), min_size=1, max_size=3),
        shipping=st.sampled_from(["carrier", "pickup", "digital", "local"]),
        payment=st.sampled_from(["online", "cash_on_delivery", "bank_transfer", "pos_on_delivery"]),
        price=st.sampled_from([None, Decimal("0"), Decimal("3.3333"), Decimal("19.99")]),
        currency=st.sampled_from(["EUR", "JPY", "KWD"]),
        customer=st.sampled_from(["anna@example.com", "boris@example.com", ""]),
    )
    def place(self, s, lines, shipping, payment, price, currency, customer) -> None:  # type: ignore[no-untyped-def]
        seller = self.sellers[s]
        wanted: Counter[str] = Counter()
        for sku, qty in lines:
            wanted[sku] += qty
        available = {p.sku: p.available for p in Product.objects.filter(seller=seller)}
        fits = all(available[sku] >= qty for sku, qty in wanted.items())
        orders_before, events_before = Order.objects.count(), OrderEvent.objects.count()
        data = services.OrderIn(
            customer=services.CustomerIn(name="Anna Petrova", email=customer, phone="+49 30 1234567"),
            lines=[services.LineIn(sku=sku, quantity=qty, unit_price=price) for sku, qty in lines],
            currency=currency,
            shipping_method=shipping,
            payment_method=payment,
            shipping_address=ADDRESS,
            shipping_price=Decimal("4.00"),
        )
        # a product priced in EUR cannot be sold in another currency without an explicit price
        foreign_price = price is None and currency != "EUR"
        # a price finer than the currency's minor unit is refused, never rounded
        too_fine = price is not None and quantize(price, currency) != price
        try:
            order = services.order_place(seller=seller, actor=actor(seller), data=data)
        except DomainError as err:
            assert (Order.objects.count(), OrderEvent.objects.count()) == (orders_before, events_before)
            if isinstance(err, InvalidInput):
                assert (foreign_price and err.code == "unit_price_required") or (
                    too_fine and err.code == "too_many_decimals"
                ), err.detail
            else:
                assert not fits, f"refused although stock suffices: {err.detail}"
                assert err.code == "out_of_stock"
            return
        assert fits, "placed an order that the stock could not cover"
        assert not foreign_price, "sold an EUR price in another currency"
        assert not too_fine, "rounded a price finer than the currency"
        assert order.status == Status.PENDING and order.stock_state == "reserved"
        assert [e.type for e in order.events.all()] == ["order_placed"]
        self.orders.append((s, order.number))
        self.status[order.pk] = order.status
        self.events[order.pk] = 1

    @precondition(lambda self: self.orders)
    @rule(i=pick, action=st.sampled_from(list(LIFECYCLE)))
    def lifecycle(self, i: int, action: Action) -> None:
        seller, order = self._order(i)
        try:
            expected: Status | None = transition(facts_of(order), action)
        except TransitionRefused:
            expected = None
        call = self._shipping_call if order.status == Status.SHIPPED else self._call  # shipments follow
        result = call(order, LIFECYCLE[action], seller_id=seller.pk, number=order.number, actor=actor(seller))
        if expected is None:
            assert isinstance(result, Conflict) and result.code == "transition_refused", result
        else:
            assert not isinstance(result, DomainError), f"{action} refused: {result}"
            assert result.status == expected.value

    @precondition(lambda self: self.orders)
    @rule(
        picks=st.lists(pick, min_size=1, max_size=6),
        unknown=st.booleans(),
    )
    def bulk_confirm(self, picks: list[int], unknown: bool) -> None:
        """R-LIST-6 set-based confirm: each order confirmed exactly as alone, or refused untouched."""
        seller = self.sellers[0]
        mine = [n for s, n in self.orders if s == 0]
        if not mine:
            return
        numbers = [mine[i % len(mine)] for i in picks] + ([999_999] if unknown else [])
        expected = {}
        for number in dict.fromkeys(numbers):
            order = Order.objects.filter(seller=seller, number=number).first()
            if order is None:
                expected[number] = None
                continue
            try:
                expected[number] = transition(facts_of(order), Action.CONFIRM)
            except TransitionRefused:
                expected[number] = None
        outcome = services.order_confirm_many(seller_id=seller.pk, numbers=numbers, actor=actor(seller))
        assert list(outcome) == list(expected), "one outcome per distinct number, in order"
        for number, error in outcome.items():
            if expected[number] is None:
                assert isinstance(error, DomainError), f"{number} should have been refused"
                continue
            assert error is None, f"{number} refused: {error}"
            order = Order.objects.get(seller=seller, number=number)
            assert order.status == Status.CONFIRMED.value and order.ship_by is not None
            self.events[order.pk] += 1
            event("bulk confirm")

    @precondition(lambda self: self.orders)
    @rule(i=pick, choice=st.integers(0, 3))
    def advance(self, i: int, choice: int) -> None:
        """Take one of the actions the order's buttons would offer now (deep paths come sooner)."""
        seller, order = self._order(i)
        offered = [a for a in available_actions(facts_of(order)) if a in LIFECYCLE]
        if not offered:
            return
        action = offered[choice % len(offered)]
        call = self._shipping_call if order.status == Status.SHIPPED else self._call  # shipments follow
        result = call(order, LIFECYCLE[action], seller_id=seller.pk, number=order.number, actor=actor(seller))
        assert not isinstance(result, DomainError), f"{action} was offered but refused: {result}"

    @precondition(lambda self: self.orders)
    @rule(
        i=pick,
        reason=st.sampled_from([*CANCEL_REASONS, "bogus"]),
        comment=st.sampled_from(["", "  ", "the customer called"]),
    )
    def cancel(self, i: int, reason: str, comment: str) -> None:
        seller, order = self._order(i)
        # the table and its guard: units in a live shipment refuse the cancel (void it first)
        allowed = Action.CANCEL in available_actions(facts_of(order))
        result = self._call(
            order,
            services.order_cancel,
            seller_id=seller.pk,
            number=order.number,
            actor=actor(seller),
            reason=reason,
            comment=comment,
        )
        bad_input = reason == "bogus" or (reason == "other" and not comment.strip())
        if bad_input:
            assert isinstance(result, InvalidInput), result
        elif not allowed:
            assert isinstance(result, Conflict) and result.code == "transition_refused", result
        else:
            assert not isinstance(result, DomainError), result
            assert result.status == "cancelled" and result.cancel_reason == reason

    @precondition(lambda self: self.orders)
    @rule(i=pick, how=st.sampled_from(["full", "half", "third", "over", "zero", "tiny"]))
    def mark_paid(self, i: int, how: str) -> None:
        seller, order = self._order(i)
        outstanding = order.total - order.paid_amount
        amount = {
            "full": None,
            "half": outstanding / 2,
            "third": outstanding / 3,
            "over": outstanding + Decimal("1"),
            "zero": Decimal("0"),
            "tiny": Decimal("0.0001"),
        }[how]
        paid_before, was_final = order.paid_amount, order.status in FINAL
        result = self._call(
            order,
            services.order_mark_paid,
            seller_id=seller.pk,
            number=order.number,
            actor=actor(seller),
            amount=amount,
        )
        pay = outstanding if amount is None else quantize(amount, order.currency)
        if was_final:
            assert isinstance(result, Conflict) and result.code == "order_final", result
        elif outstanding <= 0:
            assert isinstance(result, Conflict) and result.code == "already_paid", result
        elif pay <= 0:
            assert isinstance(result, InvalidInput), result
        elif pay > outstanding:
            assert isinstance(result, Conflict) and result.code == "overpayment", result
        else:
            assert not isinstance(result, DomainError), result
            assert result.paid_amount == paid_before + pay

    @rule(s=st.integers(0, 1), sku=st.sampled_from(SKUS), stock=st.integers(0, 15))
    def set_stock(self, s: int, sku: str, stock: int) -> None:
        seller = self.sellers[s]
        product = Product.objects.get(seller=seller, sku=sku)
        events_before = OrderEvent.objects.count()
        try:
            product_set_stock(seller_id=seller.pk, sku=sku, actor=actor(seller, "owner"), stock=stock)
        except Conflict as err:
            assert err.code == "stock_below_reserved" and stock < product.reserved
        else:
            assert stock >= product.reserved
            self.on_hand[product.pk] = stock
        assert OrderEvent.objects.count() == events_before

    @precondition(lambda self: self.orders)
    @rule(i=pick, text=st.sampled_from(["", "   ", "call back after 5", "x" * 5001]))
    def note_add(self, i: int, text: str) -> None:
        seller, order = self._order(i)
        result = self._call(
            order, services.note_add, seller_id=seller.pk, number=order.number, actor=actor(seller), text=text
        )
        if text.strip() and len(text) <= 5000:
            assert not isinstance(result, DomainError), result
            assert result.text == text.strip()
        else:
            assert isinstance(result, InvalidInput), result

    @precondition(lambda self: self.orders)
    @rule(
        i=pick, who=st.sampled_from(["owner", "manager", "administrator", "viewer", "none", "other_seller"])
    )
    def assign_manager(self, i: int, who: str) -> None:
        seller, order = self._order(i)
        other = self.sellers[1 - self.sellers.index(seller)]
        if who == "none":
            manager_id = None
        elif who == "other_seller":
            manager_id = User.objects.get(seller=other, role="manager").pk
        else:
            manager_id = User.objects.get(seller=seller, role=who).pk
        before = order.manager_id
        events_before = OrderEvent.objects.filter(order=order).count()
        try:
            services.order_assign_manager(
                seller_id=seller.pk, number=order.number, actor=actor(seller), manager_id=manager_id
            )
        except (InvalidInput, NotFound) as refused:
            # a viewer cannot act (422); another seller's user is as unknown as a made-up id (404)
            expected = {"viewer": "manager_cannot_act", "other_seller": "manager_not_found"}
            assert refused.code == expected.get(who)
            assert OrderEvent.objects.filter(order=order).count() == events_before
            return
        assert who not in {"viewer", "other_seller"}
        order.refresh_from_db()
        assert order.manager_id == manager_id
        # assigning whoever is already assigned changes nothing and records nothing
        self.events[order.pk] += before != manager_id

    @precondition(lambda self: self.orders)
    @rule(i=pick, action=st.sampled_from(["confirm", "cancel", "mark_paid", "note_add"]))
    def intruders(self, i: int, action: str) -> None:
        """A viewer of the seller is refused (403); the other seller does not see the order (404)."""
        seller, order = self._order(i)
        other = self.sellers[1 - self.sellers.index(seller)]
        calls = {
            "confirm": (services.order_confirm, {}),
            "cancel": (services.order_cancel, {"reason": "customer_request"}),
            "mark_paid": (services.order_mark_paid, {}),
            "note_add": (services.note_add, {"text": "hello"}),
        }
        fn, extra = calls[action]
        viewer = self._call(
            order, fn, seller_id=seller.pk, number=order.number, actor=actor(seller, "viewer"), **extra
        )
        assert isinstance(viewer, Forbidden), viewer
        stranger = self._call(order, fn, seller_id=other.pk, number=order.number, actor=actor(other), **extra)
        assert isinstance(stranger, NotFound), stranger

    # --- shipping (R-FUL-1, R-FUL-6, R-FUL-10) -------------------------------------

    def _shipping_call(self, order: Order, fn: Any, **kw: Any) -> Any:
        """A shipping writer: one event of its own per shipment it changes, one per status the
        order passes (shipped, delivered); refusals write nothing."""
        before = OrderEvent.objects.filter(order=order).count()
        status_before, stock_before = order.status, order.stock_state
        try:
            result = fn(**kw)
        except DomainError as err:
            assert OrderEvent.objects.filter(order=order).count() == before, f"{err.code} wrote an event"
            return err
        order.refresh_from_db()
        path = ["confirmed", "shipped", "delivered"]
        at = {"processing": 0, "confirmed": 0, "shipped": 1, "delivered": 2}
        steps = at.get(order.status, 0) - at.get(status_before, 0) if status_before in at else 0
        written = OrderEvent.objects.filter(order=order).count() - before
        assert written >= 1 + steps, f"{fn.__name__}: {written} events for {status_before} → {order.status}"
        assert list(
            OrderEvent.objects.filter(order=order).order_by("-id").values_list("type", flat=True)[:written]
        ).count("order_shipped") == (
            status_before in ("confirmed", "processing") and order.status in path[1:]
        )
        self.events[order.pk] += written
        event(f"{fn.__name__}: {status_before} -> {order.status}")
        if stock_before == "reserved" and order.stock_state == "deducted":
            for pk, qty in self._live_per_product(order).items():
                self.on_hand[pk] -= qty
        return result

    @precondition(lambda self: self.orders)
    @rule(i=pick, how=st.sampled_from(["all", "one", "pickup"]), role=st.sampled_from(["manager", "viewer"]))
    def ship(self, i: int, how: str, role: str) -> None:
        seller, order = self._order(i)
        first = order.lines.first()
        assert first is not None
        data = shipping.ManualFulfillment(
            lines=None if how == "all" else {first.pk: 1},
            shipping_point="pickup" if how == "pickup" else "local",
        )
        result = self._shipping_call(
            order,
            shipping.fulfill_manual,
            seller_id=seller.pk,
            number=order.number,
            actor=actor(seller, role),
            data=data,
        )
        if role == "viewer":
            assert isinstance(result, Forbidden), result

    @precondition(lambda self: self.orders)
    @rule(i=pick, n=st.integers(1, 3), step=st.sampled_from(["deliver", "void", "in_transit"]))
    def shipment_step(self, i: int, n: int, step: str) -> None:
        seller, order = self._order(i)
        kw: dict[str, Any] = {
            "seller_id": seller.pk,
            "number": order.number,
            "shipment_no": n,
            "actor": actor(seller),
        }
        if step == "deliver":
            self._shipping_call(order, shipping.shipment_deliver, **kw)
        elif step == "void":
            self._shipping_call(order, shipping.shipment_void, **kw)
        else:
            self._shipping_call(
                order, shipping.shipment_edit, data=shipping.ShipmentEdit(status="in_transit"), **kw
            )

    @precondition(lambda self: self.orders)
    @rule(i=pick, qty=st.integers(1, 3), restock=st.booleans())
    def give_back(self, i: int, qty: int, restock: bool) -> None:
        seller, order = self._order(i)
        first = order.lines.first()
        assert first is not None
        result = self._shipping_call(
            order,
            shipping.order_return,
            seller_id=seller.pk,
            number=order.number,
            actor=actor(seller),
            quantities={first.pk: qty},
            restock=restock,
        )
        if not isinstance(result, DomainError) and restock:
            self.on_hand[first.product_id] += qty

    # --- invariants --------------------------------------------------------------

    @invariant()
    def everything_adds_up(self) -> None:
        orders = check_all(s.pk for s in self.sellers)
        counts = Counter(OrderEvent.objects.filter(order__in=orders).values_list("order_id", flat=True))
        for order in orders:
            before = self.status[order.pk]
            assert RANK[Status(order.status)] >= RANK[Status(before)], f"{before} → {order.status}"
            if before in FINAL:
                assert order.status == before, f"final {before} became {order.status}"
            self.status[order.pk] = order.status
            assert counts[order.pk] == self.events[order.pk], (
                f"order {order.number}: {counts[order.pk]} events, {self.events[order.pk]} calls succeeded"
            )
        for product in Product.objects.filter(seller__in=self.sellers):
            assert product.stock == self.on_hand[product.pk], f"{product.sku}: stock moved on its own"


EXAMPLES = int(os.environ.get("SELLERDESK_PROP_EXAMPLES", "20"))
STEPS = int(os.environ.get("SELLERDESK_PROP_STEPS", "25"))


def test_order_services_keep_every_invariant(make_seller: Any) -> None:
    """docs/requirements.md#order-states + R-INV-1/2 + R-PAY-9 + R-AUD-1 over random call sequences (both databases)."""
    north = make_seller("north")
    south = make_seller("south", next_order_number=5001)  # numbers never collide across sellers
    OrderDesk.sellers = [north, south]
    run_state_machine_as_test(
        OrderDesk,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


pytestmark = pytest.mark.django_db
