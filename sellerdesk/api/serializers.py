"""Model → JSON-ready dicts for the API (one place, so list and detail agree)."""

from __future__ import annotations

from typing import Any

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import User
from sellerdesk.catalog.models import Product
from sellerdesk.core.events import describe_row
from sellerdesk.core.money import fmt
from sellerdesk.orders.models import Order, OrderEvent, OrderNote
from sellerdesk.orders.selectors import order_actions
from sellerdesk.payments.ledger import balance_of


def staff(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.label, "email": user.email}


def order_summary(o: Order) -> dict[str, Any]:
    return {
        "number": str(o.number),
        "status": o.status,
        "payment_status": o.payment_status,
        "fulfillment_status": o.fulfillment_status,
        "currency": o.currency,
        "total": fmt(o.total, o.currency),
        "customer_name": o.customer_name,
        "customer_email": o.customer_email,
        "customer_phone": o.customer_phone,
        "manager": staff(o.manager) if o.manager_id else None,
        "is_test": o.is_test,
        "address_valid": not o.address_errors,
        "created_at": o.created_at,
        "confirm_by": o.confirm_by,
        "ship_by": o.ship_by,
    }


def order_detail(o: Order, actor: Actor) -> dict[str, Any]:
    """The order as `actor` sees it (its `available_actions` are what that actor may do)."""
    c = o.currency
    return {
        "number": str(o.number),
        "status": o.status,
        "payment_status": o.payment_status,
        "fulfillment_status": o.fulfillment_status,
        "currency": c,
        "subtotal": fmt(o.subtotal, c),
        "discount": fmt(o.discount, c),
        "shipping_price": fmt(o.shipping_price, c),
        "total": fmt(o.total, c),
        "paid": fmt(o.paid_amount, c),
        "refunded": fmt(o.refunded_amount, c),
        **ledger(o),
        "customer": {
            "id": o.customer_id,
            "name": o.customer_name,
            "email": o.customer_email,
            "phone": o.customer_phone,
        },
        "lines": [
            {
                "id": line.pk,
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": fmt(line.unit_price, c),
                "total": fmt(line.line_total, c),
                "quantity_fulfilled": line.quantity_fulfilled,
                "quantity_cancelled": line.quantity_cancelled,
                "quantity_returned": line.quantity_returned,
            }
            for line in o.lines.all()
        ],
        "shipping_address": o.shipping_address,
        "address_valid": not o.address_errors,
        "address_errors": o.address_errors,
        "shipping_method": o.shipping_method,
        "payment_method": o.payment_method,
        "manager": staff(o.manager) if o.manager_id else None,
        "is_test": o.is_test,
        "source": o.source,
        "available_actions": [a.value for a in order_actions(o, actor)],
        "created_at": o.created_at,
        "updated_at": o.updated_at,
        "confirm_by": o.confirm_by,
        "ship_by": o.ship_by,
        "confirmed_at": o.confirmed_at,
        "cancelled_at": o.cancelled_at,
        "cancel_reason": o.cancel_reason,
        "cancel_comment": o.cancel_comment,
    }


def ledger(o: Order) -> dict[str, Any]:
    """The order's payment ledger and balance (R-PAY-1)."""
    rows = list(o.payments.all())
    b = balance_of(o, rows)
    c = o.currency
    return {
        "balance": {
            "outstanding": fmt(b.outstanding, c),
            "refund_due": fmt(b.refund_due, c),
            "refund_pending": fmt(b.refund_pending, c),
            "refundable": fmt(b.refundable, c),
        },
        "payments": [
            {
                "id": p.pk,
                "kind": p.kind,
                "state": p.state,
                "amount": fmt(p.amount, p.currency),
                "currency": p.currency,
                "provider": p.provider,
                "reference": p.reference,
                "refund_of": p.parent_id,
                "by": p.by,
                "error": p.details.get("error"),
                "created_at": p.created_at,
                "settled_at": p.settled_at,
            }
            for p in rows
        ],
    }


def event(e: OrderEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "type": e.type,
        "version": e.version,
        "description": describe_row(e.type, e.data, e.version),
        "actor": {"kind": e.actor_kind, "label": e.actor_label or None},
        "data": e.data,
        "created_at": e.created_at,
    }


def note(n: OrderNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "text": n.text,
        "author": n.author_label,
        "remind_at": n.remind_at,
        "reminder_done_at": n.reminder_done_at,
        "created_at": n.created_at,
        "updated_at": n.updated_at,
    }


def product(p: Product) -> dict[str, Any]:
    return {
        "sku": p.sku,
        "name": p.name,
        "price": fmt(p.price, p.currency),
        "currency": p.currency,
        "stock": p.stock,
        "reserved": p.reserved,
        "available": p.available,
    }


def rate(r: Any) -> dict[str, Any]:
    return {
        "service_code": r.service_code,
        "service_name": r.service_name,
        "price": fmt(r.price, r.currency),
        "currency": r.currency,
        "days_min": r.days_min,
        "days_max": r.days_max,
        "estimated_delivery": r.estimated_delivery,
    }


def _units(rows: Any) -> list[dict[str, Any]]:
    return [
        {"line_id": row.line_id, "sku": row.line.sku, "name": row.line.name, "quantity": row.quantity}
        for row in rows
    ]


def shipment(s: Any) -> dict[str, Any]:
    c = s.currency
    return {
        "id": s.number,
        "kind": s.kind,
        "status": s.status,
        "shipping_point": s.shipping_point,
        "carrier": s.carrier,
        "service_code": s.service_code,
        "service_name": s.service_name,
        "tracking_number": s.tracking_number,
        "registration": s.registration,
        "registration_errors": list(s.registration_errors or []),
        "expected_delivery": s.expected_delivery,
        "price": fmt(s.price, c),
        "charged": fmt(s.charged, c),
        "seller_cost": fmt(s.seller_cost, c),
        "currency": c,
        "lines": _units(s.lines.all()),
        "tracking": [
            {
                "raw_code": t.raw_code,
                "status": t.status,
                "occurred_at": t.occurred_at,
                "description": t.description,
                "location": t.location,
            }
            for t in s.tracking.all()
        ],
        "created_at": s.created_at,
        "handed_over_at": s.handed_over_at,
        "delivered_at": s.delivered_at,
        "has_label": s.kind == "manual" or s.carrier == "sandbox" or s.registration == "registered",
    }


def return_(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "restock": r.restock,
        "reason": r.reason,
        "lines": _units(r.lines.select_related("line")),
        "created_at": r.created_at,
    }
