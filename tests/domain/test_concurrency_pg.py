"""Concurrent writers on PostgreSQL (R-INV-1, docs/requirements.md#architecture-rules): no oversell, no deadlock, no overpayment.

Real threads, each with its own database connection, start together at a barrier and call the
services. A refused call (DomainError) is an answer; anything else — a deadlock, a serialization or
integrity error — fails the test. Afterwards every invariant of tests/domain/invariants.py holds.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from sellerdesk.accounts.models import Seller
from sellerdesk.catalog.models import Product
from sellerdesk.catalog.services import product_set_stock
from sellerdesk.core.errors import DomainError
from sellerdesk.orders import services
from sellerdesk.orders.models import Order, OrderEvent
from sellerdesk.payments.models import Payment
from tests.conftest import actor, place

from .invariants import check_all

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(n: int, work: Callable[[int], Any]) -> list[tuple[str, Any]]:
    """Run work(0..n-1) in n threads released at once. Each result: ("ok", value) / ("refused", code)
    / ("error", repr)."""
    barrier = threading.Barrier(n)
    results: list[tuple[str, Any]] = [("error", "did not finish")] * n

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = ("ok", work(i))
        except DomainError as err:
            results[i] = ("refused", err.code)
        except Exception as err:  # a deadlock or any database error: reported, then asserted on
            results[i] = ("error", repr(err))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung (lock wait without end)"
    return results


def errors(results: list[tuple[str, Any]]) -> list[Any]:
    return [value for kind, value in results if kind == "error"]


def test_twenty_buyers_five_units(make_seller: Any) -> None:
    """R-INV-1: 20 simultaneous orders for a SKU with 5 in stock: exactly 5 placed, 15 refused (409)."""
    seller: Seller = make_seller("north")
    product_set_stock(seller_id=seller.pk, sku="MUG-01", actor=actor(seller, "owner"), stock=5)

    results = run_together(
        20, lambda i: place(seller, lines=[services.LineIn(sku="MUG-01", quantity=1)], email=f"c{i}@x.test")
    )

    assert errors(results) == []
    outcome = Counter(kind if kind == "ok" else value for kind, value in results)
    assert outcome == {"ok": 5, "out_of_stock": 15}
    mug = Product.objects.get(seller=seller, sku="MUG-01")
    assert (mug.stock, mug.reserved) == (5, 5)
    numbers = sorted(Order.objects.filter(seller=seller).values_list("number", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + 5))  # no gaps, no duplicates (R-IN-5)
    assert OrderEvent.objects.filter(order__seller=seller).count() == 5
    check_all([seller.pk])


def test_first_orders_of_a_new_customer_at_once_make_one_identity(make_seller: Any) -> None:
    """R-PROC-8: eight simultaneous first orders with one new e-mail: all placed, one customer —
    the losers of the insert race find the winner's row (no IntegrityError, no duplicate)."""
    seller: Seller = make_seller("north")
    from sellerdesk.customers.models import Customer

    for i in range(8):  # one SKU each, so that the product locks do not queue the placements
        Product.objects.create(
            seller=seller, sku=f"GIFT-{i}", name="Gift", price=Decimal("9"), currency="EUR", stock=9
        )
    results = run_together(
        8,
        lambda i: (
            place(
                seller,
                email="New.Buyer@Example.com",
                name=f"Buyer {i}",
                lines=[services.LineIn(sku=f"GIFT-{i}", quantity=1)],
            ).pk
        ),
    )

    assert errors(results) == []
    assert [kind for kind, _ in results] == ["ok"] * 8
    customers = Customer.objects.filter(email="new.buyer@example.com")
    assert customers.count() == 1
    assert set(
        Order.objects.filter(pk__in=[v for _, v in results]).values_list("customer_id", flat=True)
    ) == {customers.get().pk}
    check_all([seller.pk])


SKU_ORDERS = [
    ["MUG-01", "BOWL-01", "EBOOK-01"],
    ["EBOOK-01", "BOWL-01", "MUG-01"],
    ["BOWL-01", "MUG-01"],
    ["EBOOK-01", "MUG-01"],
]


