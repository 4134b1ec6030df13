"""The lifecycle writer: `_transit` is the only code that assigns `Order.status` (table: states.py).

What entering a status does besides (timestamps, deadlines, stock moves, fulfilment) is data:
`ON_ENTER` maps each target status to its effects, run in order by `_transit`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Seller
from sellerdesk.catalog.services import stock_deduct, stock_release
from sellerdesk.core.errors import Conflict, DomainError, InvalidInput, NotFound
from sellerdesk.core.events import Change, Event

from .. import deadlines
from ..events import STATUS_EVENTS, record_events
from ..locking import lock_order
from ..methods import is_hand_delivered
from ..models import Order, OrderLine
from ..states import (
    CANCEL_REASONS,
    Action,
    OrderFacts,
    PaymentStatus,
    Status,
    TransitionRefused,
    transition,
)
from ._common import refresh_fulfillment_status


def facts_of(order: Order, seller: Seller | None = None) -> OrderFacts:
    status = Status(order.status)
    return OrderFacts(
        status=status,
        shipping_method=order.shipping_method,
        payment_method=order.payment_method,
        payment_status=PaymentStatus(order.payment_status),
        ship_unpaid_allowed=(seller or order.seller).ship_unpaid_allowed,
        tracked_by=_tracked_by(order) if status == Status.SHIPPED else "",
        in_shipments=status in (Status.CONFIRMED, Status.PROCESSING)
        and any(line.quantity_fulfilled for line in order.lines.all()),
    )


def _tracked_by(order: Order) -> str:
    """The carrier that still tracks one of the order's shipments, or ""."""
    from sellerdesk.shipping.selectors import tracking_carrier  # shipping builds on this module

    return tracking_carrier(order)


def _quantities(order: Order) -> dict[int, int]:
    """The units the order still holds, per product id."""
    per_product: dict[int, int] = defaultdict(int)
    for line in order.lines.all():
        per_product[line.product_id] += line.quantity - line.quantity_cancelled
    return per_product


# --- the side effects of entering a status (run by `_transit`, looked up in ON_ENTER) ---------
@dataclass
class Entering:
    """What an effect gets: the order entering `status`, its seller, the moment, the status event's
    extra fields (`data`, for the effect to add to) and `more`, further events the effect adds
    (recorded after the status event, in the same transaction)."""

    order: Order
    seller: Seller
    now: dt.datetime
    data: dict[str, Any]
    more: list[Event] = field(default_factory=list)


# Each effect changes the order in memory (and may write the rows it owns, e.g. stock).
Effect = Callable[[Entering], None]


def _stamp(field_name: str) -> Effect:
    """Set the order's timestamp `field` to the moment of the change."""

    def stamp(e: Entering) -> None:
        setattr(e.order, field_name, e.now)

    stamp.__name__ = f"stamp_{field_name}"
    return stamp


def _start_ship_by(e: Entering) -> None:
    """The ship-by deadline starts on confirmation, in the seller's business days (R-SLA-2)."""
    e.order.ship_by = deadlines.ship_by(
        e.now,
        business_days=e.seller.ship_within_business_days,
        country=e.seller.country,
        time_zone=e.seller.time_zone,
    )
    e.data["ship_by"] = e.order.ship_by.isoformat()


def _deduct_stock(e: Entering) -> None:
    """The reserved units leave stock (processing; or shipped/delivered straight from confirmed)."""
    e.order.stock_state = stock_deduct(current=e.order.stock_state, quantities=_quantities(e.order))


def _release_stock(e: Entering) -> None:
    """Cancel gives back what the order holds: its reservation, or its units (R-INV-2)."""
    e.order.stock_state = stock_release(current=e.order.stock_state, quantities=_quantities(e.order))


def _charge_commission(e: Entering) -> None:
    """Closing charges the marketplace commission and makes the seller's amount final (R-PAY-8).

    An effect of entering `closed`, not an outbox handler: it runs in the closing transaction, under
    the order's lock, so the commission commits or rolls back with the status change; `closed` is
    final and entered once, and the ledger marks the commission charged, so it is charged exactly once.
    """
    from sellerdesk.earnings.ledger import charge_on_close

    e.data.update(charge_on_close(e.order))


