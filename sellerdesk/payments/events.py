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
        "provider": "stripe",
        "reference": "re_3Nq…",
    }

    amount: str = doc("The amount refunded, a decimal string in the order's currency.")
    currency: str = doc("ISO 4217 currency code.")
    payment_status: Change | None = doc("The order's payment status before and after.", default=None)
    provider: str | None = doc(
        "The provider that refunded it (manual: given back by hand, recorded by staff).", default=None
    )
    reference: str | None = doc("The provider's id of the refund.", default=None)

    def describe(self) -> str:
        return _("Refund of %(amount)s %(currency)s recorded.") % {
            "amount": self.amount,
            "currency": self.currency,
        }


@event_type
class PaymentFailed(Event):
    type = "payment_failed"
    summary = (
        "An online payment failed (declined, or the provider reported a failure); the order is unpaid again."
    )
    example = {
        "amount": "29.00",
        "currency": "EUR",
        "provider": "stripe",
        "reference": "pi_3Nq…",
        "error": "Your card was declined.",
        "payment_status": {"from": "in_progress", "to": "unpaid"},
    }

    amount: str = doc("The amount that was not paid, a decimal string in the order's currency.")
    currency: str = doc("ISO 4217 currency code.")
    provider: str = doc("The payment provider (sandbox, stripe).")
    reference: str = doc("The provider's id of the payment, if it gave one.", default="")
    error: str = doc("Why it failed, in the provider's words.", default="")
    payment_status: Change | None = doc("The order's payment status before and after.", default=None)

    def describe(self) -> str:
        return _("Payment of %(amount)s %(currency)s failed: %(error)s") % {
            "amount": self.amount,
            "currency": self.currency,
            "error": self.error or _("no reason given"),
        }


@event_type
class RefundRequested(Event):
    type = "refund_requested"
    summary = (
        "A refund was sent to the payment provider and waits for its answer; the ledger holds it as "
        "pending, so it cannot be refunded twice."
    )
    example = {"amount": "10.00", "currency": "EUR", "provider": "stripe", "payments": [41]}

    amount: str = doc("The amount to refund, a decimal string in the order's currency.")
    currency: str = doc("ISO 4217 currency code.")
    provider: str = doc("The payment provider that refunds it.")
    payments: list[int] = doc("The ids of the pending refund rows on the order's ledger.")

    def describe(self) -> str:
        return _("Refund of %(amount)s %(currency)s requested from %(provider)s.") % {
            "amount": self.amount,
            "currency": self.currency,
            "provider": self.provider,
        }


@event_type
class RefundFailed(Event):
    type = "refund_failed"
    summary = (
        "The payment provider refused a refund; nothing was refunded and the amount can be refunded again."
    )
    example = {"amount": "10.00", "currency": "EUR", "provider": "stripe", "error": "charge_disputed"}

    amount: str = doc("The amount that was not refunded.")
    currency: str = doc("ISO 4217 currency code.")
    provider: str = doc("The payment provider.")
    error: str = doc("Why, in the provider's words.", default="")

    def describe(self) -> str:
        return _("Refund of %(amount)s %(currency)s failed: %(error)s") % {
            "amount": self.amount,
            "currency": self.currency,
            "error": self.error or _("no reason given"),
        }
