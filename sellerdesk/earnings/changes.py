"""Amount changes of an order (R-PROC-6): direct while pending or confirmed, later a request that the
marketplace operator approves or denies.

The amount is changed through the order's discount, so that lines + shipping − discount = total
still holds (orders/pricing.py); the payment status is re-derived from the ledger and an order that
is now overpaid shows the refund due (payments.ledger.refund_due). The refund itself is the refund
writer's: it reads `refund_due` and records the refund on the payment ledger.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import User
from sellerdesk.catalog.models import Product, StockState
from sellerdesk.catalog.services import stock_release, stock_reserve
from sellerdesk.core.errors import Conflict, InvalidInput, NotFound
from sellerdesk.core.events import Change
from sellerdesk.core.money import fmt, quantize
from sellerdesk.orders.events import record_event
from sellerdesk.orders.locking import ensure_open, lock_order
from sellerdesk.orders.models import Order, OrderLine
from sellerdesk.orders.pricing import compute_totals, line_total
from sellerdesk.orders.services._common import refresh_fulfillment_status
from sellerdesk.orders.states import CANCEL_REASONS, Status
from sellerdesk.payments.ledger import refresh_payment_status, refund_due

from .events import AmountChangeDecided, AmountChangeRequested, LineCancelled, LineSubstituted, OrderChanged
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


# --- line edits (R-PROC-6) and out of stock (R-PROC-7) ----------------------------------------
# These are the one writer of `OrderLine.quantity_cancelled`. A line's `line_total` is the price of
# its live units (quantity − cancelled), so lines + shipping − discount = total keeps holding.
@dataclass(frozen=True)
class LineEdit:
    """One line change: an existing line (`line_id`) gets a new quantity (0 removes it) or unit price;
    a new line names its `sku` (unit price: the product's unless given)."""

    line_id: int | None = None
    sku: str | None = None
    quantity: int | None = None
    unit_price: Decimal | None = None


def _live(line: OrderLine) -> int:
    return line.quantity - line.quantity_cancelled


def _price(order: Order, value: Decimal | str | None, default: Decimal) -> Decimal:
    if value is None or value == "":
        return default
    try:
        price = quantize(Decimal(str(value)), order.currency)
    except (InvalidOperation, ValueError):
        raise InvalidInput("invalid_price", "A unit price is a decimal number.", field="unit_price") from None
    if not price.is_finite() or price < 0:
        raise InvalidInput("invalid_price", "A unit price cannot be negative.", field="unit_price")
    return price


def _line_of(order: Order, lines: dict[int, OrderLine], line_id: int | str | None) -> OrderLine:
    try:
        line = lines.get(int(line_id))  # type: ignore[arg-type]  # None and bad text fall to the except
    except (TypeError, ValueError):
        line = None
    if line is None:
        raise NotFound("line_not_found", f"Order {order.number} has no line {line_id}.", field="line_id")
    return line


def _move_stock(order: Order, seller_id: int, more: dict[str, int], less: dict[int, int]) -> None:
    """Reserve `more` units per SKU (or refuse: out of stock) and give back `less` per product id,
    through the catalog's stock writer; the order's own stock state does not change."""
    if more:
        if order.stock_state != StockState.RESERVED:
            raise Conflict("not_editable", "Units can be added only while the order holds a reservation.")
        stock_reserve(seller_id=seller_id, wanted=more)
    less = {pk: n for pk, n in less.items() if n > 0}
    if less:
        stock_release(current=order.stock_state, quantities=less)


def _retotal(order: Order, discount: Decimal | None = None) -> tuple[Change, Change | None, str | None]:
    """Recompute line totals, the order's totals and the payment status (in memory; lines saved)."""
    lines = list(order.lines.all())
    for line in lines:
        line.line_total = line_total(_live(line), line.unit_price, order.currency)
    OrderLine.objects.bulk_update(lines, ["quantity", "quantity_cancelled", "unit_price", "line_total"])
    before = order.total
    totals = compute_totals(
        [(_live(line), line.unit_price) for line in lines],
        shipping=order.shipping_price,
        discount=order.discount if discount is None else discount,
        currency=order.currency,
    )
    order.subtotal, order.discount, order.total = totals.subtotal, totals.discount, totals.total
    p_before, p_after = refresh_payment_status(order)
    refresh_fulfillment_status(order)
    order.save()
    due = refund_due(order)
    return (
        Change(fmt(before, order.currency), fmt(order.total, order.currency)),
        Change(p_before, p_after) if p_before != p_after else None,
        fmt(due, order.currency) if due > 0 else None,
    )


def order_edit_lines(
    *,
    seller_id: int,
    number: int | str,
    actor: Actor,
    edits: list[LineEdit],
    reason: str,
    discount: Decimal | str | None = None,
) -> Order:
    """Edit lines, quantities, prices and the discount of a pending or confirmed order (R-PROC-6)."""
    actor.require("order.act")
    reason = _clean_reason(reason)
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        ensure_open(order)
        if order.status not in EDITABLE:
            raise Conflict(
                "not_editable",
                "Lines can be edited while the order is pending or confirmed; later, ask for an amount change.",
                current_status=order.status,
            )
        lines = {line.pk: line for line in order.lines.all()}
        changed: list[dict[str, Any]] = []
        more: dict[str, int] = defaultdict(int)
        less: dict[int, int] = defaultdict(int)
        new_lines: list[tuple[str, int, Decimal | None]] = []
        for edit in edits:
            if edit.line_id is None:
                if not edit.sku or not edit.quantity or edit.quantity < 1:
                    raise InvalidInput(
                        "invalid_line", "A new line needs a SKU and a quantity of at least 1.", field="lines"
                    )
                more[edit.sku] += edit.quantity
                new_lines.append((edit.sku, edit.quantity, edit.unit_price))
                continue
            line = _line_of(order, lines, edit.line_id)
            entry: dict[str, Any] = {"sku": line.sku, "line_id": line.pk}
            if edit.quantity is not None:
                if edit.quantity < 0 or edit.quantity > 100000:
                    raise InvalidInput("invalid_quantity", "A quantity is 0 (remove) or more.", field="lines")
                live = _live(line)
                if edit.quantity != live:
                    if edit.quantity > live:
                        more[line.sku] += edit.quantity - live
                    else:
                        less[line.product_id] += live - edit.quantity
                    if edit.quantity == 0:
                        line.quantity_cancelled = line.quantity  # removed: kept on the order as cancelled
                    else:
                        line.quantity = line.quantity_cancelled + edit.quantity
                    entry["quantity"] = Change(live, edit.quantity).to_json()
            if edit.unit_price is not None:
                price = _price(order, edit.unit_price, line.unit_price)
                if price != line.unit_price:
                    entry["unit_price"] = Change(
                        fmt(line.unit_price, order.currency), fmt(price, order.currency)
                    ).to_json()
                    line.unit_price = price
            if len(entry) > 2:
                changed.append(entry)
        products = {}
        if more:
            _move_stock(order, seller_id, dict(more), {})
            products = {p.sku: p for p in Product.objects.filter(seller_id=seller_id, sku__in=list(more))}
        _move_stock(order, seller_id, {}, dict(less))
        for sku, qty, asked in new_lines:
            product = products[sku]
            if product.currency != order.currency and asked is None:
                raise InvalidInput(
                    "price_required",
                    f"{sku} is priced in another currency; give a unit price.",
                    field="lines",
                )
            unit = _price(order, asked, product.price)
            OrderLine.objects.create(
                order=order,
                seller_id=seller_id,
                order_created_at=order.created_at,
                product=product,
                sku=sku,
                name=product.name,
                quantity=qty,
                unit_price=unit,
                line_total=line_total(qty, unit, order.currency),
            )
            changed.append(
                {"sku": sku, "quantity": Change(0, qty).to_json(), "unit_price": fmt(unit, order.currency)}
            )
        discount_before = order.discount
        new_discount = None if discount in (None, "") else _price(order, discount, order.discount)
        if all(_live(line) == 0 for line in lines.values()) and not new_lines:
            raise Conflict("no_lines_left", "An order keeps at least one line: cancel the order instead.")
        for line in lines.values():
            line.save(update_fields=["quantity", "quantity_cancelled", "unit_price"])
        total, payment, due = _retotal(order, new_discount)
        discount_change = (
            Change(fmt(discount_before, order.currency), fmt(order.discount, order.currency))
            if order.discount != discount_before
            else None
        )
        if not changed and discount_change is None:
            raise Conflict("nothing_changed", "The edit changes nothing.")
        record_event(
            actor,
            order,
            OrderChanged(
                reason=reason,
                lines=changed or None,  # type: ignore[arg-type]  # optional on the wire
                discount=discount_change,
                total=total,
                currency=order.currency,
                payment_status=payment,
                refund_due=due,
            ),
        )
    return order


def line_substitute(
    *,
    seller_id: int,
    number: int | str,
    actor: Actor,
    line_id: int | str,
    sku: str,
    agreement: str,
    unit_price: Decimal | str | None = None,
) -> Order:
    """Out of stock (R-PROC-7): replace a line's live units by another product, with the customer's
    agreement recorded. While the order holds its reservation (pending, confirmed)."""
    actor.require("order.act")
    agreement = (agreement or "").strip()[:MAX_REASON]
    if not agreement:
        raise InvalidInput("agreement_required", "Record how the customer agreed.", field="agreement")
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        ensure_open(order)
        line = _line_of(order, {x.pk: x for x in order.lines.all()}, line_id)
        qty = _live(line) - line.quantity_fulfilled
        if order.status not in EDITABLE or qty <= 0:
            raise Conflict(
                "not_substitutable",
                "A line can be substituted while the order is pending or confirmed and the line has units left.",
            )
        if sku == line.sku:
            raise InvalidInput("same_sku", "Choose another product.", field="sku")
        product = Product.objects.filter(seller_id=seller_id, sku=sku).first()
        if product is None:
            raise InvalidInput("unknown_sku", f"Unknown SKU: {sku}.", field="sku")
        if product.currency != order.currency and unit_price in (None, ""):
            raise InvalidInput(
                "price_required",
                f"{sku} is priced in another currency; give a unit price.",
                field="unit_price",
            )
        price = _price(order, unit_price, product.price)
        _move_stock(order, seller_id, {sku: qty}, {line.product_id: qty})
        line.quantity_cancelled += qty
        line.save(update_fields=["quantity_cancelled"])
        OrderLine.objects.create(
            order=order,
            seller_id=seller_id,
            order_created_at=order.created_at,
            product=product,
            sku=sku,
            name=product.name,
            quantity=qty,
            unit_price=price,
            line_total=line_total(qty, price, order.currency),
        )
        total, _payment, due = _retotal(order)
        record_event(
            actor,
            order,
            LineSubstituted(
                from_sku=line.sku,
                to_sku=sku,
                quantity=qty,
                agreement=agreement,
                total=total,
                currency=order.currency,
                refund_due=due,
            ),
        )
    return order


def line_cancel(
    *,
    seller_id: int,
    number: int | str,
    actor: Actor,
    line_id: int | str,
    quantity: int,
    reason: str = "out_of_stock",
) -> Order:
    """Out of stock (R-PROC-7): cancel units of one line that are not fulfilled; their stock goes back
    (the reservation, or the units once deducted) and a paid order shows the refund due."""
    actor.require("order.act")
    if reason not in CANCEL_REASONS:
        raise InvalidInput(
            "invalid_cancel_reason", f"Reason must be one of: {', '.join(CANCEL_REASONS)}.", field="reason"
        )
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        ensure_open(order)
        lines = {x.pk: x for x in order.lines.all()}
        line = _line_of(order, lines, line_id)
        if order.status not in (*EDITABLE, Status.PROCESSING):
            raise Conflict(
                "not_cancellable",
                "Lines can be cancelled until the order ships.",
                current_status=order.status,
            )
        left = _live(line) - line.quantity_fulfilled
        if not isinstance(quantity, int) or quantity < 1 or quantity > left:
            raise InvalidInput(
                "invalid_quantity",
                f"Cancel between 1 and {left} units of {line.sku}.",
                field="quantity",
                maximum=left,
            )
        if sum(_live(x) for x in lines.values()) == quantity:
            raise Conflict("no_lines_left", "That cancels every unit: cancel the order instead.")
        _move_stock(order, seller_id, {}, {line.product_id: quantity})
        line.quantity_cancelled += quantity
        line.save(update_fields=["quantity_cancelled"])
        total, _payment, due = _retotal(order)
        record_event(
            actor,
            order,
            LineCancelled(
                sku=line.sku,
                quantity=quantity,
                reason=reason,
                total=total,
                currency=order.currency,
                refund_due=due,
            ),
        )
    return order