def _fulfil_by_hand(e: Entering) -> None:
    """Digital and pickup orders are fulfilled when staff mark them delivered (R-FUL-9)."""
    if not is_hand_delivered(e.order.shipping_method):
        return
    lines = list(e.order.lines.all())
    for line in lines:
        line.quantity_fulfilled = line.quantity - line.quantity_cancelled
    OrderLine.objects.bulk_update(lines, ["quantity_fulfilled"])


ON_ENTER: dict[Status, tuple[Effect, ...]] = {
    Status.PENDING: (),
    Status.CONFIRMED: (_stamp("confirmed_at"), _start_ship_by),
    Status.PROCESSING: (_stamp("processing_at"), _deduct_stock),
    Status.SHIPPED: (_stamp("shipped_at"), _deduct_stock),
    Status.DELIVERED: (_stamp("delivered_at"), _deduct_stock, _fulfil_by_hand),
    Status.CLOSED: (_stamp("closed_at"), _charge_commission),
    Status.CANCELLED: (_stamp("cancelled_at"), _release_stock),
}


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


def _transit(order: Order, action: Action, seller: Seller, **data: Any) -> list[Event]:
    """Check the table and the guard and change the order in memory (stock rows are written).

    Returns the events of the change, the status event first; the caller saves the order and
    records them.
    """
    before = Status(order.status)
    try:
        target = transition(facts_of(order, seller), action)
    except TransitionRefused as refused:
        raise Conflict(
            "transition_refused", refused.reason, current_status=before.value, action=action.value
        ) from None
    now = timezone.now()
    order.status = target.value
    order.updated_at = now
    entering = Entering(order=order, seller=seller, now=now, data=data)
    for effect in ON_ENTER[target]:
        effect(entering)
    f_before, f_after = refresh_fulfillment_status(order)
    if f_before != f_after:
        data["fulfillment_status"] = Change(f_before, f_after)
    return [STATUS_EVENTS[target](status=Change(before.value, target.value), **data), *entering.more]


def _apply(order: Order, action: Action, actor: Actor, **data: Any) -> Order:
    """`_transit`, then write the order and record its events. Caller holds the lock."""
    events = _transit(order, action, order.seller, **data)
    order.save(update_fields=LIFECYCLE_FIELDS)
    record_events(actor, [(order, event) for event in events])
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
    """Staff mark an order delivered: a digital or pickup order (R-FUL-9), or a shipped order
    whose open shipments are manual ones (each becomes delivered; the order follows). Refused
    (409) while a carrier still tracks one of its parcels."""
    actor.require("order.act")
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        if order.status != Status.SHIPPED:
            return _apply(order, Action.DELIVER, actor)
        from sellerdesk.shipping.services import deliver_open_shipments  # shipping builds on this module

        transition(facts_of(order), Action.DELIVER)  # the table's refusal first (a carrier still tracks it)
        events = deliver_open_shipments(order, actor)
        order.save(update_fields=LIFECYCLE_FIELDS)
        record_events(actor, [(order, event) for event in events])
        return order


def order_close(*, seller_id: int, number: int | str, actor: Actor) -> Order:
    return _act(seller_id=seller_id, number=number, actor=actor, action=Action.CLOSE)


def order_cancel(*, seller_id: int, number: int | str, actor: Actor, reason: str, comment: str = "") -> Order:
    """Cancel with a reason from the list (R-PROC-3); releases stock (R-INV-2)."""
    actor.require("order.act")  # the role first: a viewer's malformed cancel is a 403
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
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        order.cancel_reason = reason
        order.cancel_comment = comment.strip()
        return _apply(order, Action.CANCEL, actor, reason=reason, comment=comment.strip())


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
            events: list[tuple[Order, Event]] = []
            for number in chunk:
                order = orders.get(number)
                if order is None:
                    outcome[number] = NotFound("order_not_found", f"There is no order {number}.")
                    continue
                try:
                    events.extend((order, event) for event in _transit(order, Action.CONFIRM, seller))
                except DomainError as refused:
                    outcome[number] = refused
                    continue
                changed.append(order)
                outcome[number] = None
            if changed:
                Order.objects.bulk_update(changed, LIFECYCLE_FIELDS, batch_size=BULK_CHUNK)
                record_events(actor, events)
    return outcome
