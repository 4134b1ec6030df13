"""Staff notifications as outbox handlers (R-NOTE-1, R-PROC-2): registered in outbox.handlers.HANDLERS.

Each handler reads its event, picks the staff to tell, and queues one delivery per person and
channel (`staff.notify`), in the handler's transaction. Keys are `<event id>:<user>:<channel>`,
so a retried handler queues nothing twice. Texts are rendered in each recipient's language and
never carry internal notes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sellerdesk.accounts.models import User
from sellerdesk.orders.deadlines import manager_else_admins
from sellerdesk.orders.methods import CancelReason
from sellerdesk.orders.models import Order, OrderEvent
from sellerdesk.outbox.models import OutboxEvent
from sellerdesk.shipping.states import ShipmentStatus

from .staff import Message, admins_of, notify, order_url, staff_by_ids


def _order(event: OutboxEvent) -> Order | None:
    if event.order_id is None:
        return None
    return Order.objects.select_related("manager", "seller").filter(pk=event.order_id).first()


def _follows_up(order: Order) -> list[User]:
    """The order's active manager, else the seller's owners and administrators."""
    manager = order.manager if order.manager and order.manager.is_active else None
    return manager_else_admins(manager, admins_of(order.seller_id) if manager is None else ())


def _actor_id(event: OutboxEvent) -> int | None:
    """The staff member who caused the event (nobody is told about their own action)."""
    return OrderEvent.objects.filter(pk=event.event_id).values_list("actor_user_id", flat=True).first()


def _after(payload: dict[str, Any], field: str) -> Any:
    value = payload.get(field)
    return value.get("to") if isinstance(value, dict) else value


def _send(
    event: OutboxEvent,
    order: Order,
    users: list[User],
    name: str,
    render: Callable[[], Message],
    kind: str = "",
) -> None:
    actor = _actor_id(event)
    notify(
        [u for u in users if u.pk != actor],
        event=name,
        kind=kind,
        cause=str(event.event_id),
        seller_id=order.seller_id,
        order_id=order.pk,
        render=render,
    )


def _with_link(order: Order, text: str) -> str:
    link = _("Open the order: %(url)s") % {"url": order_url(order.number)}
    return f"{text}\n\n{link}"


def new_order(event: OutboxEvent, key: str) -> None:
    """order_placed → the seller's owners and administrators (who keep the event on), and the
    manager already assigned to it (by their choice of channels for orders assigned to them)."""
    order = _order(event)
    if order is None:
        return
    admins = admins_of(order.seller_id)
    p = event.payload

    def render() -> Message:
        return Message(
            _("New order #%(number)s") % {"number": order.number},
            _with_link(
                order,
                _("Order #%(number)s was placed: %(total)s %(currency)s.")
                % {"number": order.number, "total": p.get("total", order.total), "currency": order.currency},
            ),
        )

    _send(event, order, admins, "new_order", render)
    manager = order.manager
    if manager and manager.is_active and manager not in admins:  # their choice for "assigned to me"
        _send(event, order, [manager], "assigned", render, kind="new_order")


def manager_assigned(event: OutboxEvent, key: str) -> None:
    """manager_assigned → the newly assigned manager (R-PROC-2's assignment e-mail)."""
    order = _order(event)
    if order is None:
        return
    users = staff_by_ids(order.seller_id, [_after(event.payload, "manager_id")])

    def render() -> Message:
        return Message(
            _("Order #%(number)s is assigned to you") % {"number": order.number},
            _with_link(order, _("You are now the manager of order #%(number)s.") % {"number": order.number}),
        )

    _send(event, order, users, "assigned", render)


def deadline_warning(event: OutboxEvent, key: str) -> None:
    """deadline_warning → its recipient_ids (the assigned manager, else the owners and admins)."""
    order = _order(event)
    if order is None:
        return
    users = staff_by_ids(order.seller_id, event.payload.get("recipient_ids") or [])
    kind = event.payload.get("kind", "")

    def render() -> Message:
        what = _("confirm") if kind == "confirm" else _("ship")
        return Message(
            _("Order #%(number)s: %(what)s by %(due)s")
            % {
                "number": order.number,
                "what": what,
                "due": event.payload.get("due", "")[:16].replace("T", " "),
            },
            _with_link(order, _("The deadline of order #%(number)s is near.") % {"number": order.number}),
        )

    _send(event, order, users, "deadline_warning", render)


# The cancel reasons the deadline engine gives (R-SLA-1, R-SLA-2) → which deadline passed.
MISSED_BY_REASON = {
    CancelReason.CONFIRM_DEADLINE_MISSED.value: "confirm",
    CancelReason.SHIP_DEADLINE_MISSED.value: "ship",
}


def deadline_missed(event: OutboxEvent, key: str) -> None:
    """A deadline passed (R-SLA-1, R-SLA-2, R-SLA-4) → the assigned manager, else the owners and
    administrators: order_cancelled with a missed-deadline reason (the order was cancelled
    automatically) or deadline_missed (the order was flagged overdue instead)."""
    cancelled = event.type == "order_cancelled"
    kind = MISSED_BY_REASON.get(event.payload.get("reason", "")) if cancelled else event.payload.get("kind")
    if kind not in ("confirm", "ship"):
        return  # a cancellation by staff or by the customer: nothing missed
    order = _order(event)
    if order is None:
        return
    users = _follows_up(order)
    due = order.confirm_by if kind == "confirm" else order.ship_by

    def render() -> Message:
        what = _("confirm-by") if kind == "confirm" else _("ship-by")
        when = (
            date_format(timezone.localtime(due, ZoneInfo(order.seller.time_zone)), "SHORT_DATETIME_FORMAT")
            if due
            else ""
        )
        if cancelled:
            subject = _("Order #%(number)s cancelled: its %(what)s passed") % {
                "number": order.number,
                "what": what,
            }
            text = _(
                "The %(what)s deadline of order #%(number)s passed (%(when)s), so the order was cancelled "
                "automatically: its stock is released, the customer is told, and a paid online order is refunded."
            )
        else:
            subject = _("Order #%(number)s is overdue: its %(what)s passed") % {
                "number": order.number,
                "what": what,
            }
            text = _(
                "The %(what)s deadline of order #%(number)s passed (%(when)s). The order is flagged overdue: "
                "ship it, or cancel it with a reason."
            )
        return Message(
            subject, _with_link(order, text % {"what": what, "number": order.number, "when": when})
        )

    _send(event, order, users, "deadline_missed", render)


def _admins_and_manager(order: Order) -> list[User]:
    return admins_of(order.seller_id) + ([order.manager] if order.manager and order.manager.is_active else [])


def delivery_failed(event: OutboxEvent, key: str) -> None:
    """shipment_status_changed to delivery_failed → the owners, admins and the assigned manager."""
    if _after(event.payload, "status") != ShipmentStatus.DELIVERY_FAILED:
        return
    order = _order(event)
    if order is None:
        return

    def render() -> Message:
        return Message(
            _("Order #%(number)s: delivery failed") % {"number": order.number},
            _with_link(
                order,
                _("The carrier could not deliver shipment %(shipment)s of order #%(number)s.")
                % {"shipment": event.payload.get("shipment", ""), "number": order.number},
            ),
        )

    _send(event, order, _admins_and_manager(order), "delivery_failed", render)


def amount_change_decided(event: OutboxEvent, key: str) -> None:
    """amount_change_decided → the owners, admins and the assigned manager."""
    order = _order(event)
    if order is None:
        return
    p = event.payload

    def render() -> Message:
        if p.get("decision") == "approved":
            text = _(
                "The marketplace approved the amount change of order #%(number)s: %(to)s %(currency)s."
            ) % {
                "number": order.number,
                "to": _after(p, "total"),
                "currency": p.get("currency", ""),
            }
        else:
            text = _("The marketplace denied the amount change of order #%(number)s.") % {
                "number": order.number
            }
        return Message(
            _("Order #%(number)s: amount change decided") % {"number": order.number}, _with_link(order, text)
        )

    _send(event, order, _admins_and_manager(order), "amount_change_decided", render)


def payment_failed(event: OutboxEvent, key: str) -> None:
    """payment_failed → the owners, admins and the assigned manager."""
    order = _order(event)
    if order is None:
        return
    p = event.payload

    def render() -> Message:
        return Message(
            _("Order #%(number)s: payment failed") % {"number": order.number},
            _with_link(
                order,
                _("A payment of %(amount)s %(currency)s for order #%(number)s failed.")
                % {"amount": p.get("amount", ""), "currency": p.get("currency", ""), "number": order.number},
            ),
        )

    _send(event, order, _admins_and_manager(order), "payment_failed", render)


def customer_message(event: OutboxEvent, key: str) -> None:
    """customer_message_received → the assigned manager, else the owners and admins. The text of
    the message is not copied into the notification: it is read on the order page."""
    order = _order(event)
    if order is None:
        return
    users = _follows_up(order)

    def render() -> Message:
        return Message(
            _("Order #%(number)s: new message from the customer") % {"number": order.number},
            _with_link(order, _("The customer wrote about order #%(number)s.") % {"number": order.number}),
        )

    _send(event, order, users, "customer_message", render)
