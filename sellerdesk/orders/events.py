"""The order's events and the one function that records events (R-AUD-1).

`record_events` writes the timeline rows of a change (one INSERT) and hands them to the outbox,
in the caller's transaction: every writer calls it, the bulk ones too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import ClassVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sellerdesk import outbox
from sellerdesk.accounts.actors import Actor
from sellerdesk.core.events import Change, Event, doc, event_type

from .models import Order, OrderEvent
from .states import Status


def record_events(actor: Actor, changes: Iterable[tuple[Order, Event]]) -> list[OrderEvent]:
    """Write the timeline rows of `changes` with one INSERT and publish them to the outbox.

    Must run inside the caller's transaction: the rows commit or roll back with the change.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events are recorded inside the transaction of the change")
    now = timezone.now()
    rows = [
        OrderEvent(
            order=order,
            type=event.type,
            version=event.version,
            actor_kind=actor.kind,
            actor_user=actor.user,
            actor_label=actor.label,
            data=event.payload(),
            created_at=now,
        )
        for order, event in changes
    ]
    if not rows:
        return []
    rows = OrderEvent.objects.bulk_create(rows)
    outbox.publish(rows)
    return rows


def record_event(actor: Actor, order: Order, event: Event) -> OrderEvent:
    """`record_events` for one event."""
    return record_events(actor, [(order, event)])[0]


def _status_text(value: object) -> str:
    from sellerdesk.dashboard.templatetags.dashboard import status_label

    return status_label("status", str(value)) if value else ""


@event_type
class OrderPlaced(Event):
    type = "order_placed"
    summary = "An order was placed (API, dashboard form, CSV import or demo data)."
    example = {
        "number": 1042,
        "total": "59.80",
        "currency": "EUR",
        "source": "api",
        "address_valid": True,
        "customer_id": 311,
    }

    number: int = doc("The order's number, unique within the seller.")
    total: str = doc("The order's total, a decimal string in the order's currency.")
    currency: str = doc("ISO 4217 currency code.")
    source: str = doc("Where the order came from: api, dashboard, import, test, …")
    address_valid: bool | None = doc(
        "False when the shipping address did not pass the country's check.", default=None
    )
    customer_id: int | None = doc(
        "The customer's id in the marketplace (absent on rows written before ids were recorded).",
        default=None,
    )

    def describe(self) -> str:
        text = _("Order placed (source: %(source)s).") % {"source": self.source}
        if self.address_valid is False:
            text += " " + _("The shipping address did not pass the check.")
        return text


@dataclasses.dataclass(frozen=True, kw_only=True)
class StatusChanged(Event):
    """The order's status moved along the lifecycle table; one event type per target status."""

    target: ClassVar[Status]

    status: Change = doc("The order status before and after.")
    fulfillment_status: Change | None = doc(
        "The fulfillment status before and after, when it changed too.", default=None
    )

    def describe(self) -> str:
        return _("Status changed from %(from)s to %(to)s.") % {
            "from": _status_text(self.status.before),
            "to": _status_text(self.status.after),
        }


@event_type
class OrderConfirmed(StatusChanged):
    type = "order_confirmed"
    target = Status.CONFIRMED
    summary = "The seller confirmed the order; the ship-by deadline starts."
    example = {"status": {"from": "pending", "to": "confirmed"}, "ship_by": "2026-03-04T18:00:00+00:00"}

    ship_by: str | None = doc("The ship-by deadline set on confirmation (ISO 8601).", default=None)


@event_type
class OrderProcessing(StatusChanged):
    type = "order_processing"
    target = Status.PROCESSING
    summary = "Work on the order started; its units left stock."
    example = {"status": {"from": "confirmed", "to": "processing"}}


