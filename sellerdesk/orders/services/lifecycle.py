"""The lifecycle writer (SPEC §2.1). `_apply` is the only code that assigns `Order.status`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Seller
from sellerdesk.catalog.models import Product
from sellerdesk.core.errors import Conflict, DomainError, InvalidInput, NotFound
from sellerdesk.core.events import Change

from .. import deadlines
from ..events import STATUS_EVENTS, StatusChanged, record_event, record_events
from ..models import Order
from ..states import (
    CANCEL_REASONS,
    Action,
    OrderFacts,
    PaymentStatus,
    Status,
    TransitionRefused,
    transition,
)
from ._common import lock_order, refresh_fulfillment_status


def facts_of(order: Order) -> OrderFacts:
    return OrderFacts(
        status=Status(order.status),
        shipping_method=order.shipping_method,
        payment_method=order.payment_method,
        payment_status=PaymentStatus(order.payment_status),
    )


def _move_stock(order: Order, *, to: str) -> None:
    """reserved → deducted (processing) or → released (cancel). Stock rows locked in id order."""
    if order.stock_state == to or order.stock_state == "released":
        return
    per_product: dict[int, int] = defaultdict(int)
    for line in order.lines.all():
        per_product[line.product_id] += line.quantity - line.quantity_cancelled
    products = list(Product.objects.select_for_update().filter(id__in=list(per_product)).order_by("id"))
    for product in products:
        qty = per_product[product.pk]
        if order.stock_state == "reserved":
            product.reserved -= qty
            if to == "deducted":
                product.stock -= qty
        elif order.stock_state == "deducted" and to == "released":
            product.stock += qty
    Product.objects.bulk_update(products, ["stock", "reserved"])
    order.stock_state = to


LIFECYCLE_FIELDS = [
    "status",
    "stock_state",
    "fulfillment_status",
    "confirmed_at",
    "ship_by",
    "processing_at",
    "shipped_at",
    "delivered_at",
    "closed_at",
    "cancelled_at",
    "cancel_reason",
    "cancel_comment",
    "updated_at",
]


def _transit(order: Order, action: Action, seller: Seller, **data: Any) -> StatusChanged:
    """Check the table and the guard and change the order in memory (stock rows are written).

    Returns the one event of the change; the caller saves the order and records the event.
    """
    before = Status(order.status)
    try:
        target = transition(facts_of(order), action)
    except TransitionRefused as refused:
        raise Conflict(
            "transition_refused", refused.reason, current_status=before.value, action=action.value
        ) from None
    now = timezone.now()
    order.status = target.value
    order.updated_at = now
    if target == Status.CONFIRMED:
        order.confirmed_at = now
        order.ship_by = deadlines.ship_by(
            now,
            business_days=seller.ship_within_business_days,
            country=seller.country,
            time_zone=seller.time_zone,
        )
        data["ship_by"] = order.ship_by.isoformat()
    elif target == Status.PROCESSING:
        order.processing_at = now
        _move_stock(order, to="deducted")
    elif target == Status.SHIPPED:
        order.shipped_at = now
        _move_stock(order, to="deducted")  # shipped straight from confirmed: the units leave now
    elif target == Status.DELIVERED:
        order.delivered_at = now
        _move_stock(order, to="deducted")  # digital/pickup delivered from confirmed (R-FUL-9)
        if order.shipping_method in ("digital", "pickup"):
            lines = list(order.lines.all())
            for line in lines:
                line.quantity_fulfilled = line.quantity - line.quantity_cancelled
            type(lines[0]).objects.bulk_update(lines, ["quantity_fulfilled"])
    elif target == Status.CLOSED:
        order.closed_at = now
    elif target == Status.CANCELLED:
        order.cancelled_at = now
        _move_stock(order, to="released")
    f_before, f_after = refresh_fulfillment_status(order)
    if f_before != f_after:
        data["fulfillment_status"] = Change(f_before, f_after)
    return STATUS_EVENTS[target](status=Change(before.value, target.value), **data)


def _apply(order: Order, action: Action, actor: Actor, **data: Any) -> Order:
    """`_transit`, then write the order and its event. Caller holds the lock."""
    event = _transit(order, action, order.seller, **data)
    order.save(update_fields=LIFECYCLE_FIELDS)
    record_event(actor, order, event)
    return order


def _act(*, seller_id: int, number: int | str, actor: Actor, action: Action, **data: Any) -> Order:
    actor.require("order.act")
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        return _apply(order, action, actor, **data)


def order_confirm(*, seller_id: int, number: int | str, actor: Actor) -> Order:
    return _act(seller_id=seller_id, number=number, actor=actor, action=Action.CONFIRM)


def order_process(*, seller_id: int, number: int | str, actor: Actor) -> Order:
    return _act(seller_id=seller_id, number=number, actor=actor, action=Action.PROCESS)


def order_deliver(*, seller_id: int, number: int | str, actor: Actor) -> Order:
    """Staff mark a digital or pickup order delivered (R-FUL-9)."""
    return _act(seller_id=seller_id, number=number, actor=actor, action=Action.DELIVER)


def order_close(*, seller_id: int, number: int | str, actor: Actor) -> Order:
    return _act(seller_id=seller_id, number=number, actor=actor, action=Action.CLOSE)


def order_cancel(*, seller_id: int, number: int | str, actor: Actor, reason: str, comment: str = "") -> Order:
    """Cancel with a reason from the list (R-PROC-3); releases stock (R-INV-2)."""
    if reason not in CANCEL_REASONS:
        raise InvalidInput(
            "invalid_cancel_reason",
            f"Reason must be one of: {', '.join(CANCEL_REASONS)}.",
            field="reason",
        )
    if reason == "other" and not comment.strip():
        raise InvalidInput(
            "comment_required",
            "Say why in the comment when the reason is 'other'.",
            field="comment",
        )
    actor.require("order.act")
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        order.cancel_reason = reason
        order.cancel_comment = comment.strip()
        return _apply(order, Action.CANCEL, actor, reason=reason, comment=comment.strip())


def ensure_open(order: Order) -> None:
    if order.status in (Status.CLOSED, Status.CANCELLED):
        raise Conflict(
            "order_final",
            f"The order is {order.status}; it can no longer change.",
            current_status=order.status,
        )


BULK_CHUNK = 500


def order_confirm_many(*, seller_id: int, numbers: list[int], actor: Actor) -> dict[int, DomainError | None]:
    """Confirm many orders set-wise (R-LIST-6): per order None when confirmed, else why not.

    One transaction per chunk of 500: the chunk's order rows are locked in id order, checked
    against the table one by one, and the confirmed ones written with one UPDATE statement per
    chunk and one INSERT of their timeline events. A refused order is reported and does not
    stop the others.
    """
    actor.require("order.act")
    seller = Seller.objects.get(pk=seller_id)
    outcome: dict[int, DomainError | None] = {}
    wanted = list(dict.fromkeys(numbers))
    for start in range(0, len(wanted), BULK_CHUNK):
        chunk = wanted[start : start + BULK_CHUNK]
        with transaction.atomic():
            orders = {
                o.number: o
                for o in Order.objects.select_for_update()
                .filter(seller_id=seller_id, number__in=chunk)
                .prefetch_related("lines")
                .order_by("id")
            }
            changed: list[Order] = []
            events: list[tuple[Order, StatusChanged]] = []
            for number in chunk:
                order = orders.get(number)
                if order is None:
                    outcome[number] = NotFound("order_not_found", f"There is no order {number}.")
                    continue
                try:
                    events.append((order, _transit(order, Action.CONFIRM, seller)))
                except DomainError as refused:
                    outcome[number] = refused
                    continue
                changed.append(order)
                outcome[number] = None
            if changed:
                Order.objects.bulk_update(changed, LIFECYCLE_FIELDS, batch_size=BULK_CHUNK)
                record_events(actor, events)
    return outcome
