"""The order invariants (docs/requirements.md#order-states, R-INV-1/2, R-PAY-9), checked against the database.

Each check recomputes from the stored rows what the services keep denormalised (paid and refunded
sums, the derived status axes, product reservations) and raises AssertionError on the first drift.
Used after every step of the stateful test and after the concurrency tests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from sellerdesk.catalog.models import Product
from sellerdesk.earnings.models import EarningsEntry
from sellerdesk.orders.models import Order
from sellerdesk.orders.states import (
    Ledger,
    LineQty,
    ShipmentQty,
    Status,
    derive_fulfillment_status,
    derive_payment_status,
)
from sellerdesk.payments.models import Payment
from sellerdesk.shipping.models import ShipmentLine

ZERO = Decimal("0")

# Where an order's stock is, given its status (R-INV-1, R-INV-2): held while it can still be
# cancelled before processing, gone once processing starts or the order leaves, back when cancelled.
STOCK_STATE = {
    Status.PENDING: "reserved",
    Status.CONFIRMED: "reserved",
    Status.PROCESSING: "deducted",
    Status.SHIPPED: "deducted",
    Status.DELIVERED: "deducted",
    Status.CLOSED: "deducted",
    Status.CANCELLED: "released",
}


def ledger_sums(order_ids: Iterable[int]) -> dict[int, Ledger]:
    """paid / refunded / pending per order, summed here from the payment rows (not by the services)."""
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    refunded: dict[int, Decimal] = defaultdict(lambda: ZERO)
    pending: set[int] = set()
    for p in Payment.objects.filter(order_id__in=list(order_ids)):
        if p.state == "pending":
            pending.add(p.order_id)
        elif p.state == "succeeded" and p.kind in ("capture", "offline"):
            paid[p.order_id] += p.amount
        elif p.state == "succeeded" and p.kind == "refund":
            refunded[p.order_id] += p.amount
    return {
        oid: Ledger(total=ZERO, paid=paid[oid], refunded=refunded[oid], pending=oid in pending)
        for oid in set(paid) | set(refunded) | pending
    }


def check_order(order: Order, ledger: Ledger | None) -> None:
    n = f"order {order.seller_id}/{order.number}"
    lines = list(order.lines.all())
    assert lines, f"{n} has no lines"
    # money (R-PAY-9)
    assert order.subtotal == sum((line.line_total for line in lines), ZERO), f"{n}: subtotal drifts"
    assert order.total == order.subtotal + order.shipping_price - order.discount, f"{n}: total drifts"
    assert order.total >= 0, f"{n}: negative total"
    paid = ledger.paid if ledger else ZERO
    refunded = ledger.refunded if ledger else ZERO
    assert order.paid_amount == paid, f"{n}: paid_amount {order.paid_amount} but the ledger says {paid}"
    assert order.refunded_amount == refunded, f"{n}: refunded_amount drifts from the ledger"
    assert order.paid_amount <= order.total, f"{n}: paid {order.paid_amount} > total {order.total}"
    assert order.refunded_amount <= order.paid_amount, f"{n}: refunded > paid"
    expected_payment = derive_payment_status(
        Ledger(total=order.total, paid=paid, refunded=refunded, pending=bool(ledger and ledger.pending))
    )
    assert order.payment_status == expected_payment.value, (
        f"{n}: payment_status {order.payment_status}, derived {expected_payment.value}"
    )
    # quantities
    for line in lines:
        assert (line.seller_id, line.order_created_at) == (order.seller_id, order.created_at), (
            f"{n}: a line's copy of the seller or creation time drifts"
        )
        assert line.quantity_fulfilled + line.quantity_cancelled <= line.quantity, f"{n}: line over-counted"
        assert line.quantity_returned <= line.quantity_fulfilled, f"{n}: returned > fulfilled"
    # shipments (R-FUL-1, R-FUL-10), summed here from the shipment rows
    in_shipments: dict[int, int] = defaultdict(int)
    delivered: dict[int, int] = defaultdict(int)
    units: dict[int, int] = defaultdict(int)
    status_of: dict[int, tuple[str, str]] = {}
    for sl in ShipmentLine.objects.filter(shipment__order=order).select_related("shipment"):
        sh = sl.shipment
        units[sh.pk] += sl.quantity
        status_of[sh.pk] = (sh.status, sh.shipping_point)
        if sh.status != "canceled":
            in_shipments[sl.line_id] += sl.quantity
        if sh.status == "delivered":
            delivered[sl.line_id] += sl.quantity
    hand = order.shipping_method in ("digital", "pickup")
    if not hand:
        for line in lines:
            assert line.quantity_fulfilled == in_shipments[line.pk], (
                f"{n}: {line.sku} fulfilled {line.quantity_fulfilled}, in live shipments {in_shipments[line.pk]}"
            )
            assert line.quantity_returned <= delivered[line.pk], f"{n}: {line.sku} returned > delivered"
    handed = {"shipped", "in_transit", "out_for_delivery", "delivered", "delivery_failed"}
    shipment_qty = [
        ShipmentQty(
            units=units[pk],
            handed_over=status in handed,
            delivered=status == "delivered",
            voided=status == "canceled",
            picked_up=point == "pickup",
        )
        for pk, (status, point) in status_of.items()
    ]
    expected_fulfillment = derive_fulfillment_status(
        Status(order.status),
        order.shipping_method,
        [LineQty(x.quantity, x.quantity_fulfilled, x.quantity_cancelled, x.quantity_returned) for x in lines],
        shipment_qty,
    )
    assert order.fulfillment_status == expected_fulfillment.value, (
        f"{n}: fulfillment_status {order.fulfillment_status}, derived {expected_fulfillment.value}"
    )
    # the order follows its shipments: shipped once every live unit is handed over
    live = sum(x.quantity - x.quantity_cancelled for x in lines)
    live_shipments = [q for q in shipment_qty if not q.voided]
    if not hand and order.status in ("confirmed", "processing") and live_shipments:
        all_handed = all(q.handed_over for q in live_shipments)
        assert not (sum(in_shipments.values()) >= live > 0 and all_handed), (
            f"{n}: every unit handed over but the order is still {order.status}"
        )
    if order.status == "shipped" and live_shipments:
        assert not all(q.delivered for q in live_shipments), (
            f"{n}: every shipment delivered, order still shipped"
        )
    # stock follows the status
    expected_stock = STOCK_STATE[Status(order.status)]
    assert order.stock_state == expected_stock, (
        f"{n} is {order.status} but its stock is {order.stock_state}, not {expected_stock}"
    )


def check_products(seller_ids: Iterable[int]) -> None:
    """stock ≥ 0, 0 ≤ reserved ≤ stock, reserved == the live quantities of reserving orders."""
    seller_ids = list(seller_ids)
    held: dict[int, int] = defaultdict(int)
    orders = Order.objects.filter(seller_id__in=seller_ids, stock_state="reserved").prefetch_related("lines")
    for order in orders:
        for line in order.lines.all():
            held[line.product_id] += line.quantity - line.quantity_cancelled
    for p in Product.objects.filter(seller_id__in=seller_ids):
        assert p.stock >= 0, f"{p.sku}: stock {p.stock} < 0"
        assert 0 <= p.reserved <= p.stock, f"{p.sku}: reserved {p.reserved}, stock {p.stock}"
        assert p.reserved == held[p.pk], f"{p.sku}: reserved {p.reserved}, but open orders hold {held[p.pk]}"


def check_earnings(orders: Iterable[Order]) -> None:
    """R-PAY-8: per order the earnings rows balance (money in = refunds + commission + seller), follow the
    payment ledger, hold a commission exactly when closed; test orders have none."""
    orders = list(orders)
    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    commission_rows: dict[int, int] = defaultdict(int)
    for e in EarningsEntry.objects.filter(order_id__in=[o.pk for o in orders]):
        sums[e.order_id][e.kind] += e.amount
        commission_rows[e.order_id] += e.kind == "commission"
    for order in orders:
        n = f"order {order.seller_id}/{order.number}"
        got = sums.get(order.pk, {})
        if order.is_test:
            assert not got, f"{n} is a test order but has earnings rows"
            continue
        paid, refunded = got.get("payment", ZERO), got.get("refund", ZERO)
        commission, seller = got.get("commission", ZERO), got.get("seller", ZERO)
        assert paid - refunded - commission - seller == 0, f"{n}: the earnings ledger does not balance"
        assert (paid, refunded) == (order.paid_amount, order.refunded_amount), (
            f"{n}: earnings drift from payments"
        )
        assert commission_rows[order.pk] == (1 if order.status == Status.CLOSED else 0), (
            f"{n}: {commission_rows[order.pk]} commission rows, status {order.status}"
        )
        # charged on close from the money kept then; a later refund is the seller's, never the commission's
        assert 0 <= commission <= paid, f"{n}: commission {commission} out of range"


def check_all(seller_ids: Iterable[int]) -> list[Order]:
    """Every invariant for these sellers' orders and products. Returns the orders it read."""
    seller_ids = list(seller_ids)
    orders = list(Order.objects.filter(seller_id__in=seller_ids).prefetch_related("lines"))
    ledgers = ledger_sums(o.pk for o in orders)
    for order in orders:
        check_order(order, ledgers.get(order.pk))
    check_products(seller_ids)
    check_earnings(orders)
    return orders