@event_type
class OrderShipped(StatusChanged):
    type = "order_shipped"
    target = Status.SHIPPED
    summary = "The order was handed to the carrier."
    example = {
        "status": {"from": "processing", "to": "shipped"},
        "fulfillment_status": {"from": "unfulfilled", "to": "dispatched"},
    }

    notify_customer: bool | None = doc(
        "False when staff fulfilled it by hand and chose not to tell the customer; absent otherwise.",
        default=None,
    )


@event_type
class OrderDelivered(StatusChanged):
    type = "order_delivered"
    target = Status.DELIVERED
    summary = "The order reached the customer (or was picked up, or sent digitally)."
    example = {
        "status": {"from": "confirmed", "to": "delivered"},
        "fulfillment_status": {"from": "unfulfilled", "to": "picked_up"},
    }


@event_type
class OrderClosed(StatusChanged):
    type = "order_closed"
    target = Status.CLOSED
    summary = (
        "The order was closed; it no longer changes. The marketplace commission is charged now (R-PAY-8)."
    )
    example = {
        "status": {"from": "delivered", "to": "closed"},
        "commission": "5.90",
        "seller_amount": "53.90",
        "plan": "Standard",
    }

    commission: str | None = doc(
        "The marketplace commission charged, in the order's currency (absent for test orders).", default=None
    )
    seller_amount: str | None = doc(
        "What the seller earns from the order after the commission.", default=None
    )
    plan: str | None = doc("The seller's tariff plan; absent when the seller has none.", default=None)

    def describe(self) -> str:
        text = super().describe()
        if self.commission is not None:
            text += " " + _("Commission %(commission)s; the seller earns %(seller)s.") % {
                "commission": self.commission,
                "seller": self.seller_amount,
            }
        return text


@event_type
class OrderCancelled(StatusChanged):
    type = "order_cancelled"
    target = Status.CANCELLED
    summary = "The order was cancelled; its stock was released."
    example = {"status": {"from": "pending", "to": "cancelled"}, "reason": "out_of_stock", "comment": ""}

    reason: str = doc("The cancel reason, one of the listed reasons.", default="")
    comment: str = doc("The staff member's comment (required for the reason 'other').", default="")

    def describe(self) -> str:
        text = super().describe()
        if self.reason:
            text += " " + _("Reason: %(reason)s.") % {"reason": str(self.reason).replace("_", " ")}
        if self.comment:
            text += " “" + str(self.comment) + "”"
        return text


# The event of each target status, looked up by the lifecycle writer.
STATUS_EVENTS: dict[Status, type[StatusChanged]] = {
    cls.target: cls
    for cls in (OrderConfirmed, OrderProcessing, OrderShipped, OrderDelivered, OrderClosed, OrderCancelled)
}


@event_type
class ManagerAssigned(Event):
    type = "manager_assigned"
    summary = "A manager was assigned to the order, changed or removed."
    example = {"manager": {"from": None, "to": "Olga Smirnova"}, "manager_id": {"from": None, "to": 7}}

    manager: Change = doc("The manager's name before and after (null: nobody).")
    manager_id: Change | None = doc("The manager's user id before and after (null: nobody).", default=None)

    def describe(self) -> str:
        if self.manager.after:
            return _("Manager set to %(name)s.") % {"name": self.manager.after}
        return _("Manager removed.")


@event_type
class CustomerChanged(Event):
    type = "customer_changed"
    summary = "The order was moved to another customer of the marketplace."
    example = {
        "customer": {"from": "Anna Petrova", "to": "Boris Ivanov"},
        "customer_id": {"from": 311, "to": 312},
    }

    customer: Change = doc("The customer's name before and after.")
    customer_id: Change | None = doc(
        "The customer's id before and after (absent on rows written before ids were recorded).",
        default=None,
    )

    def describe(self) -> str:
        return _("Customer changed from %(from)s to %(to)s.") % {
            "from": self.customer.before,
            "to": self.customer.after,
        }


@dataclasses.dataclass(frozen=True, kw_only=True)
class _NoteEvent(Event):
    note_id: int = doc("The note's id (the event never carries the note's text).")


