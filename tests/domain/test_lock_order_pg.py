"""Lock discipline (docs/requirements.md#architecture-rules): every write path locks before it writes, in one global order.

The SQL of each writer is captured on PostgreSQL and read statement by statement:
- an order writer's first statement touching orders_order is `SELECT … FOR UPDATE` of that one row
  (by seller and number), and nothing is written before it;
- product rows are updated only after a `SELECT … FOR UPDATE` of them ordered by ascending id, taken
  after the order lock (order row first, then stock rows by id), covering every row it updates.
A new order writer, in sellerdesk.orders.services or in another app's services (payments), must be
added here (a test says so).
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sellerdesk.accounts.models import Seller, User
from sellerdesk.catalog.services import product_set_stock
from sellerdesk.conversations import services as conversations
from sellerdesk.conversations.models import Thread
from sellerdesk.orders import services
from sellerdesk.orders.models import Order
from sellerdesk.payments import services as payment_services
from tests.conftest import actor, place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ORDER_ROW = re.compile(r'"orders_order"(?=[\s.,)])')
WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)', re.IGNORECASE)
PRODUCT_LOCK = re.compile(
    r'^\s*SELECT\b.*\bFROM "catalog_product".*\bFOR UPDATE\b', re.IGNORECASE | re.DOTALL
)
ASCENDING = 'ORDER BY "catalog_product"."id" ASC'
IDS = re.compile(r'"catalog_product"\."id" IN \(([\d, ]+)\)')


def ids_in(sql: str) -> set[int]:
    found = IDS.search(sql)
    return {int(x) for x in found.group(1).split(",")} if found else set()


def capture(call: Callable[[], Any]) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))
    ]


def assert_products_locked_in_id_order(sql: list[str], after: int) -> int:
    """Every UPDATE of catalog_product follows an ascending FOR UPDATE of the rows it updates."""
    locked: set[int] = set()
    any_lock = False
    updates = 0
    for i, stmt in enumerate(sql):
        if PRODUCT_LOCK.match(stmt):
            assert i > after, f"product rows locked before the order row:\n{stmt}"
            assert ASCENDING in stmt, f"product rows not locked in ascending id order:\n{stmt}"
            locked |= ids_in(stmt)
            any_lock = True
        written = WRITE.match(stmt)
        if written and written.group(1) == "catalog_product":
            updates += 1
            assert any_lock, f"product rows updated without a FOR UPDATE lock first:\n{stmt}"
            if locked:  # locked by id: the update touches no other row
                assert ids_in(stmt) <= locked, f"updated rows {ids_in(stmt)} were not locked ({locked})"
    return updates


def assert_order_writer_discipline(sql: list[str], order: Order) -> int:
    first = next((i for i, stmt in enumerate(sql) if ORDER_ROW.search(stmt)), None)
    assert first is not None, "the writer never read the order"
    lock = sql[first]
    assert lock.lstrip().upper().startswith("SELECT") and lock.rstrip().upper().endswith("FOR UPDATE"), (
        f"first statement on orders_order is not SELECT … FOR UPDATE:\n{lock}"
    )
    assert f'"orders_order"."seller_id" = {order.seller_id}' in lock
    assert f'"orders_order"."number" = {order.number}' in lock
    early = [stmt for stmt in sql[:first] if WRITE.match(stmt)]
    assert early == [], f"wrote before locking the order: {early}"
    return assert_products_locked_in_id_order(sql, after=first)


# --- the writers, each with what it needs to succeed -------------------------------


def _placed(seller: Seller, **kw: Any) -> Order:
    # EBOOK-01 was created after MUG-01: naming it first checks the lock sorts by id, not by line
    kw.setdefault(
        "lines", [services.LineIn(sku="EBOOK-01", quantity=1), services.LineIn(sku="MUG-01", quantity=2)]
    )
    return place(seller, **kw)


def _confirmed(seller: Seller, **kw: Any) -> Order:
    order = _placed(seller, **kw)
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    return order


def _processing(seller: Seller) -> Order:
    order = _confirmed(seller)
    services.order_process(seller_id=seller.pk, number=order.number, actor=actor(seller))
    return order


def _delivered(seller: Seller) -> Order:
    order = _confirmed(seller, shipping_method="digital", payment_method="cash_on_delivery")
    services.order_deliver(seller_id=seller.pk, number=order.number, actor=actor(seller))
    return order


def _with_note(seller: Seller, **kw: Any) -> tuple[Order, int]:
    order = _placed(seller)
    note = services.note_add(seller_id=seller.pk, number=order.number, actor=actor(seller), text="hi", **kw)
    return order, note.pk


def _reminder_done(seller: Seller) -> tuple[Order, Callable[[], Any]]:
    order, note_id = _with_note(seller, remind_at=timezone.now())
    return order, lambda: services.note_reminder_done(
        seller_id=seller.pk, number=order.number, actor=actor(seller), note_id=note_id
    )


def _other_customer(seller: Seller) -> int:
    return place(seller, email="boris@example.com", name="Boris").customer_id


Setup = Callable[[Seller], tuple[Order, Callable[[], Any]]]


def _simple(make: Callable[[Seller], Order], fn: Callable[..., Any], **extra: Any) -> Setup:
    def setup(seller: Seller) -> tuple[Order, Callable[[], Any]]:
        order = make(seller)
        return order, lambda: fn(seller_id=seller.pk, number=order.number, actor=actor(seller), **extra)

    return setup


def _note_call(fn: Callable[..., Any], **extra: Any) -> Setup:
    def setup(seller: Seller) -> tuple[Order, Callable[[], Any]]:
        order, note_id = _with_note(seller)
        return order, lambda: fn(
            seller_id=seller.pk, number=order.number, actor=actor(seller), note_id=note_id, **extra
        )

    return setup


def _assign(seller: Seller) -> tuple[Order, Callable[[], Any]]:
    order = _placed(seller)
    manager = User.objects.get(seller=seller, role="administrator")
    return order, lambda: services.order_assign_manager(
        seller_id=seller.pk, number=order.number, actor=actor(seller), manager_id=manager.pk
    )


def _change_customer(seller: Seller) -> tuple[Order, Callable[[], Any]]:
    customer_id = _other_customer(seller)
    order = _placed(seller)
    return order, lambda: services.order_change_customer(
        seller_id=seller.pk, number=order.number, actor=actor(seller), customer_id=customer_id
    )


def _by_token(make: Callable[[Seller], Order], fn: Callable[..., Any], **extra: Any) -> Setup:
    """A customer's writer of conversations (by the thread's token), on an order with a thread."""

    def setup(seller: Seller) -> tuple[Order, Callable[[], Any]]:
        order = make(seller)
        conversations.message_send(
            seller_id=seller.pk, number=order.number, actor=actor(seller), text="hello", files=[]
        )
        token = Thread.objects.get(order=order).token
        return order, lambda: fn(token=token, **extra)

    return setup


# name -> (setup, does it move stock)
WRITERS: dict[str, tuple[Setup, bool]] = {
    "order_confirm": (_simple(_placed, services.order_confirm), False),
    "order_process": (_simple(_confirmed, services.order_process), True),
    "order_cancel": (_simple(_placed, services.order_cancel, reason="customer_request"), True),
    "order_cancel (processing)": (
        _simple(_processing, services.order_cancel, reason="out_of_stock"),
        True,
    ),
    "order_deliver": (
        _simple(
            lambda s: _confirmed(s, shipping_method="digital", payment_method="cash_on_delivery"),
            services.order_deliver,
        ),
        True,
    ),
    "order_close": (_simple(_delivered, services.order_close), False),
    "order_mark_paid": (_simple(_placed, services.order_mark_paid), False),
    "order_agree_delay": (
        _simple(_confirmed, services.order_agree_delay, until=dt.date(2099, 1, 1), note="after the fair"),
        False,
    ),
    "order_assign_manager": (_assign, False),
    "order_change_customer": (_change_customer, False),
    "note_add": (_simple(_placed, services.note_add, text="call back"), False),
    "note_edit": (_note_call(services.note_edit, text="edited"), False),
    "note_delete": (_note_call(services.note_delete), False),
    "note_reminder_done": (_reminder_done, False),
    # Conversations (R-NOTE-4..6): writers of another app that lock the order row first too.
    "message_send": (_simple(_placed, conversations.message_send, text="hi", files=[]), False),
    "customer_reply": (_by_token(_placed, conversations.customer_reply, text="hi", files=[]), False),
    "feedback_remind": (_simple(_delivered, conversations.feedback_remind), False),
    "feedback_leave": (_by_token(_delivered, conversations.feedback_leave, rating=5, review=""), False),
    "complaint_file": (_simple(_placed, conversations.complaint_file, kind="other", comment="x"), False),
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_order_writer_locks_the_order_row_first(name: str, seller: Seller) -> None:
    setup, moves_stock = WRITERS[name]
    order, call = setup(seller)
    sql = capture(call)
    updates = assert_order_writer_discipline(sql, order)
    assert (updates > 0) == moves_stock, f"{name}: {updates} product updates"


def test_every_exported_writer_is_covered() -> None:
    """A writer added to sellerdesk.orders.services (or payments.services) must be added to WRITERS."""
    exported = {
        name
        for name in services.__all__
        if inspect.isfunction(getattr(services, name)) and name != "order_place"
    } | {
        name
        for name, value in vars(payment_services).items()
        if inspect.isfunction(value) and value.__module__ == payment_services.__name__
    }
    assert "order_mark_paid" in exported  # the walk reaches the writers that moved to payments
    covered = {name.split(" ")[0] for name in WRITERS} | {"order_confirm_many"}  # tested below
    assert exported <= covered, f"writers without a lock test: {sorted(exported - covered)}"


def test_bulk_confirm_locks_its_orders_in_id_order_before_it_writes(seller: Seller) -> None:
    """R-LIST-6: one FOR UPDATE of the chunk, ascending ids (two bulk runs cannot deadlock)."""
    orders = [_placed(seller) for _ in range(3)]
    numbers = [o.number for o in reversed(orders)]  # asked newest first; locked by id anyway
    sql = capture(
        lambda: services.order_confirm_many(seller_id=seller.pk, numbers=numbers, actor=actor(seller))
    )
    first = next(i for i, stmt in enumerate(sql) if ORDER_ROW.search(stmt))
    lock = sql[first]
    assert lock.lstrip().upper().startswith("SELECT") and lock.rstrip().upper().endswith("FOR UPDATE"), lock
    assert 'ORDER BY "orders_order"."id" ASC' in lock, lock
    assert all(str(n) in lock for n in numbers)
    assert [stmt for stmt in sql[:first] if WRITE.match(stmt)] == []
    written = [WRITE.match(stmt).group(1) for stmt in sql if WRITE.match(stmt)]  # type: ignore[union-attr]
    # one UPDATE of the orders, one INSERT each of their events, outbox rows, and the jobs of the
    # handlers of order_confirmed (the customer's notification, webhooks) with their task rows
    assert sorted(written) == [
        "django_tasks_database_dbtaskresult",
        "orders_order",
        "orders_orderevent",
        "outbox_outboxevent",
        "outbox_outboxjob",
    ], written
    assert all(o.status == "confirmed" for o in Order.objects.filter(pk__in=[o.pk for o in orders]))


def test_placement_locks_stock_rows_in_id_order_before_it_writes(seller: Seller) -> None:
    sql = capture(lambda: _placed(seller))
    first_lock = next(i for i, stmt in enumerate(sql) if PRODUCT_LOCK.match(stmt))
    early = [stmt for stmt in sql[:first_lock] if WRITE.match(stmt)]
    assert early == [], f"placement wrote before locking the stock rows: {early}"
    assert assert_products_locked_in_id_order(sql, after=-1) == 1
    order_insert = next(i for i, stmt in enumerate(sql) if re.match(r'\s*INSERT INTO "orders_order"', stmt))
    number = next(i for i, stmt in enumerate(sql) if re.match(r'\s*UPDATE "?accounts_seller\b', stmt))
    assert first_lock < number < order_insert  # stock rows, then the seller's number counter


def test_set_stock_locks_the_product_row_before_updating(seller: Seller) -> None:
    sql = capture(
        lambda: product_set_stock(seller_id=seller.pk, sku="MUG-01", actor=actor(seller, "owner"), stock=7)
    )
    lock = next(i for i, stmt in enumerate(sql) if PRODUCT_LOCK.match(stmt))
    update = next(i for i, stmt in enumerate(sql) if WRITE.match(stmt))
    assert lock < update and WRITE.match(sql[update]).group(1) == "catalog_product"  # type: ignore[union-attr]