def test_mixed_writers_on_shared_orders_and_skus(make_seller: Any) -> None:
    """Threads confirm, process, cancel, deliver, pay and re-stock the same orders while others place
    orders naming the same SKUs in different orders: no deadlock, and every invariant holds."""
    seller: Seller = make_seller("north")
    pool = []
    for i in range(12):
        skus = SKU_ORDERS[i % len(SKU_ORDERS)]
        order = place(
            seller,
            lines=[services.LineIn(sku=sku, quantity=1 + i % 3) for sku in skus],
            shipping_method=["carrier", "digital", "pickup"][i % 3],
            payment_method=["online", "cash_on_delivery"][i % 2],
        )
        pool.append(order.number)
    who = actor(seller)
    owner = actor(seller, "owner")

    def work(t: int) -> Counter[str]:
        rnd = random.Random(t)
        done: Counter[str] = Counter()
        for _ in range(12):
            number = rnd.choice(pool)
            op = rnd.choice(["confirm", "process", "cancel", "deliver", "pay", "place", "place", "stock"])
            try:
                if op == "confirm":
                    services.order_confirm(seller_id=seller.pk, number=number, actor=who)
                elif op == "process":
                    services.order_process(seller_id=seller.pk, number=number, actor=who)
                elif op == "cancel":
                    services.order_cancel(
                        seller_id=seller.pk, number=number, actor=who, reason="customer_request"
                    )
                elif op == "deliver":
                    services.order_deliver(seller_id=seller.pk, number=number, actor=who)
                elif op == "pay":
                    services.order_mark_paid(seller_id=seller.pk, number=number, actor=who)
                elif op == "place":
                    skus = rnd.choice(SKU_ORDERS)
                    place(seller, lines=[services.LineIn(sku=s, quantity=rnd.randint(1, 3)) for s in skus])
                else:
                    product = Product.objects.get(seller=seller, sku=rnd.choice(SKU_ORDERS[0]))
                    product_set_stock(
                        seller_id=seller.pk, sku=product.sku, actor=owner, stock=product.stock + 1
                    )
                    op = "stock"  # writes no order event
            except DomainError as err:
                done[f"refused:{err.code}"] += 1
            else:
                done[op] += 1
        return done

    results = run_together(8, work)

    assert errors(results) == []
    totals: Counter[str] = Counter()
    for _, done in results:
        totals.update(done)
    # one event per successful order call, none for a refused one
    order_calls = sum(v for k, v in totals.items() if not k.startswith("refused") and k != "stock")
    assert OrderEvent.objects.filter(order__seller=seller).count() == len(pool) + order_calls
    assert Order.objects.filter(seller=seller).count() == len(pool) + totals["place"]
    check_all([seller.pk])


def test_concurrent_payments_never_overpay(make_seller: Any) -> None:
    """R-PAY-3 / R-PAY-9: ten staff record 10.00 on a 29.00 order at once: two succeed, the rest 409."""
    seller: Seller = make_seller("north")
    order = place(seller)  # 2 × 12.50 + 4.00 shipping = 29.00
    assert order.total == Decimal("29.00")
    who = actor(seller)

    results = run_together(
        10,
        lambda i: services.order_mark_paid(
            seller_id=seller.pk, number=order.number, actor=who, amount=Decimal("10.00")
        ),
    )
    assert errors(results) == []
    assert Counter(kind if kind == "ok" else value for kind, value in results) == {"ok": 2, "overpayment": 8}

    # and paying "the rest" at once: exactly one records the outstanding 9.00
    results = run_together(
        10, lambda i: services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=who)
    )
    assert errors(results) == []
    assert Counter(kind if kind == "ok" else value for kind, value in results) == {"ok": 1, "already_paid": 9}
    order.refresh_from_db()
    assert (
        order.paid_amount
        == order.total
        == sum(Payment.objects.filter(order=order).values_list("amount", flat=True))
    )
    assert order.payment_status == "paid"
    assert OrderEvent.objects.filter(order=order, type="payment_recorded").count() == 3
    check_all([seller.pk])