@event_type
class NoteAdded(_NoteEvent):
    type = "note_added"
    summary = "Staff added an internal note, with or without a reminder."
    example = {"note_id": 88, "remind_at": "2026-03-05T09:00:00+00:00"}

    remind_at: str | None = doc(
        "When the note reminds its author (ISO 8601); absent when it has none.", default=None
    )

    def describe(self) -> str:
        return _("Internal note added.")


@event_type
class NoteEdited(_NoteEvent):
    type = "note_edited"
    summary = "Staff edited an internal note or its reminder."
    example = {"note_id": 88, "remind_at": "2026-03-06T09:00:00+00:00"}

    remind_at: str | None = doc(
        "The note's reminder time after the edit (ISO 8601); absent when it has none.", default=None
    )

    def describe(self) -> str:
        return _("Internal note edited.")


@event_type
class NoteDeleted(_NoteEvent):
    type = "note_deleted"
    summary = "Staff deleted an internal note."
    example = {"note_id": 88}

    def describe(self) -> str:
        return _("Internal note deleted.")


@event_type
class ReminderDone(_NoteEvent):
    type = "note_reminder_done"
    summary = "The author marked a note's reminder done."
    example = {"note_id": 88}

    def describe(self) -> str:
        return _("Reminder of an internal note marked done.")


# --- deadlines (R-SLA-1..4) ---------------------------------------------------------------------
_DEADLINE_TEXT = {"confirm": "confirm-by", "ship": "ship-by", "close": "close-by"}


@event_type
class DeadlineWarning(Event):
    type = "deadline_warning"
    summary = "A deadline of the order is near; once per deadline, to its manager or the seller's admins."
    example = {"kind": "ship", "due": "2026-03-04T20:59:59+00:00", "recipient_ids": [7]}

    kind: str = doc("Which deadline: confirm, ship or close (the automatic close of a delivered order).")
    due: str = doc("The deadline (ISO 8601).")
    recipient_ids: list[int] = doc("The users to tell: the assigned manager, else the owners and admins.")

    def describe(self) -> str:
        return _("The %(kind)s deadline is near: %(due)s.") % {
            "kind": _DEADLINE_TEXT.get(self.kind, self.kind),
            "due": self.due,
        }


@event_type
class DeadlineMissed(Event):
    type = "deadline_missed"
    summary = "A deadline passed and the order was flagged overdue (not cancelled: the seller's policy, or units already shipped)."
    example = {"kind": "ship", "due": "2026-03-04T20:59:59+00:00", "why": "in_shipments"}

    kind: str = doc("Which deadline: confirm or ship.")
    due: str = doc("The deadline that passed (ISO 8601).")
    why: str = doc("policy (the seller flags only) or in_shipments (units already in a shipment).")

    def describe(self) -> str:
        return _("The %(kind)s deadline passed (%(due)s); the order is overdue.") % {
            "kind": _DEADLINE_TEXT.get(self.kind, self.kind),
            "due": self.due,
        }


@event_type
class DelayAgreed(Event):
    type = "delay_agreed"
    summary = "A delay was agreed with the customer: a date and a note; the deadlines move."
    example = {
        "until": "2026-03-20",
        "ship_by": {"from": "2026-03-04T20:59:59+00:00", "to": "2026-03-20T20:59:59+00:00"},
        "close_by": {"from": "2026-03-15T10:00:00+00:00", "to": "2026-04-03T20:59:59+00:00"},
    }

    until: str = doc("The agreed date (ISO 8601 date). The note stays on the order, not in the event.")
    ship_by: Change | None = doc("The ship-by deadline before and after, when it moved.", default=None)
    close_by: Change | None = doc("The close-by deadline before and after.", default=None)

    def describe(self) -> str:
        return _("A delay until %(until)s was agreed.") % {"until": self.until}
