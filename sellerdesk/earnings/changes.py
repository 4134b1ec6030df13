"""Amount changes of an order (R-PROC-6): direct while pending or confirmed, later a request that the
marketplace operator approves or denies.

The amount is changed through the order's discount, so that lines + shipping − discount = total
still holds (orders/pricing.py); the payment status is re-derived from the ledger and an order that
is now overpaid shows the refund due (payments.ledger.refund_due). The refund itself is the refund
writer's: it reads `refund_due` and records the refund on the payment ledger.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import User
from sellerdesk.core.errors import Conflict, InvalidInput, NotFound
from sellerdesk.core.events import Change
from sellerdesk.core.money import fmt, quantize
from sellerdesk.orders.events import record_event
from sellerdesk.orders.locking import ensure_open, lock_order
from sellerdesk.orders.models import Order
from sellerdesk.orders.pricing import compute_totals
from sellerdesk.orders.states import Status
from sellerdesk.payments.ledger import refresh_payment_status, refund_due

from .events import AmountChangeDecided, AmountChangeRequested, OrderChanged
from .models import AmountChangeRequest, RequestState
from .services import operator_actor, require_operator

# Where staff change the amount themselves; in the other open statuses it becomes a request.
EDITABLE = (Status.PENDING, Status.CONFIRMED)
MAX_REASON = 500


def _clean_amount(order: Order, amount: Decimal | str) -> Decimal:
    try:
        value = quantize(Decimal(str(amount).strip()), order.currency)
    except (InvalidOperation, ValueError):
        raise InvalidInput("invalid_amount", "The amount is a decimal number.", field="total") from None
    ceiling = order.subtotal + order.shipping_price
    if not value.is_finite() or value < 0 or value > ceiling:
        raise InvalidInput(
            "invalid_amount",
            f"The amount is between 0 and the lines plus shipping ({fmt(ceiling, order.currency)}).",
            field="total",
            maximum=fmt(ceiling, order.currency),
        )
    return value


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason_required", "Say why the order changes.", field="reason")
    return reason[:MAX_REASON]


def _set_total(order: Order, total: Decimal) -> tuple[Change, Change, Change | None, str | None]:
    """Change the discount so that the order's total is `total`; re-derive the payment status."""
    before_total, before_discount = order.total, order.discount
    lines = [(line.quantity - line.quantity_cancelled, line.unit_price) for line in order.lines.all()]
    totals = compute_totals(
        lines,
        shipping=order.shipping_price,
        discount=order.subtotal + order.shipping_price - total,
        currency=order.currency,
    )
    order.discount, order.total = totals.discount, totals.total
    p_before, p_after = refresh_payment_status(order)
    order.save()
    due = refund_due(order)
    return (
        Change(fmt(before_total, order.currency), fmt(order.total, order.currency)),
        Change(fmt(before_discount, order.currency), fmt(order.discount, order.currency)),
        Change(p_before, p_after) if p_before != p_after else None,
        fmt(due, order.currency) if due > 0 else None,
    )


def order_change_amount(
    *, seller_id: int, number: int | str, actor: Actor, total: Decimal | str, reason: str
) -> Order | AmountChangeRequest:
    """Change the order's amount (pending, confirmed) or ask the marketplace to (later open statuses)."""
    actor.require("order.act")
    reason = _clean_reason(reason)
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        ensure_open(order)
        value = _clean_amount(order, total)
        if value == order.total:
            raise Conflict("amount_unchanged", "The order already has this amount.")
        if order.status in EDITABLE:
            total_change, discount_change, payment, due = _set_total(order, value)
            record_event(
                actor,
                order,
                OrderChanged(
                    reason=reason,
                    discount=discount_change,
                    total=total_change,
                    currency=order.currency,
                    payment_status=payment,
                    refund_due=due,
                ),
            )
            return order
        try:
            with transaction.atomic():
                request = AmountChangeRequest.objects.create(
                    order=order,
                    seller_id=seller_id,
                    amount_before=order.total,
                    amount_after=value,
                    currency=order.currency,
                    reason=reason,
                    requested_by_label=actor.label,
                )
        except IntegrityError:
            raise Conflict(
                "request_open", "The order has an amount change waiting for the marketplace already."
            ) from None
        record_event(
            actor,
            order,
            AmountChangeRequested(
                request_id=request.pk,
                total=Change(fmt(order.total, order.currency), fmt(value, order.currency)),
                currency=order.currency,
                reason=reason,
            ),
        )
        return request


def request_decide(
    *, operator: User, request_id: int | str, approve: bool, comment: str = ""
) -> AmountChangeRequest:
    """The operator approves (the amount changes now) or denies an open request of their marketplace."""
    market_id = require_operator(operator)
    try:
        pk = int(request_id)
    except (TypeError, ValueError):
        pk = 0
    with transaction.atomic():
        found = AmountChangeRequest.objects.filter(pk=pk, seller__marketplace_id=market_id).first()
        if found is None:
            raise NotFound("request_not_found", "The marketplace has no such request.")
        order = lock_order(seller_id=found.seller_id, number=found.order.number)
        request = AmountChangeRequest.objects.select_for_update().get(pk=found.pk)
        if request.state != RequestState.OPEN:
            raise Conflict("request_decided", f"The request was {request.state} already.")
        comment = (comment or "").strip()[:500]
        due = None
        total = Change(fmt(order.total, order.currency), fmt(order.total, order.currency))
        if approve:
            ensure_open(order)
            value = min(request.amount_after, order.subtotal + order.shipping_price)
            total, _discount, _payment, due = _set_total(order, value)
        request.state = RequestState.APPROVED if approve else RequestState.DENIED
        request.decided_at = timezone.now()
        request.decided_by = operator
        request.decision_comment = comment
        request.save()
        record_event(
            operator_actor(operator),
            order,
            AmountChangeDecided(
                request_id=request.pk,
                decision=request.state,
                total=total,
                currency=order.currency,
                comment=comment,
                refund_due=due,
            ),
        )
    return request
