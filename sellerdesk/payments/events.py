"""The payment events of an order (R-PAY-1): money recorded on its ledger."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sellerdesk.core.events import Change, Event, doc, event_type


@event_type
class PaymentRecorded(Event):
    type = "payment_recorded"
    summary = "A payment was recorded on the order's ledger (e.g. staff marked it paid)."
    example = {
        "amount": "29.00",
        "currency": "EUR",
        "payment_status": {"from": "unpaid", "to": "paid"},
        "provider": "manual",
    }

    amount: str = doc("The amount paid, a decimal string in the order's currency.")
    currency: str = doc("ISO 4217 currency code.")
    payment_status: Change | None = doc("The order's payment status before and after.", default=None)
    provider: str | None = doc("The payment provider that recorded it (manual: by hand).", default=None)

    def describe(self) -> str:
        return _("Payment of %(amount)s %(currency)s recorded.") % {
            "amount": self.amount,
            "currency": self.currency,
        }


@event_type
class RefundRecorded(Event):
    type = "refund_recorded"
    summary = "A refund was recorded on the order's ledger."
    example = {
        "amount": "10.00",
        "currency": "EUR",
        "payment_status": {"from": "paid", "to": "partially_refunded"},
    }

    amount: str = doc("The amount refunded, a decimal string in the order's currency.")
    currency: str = doc("ISO 4217 currency code.")
    payment_status: Change | None = doc("The order's payment status before and after.", default=None)

    def describe(self) -> str:
        return _("Refund of %(amount)s %(currency)s recorded.") % {
            "amount": self.amount,
            "currency": self.currency,
        }
