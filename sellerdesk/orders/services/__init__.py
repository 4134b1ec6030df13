"""Order writers. Each runs in one transaction, locks the order row first, writes one event."""

from .editing import (
    note_add,
    note_delete,
    note_edit,
    note_reminder_done,
    order_assign_manager,
    order_change_customer,
    order_mark_paid,
)
from .lifecycle import (
    order_cancel,
    order_close,
    order_confirm,
    order_confirm_many,
    order_deliver,
    order_process,
)
from .placement import CustomerIn, LineIn, OrderIn, order_place

__all__ = [
    "CustomerIn",
    "LineIn",
    "OrderIn",
    "note_add",
    "note_delete",
    "note_edit",
    "note_reminder_done",
    "order_assign_manager",
    "order_cancel",
    "order_change_customer",
    "order_close",
    "order_confirm",
    "order_confirm_many",
    "order_deliver",
    "order_mark_paid",
    "order_place",
    "order_process",
]
