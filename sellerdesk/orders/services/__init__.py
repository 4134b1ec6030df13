"""Order writers. Each runs in one transaction, locks the order row first, records its events.

The payment writer lives in `sellerdesk.payments.services`; it is re-exported here so that every
writer of an order is reachable from one place (the lock-order test walks this list).
"""

from sellerdesk.payments.services import order_mark_paid

from .editing import (
    note_add,
    note_delete,
    note_edit,
    note_reminder_done,
    order_agree_delay,
    order_assign_manager,
    order_change_customer,
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
    "order_agree_delay",
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
