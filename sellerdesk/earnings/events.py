"""Events of seller earnings (R-PAY-8) and of changes to an order's lines and amount (R-PROC-6, R-PROC-7)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sellerdesk.core.events import Change, Event, doc, event_type


@event_type
class EarningsPaidOut(Event):
    type = "earnings_paid_out"
    summary = "The order's available earnings were included in a payout to the seller."
    example = {"payout_id": 12, "amount": "53.90", "currency": "EUR"}

    payout_id: int = doc("The payout's id.")
    amount: str = doc("The part of the payout that came from this order.")
    currency: str = doc("ISO 4217 currency code.")

    def describe(self) -> str:
        return _("%(amount)s %(currency)s paid out to the seller (payout %(payout)s).") % {
            "amount": self.amount,
            "currency": self.currency,
            "payout": self.payout_id,
        }


@event_type
class OrderChanged(Event):
    type = "order_changed"
    summary = "Staff changed the order's lines, prices, discount or amount (R-PROC-6)."
    example = {
        "reason": "Customer asked for two mugs instead of one.",
        "lines": [{"sku": "MUG-01", "quantity": {"from": 1, "to": 2}}],
        "total": {"from": "12.50", "to": "25.00"},
        "currency": "EUR",
        "payment_status": {"from": "paid", "to": "partially_paid"},
    }

    reason: str = doc("Why, as staff wrote it.")
    lines: list[dict[str, Any]] = doc(
        "Per changed line: its sku and each changed field ({from, to}); added lines have "
        "quantity from 0, removed ones to 0.",
        default=None,
    )
    discount: Change | None = doc("The order discount before and after.", default=None)
    total: Change = doc("The order total before and after.")
    currency: str = doc("ISO 4217 currency code.")
    payment_status: Change | None = doc("The payment status before and after, when it changed.", default=None)
    refund_due: str | None = doc(
        "The money to give back when the order is now overpaid (paid − refunded − total).", default=None
    )

    def describe(self) -> str:
        text = _("Order changed: total %(from)s → %(to)s %(currency)s. Reason: %(reason)s") % {
            "from": self.total.before,
            "to": self.total.after,
            "currency": self.currency,
            "reason": self.reason,
        }
        if self.refund_due:
            text += " " + _("Refund due: %(amount)s.") % {"amount": self.refund_due}
        return text


@event_type
class AmountChangeRequested(Event):
    type = "amount_change_requested"
    summary = "The order is past confirmation: its amount change waits for the marketplace operator."
    example = {
        "request_id": 4,
        "total": {"from": "59.80", "to": "49.80"},
        "currency": "EUR",
        "reason": "Damaged box, agreed discount.",
    }

    request_id: int = doc("The request's id.")
    total: Change = doc("The order total now and as requested.")
    currency: str = doc("ISO 4217 currency code.")
    reason: str = doc("Why, as staff wrote it.")

    def describe(self) -> str:
        return _(
            "Amount change to %(to)s %(currency)s requested from the marketplace. Reason: %(reason)s"
        ) % {
            "to": self.total.after,
            "currency": self.currency,
            "reason": self.reason,
        }


@event_type
class AmountChangeDecided(Event):
    type = "amount_change_decided"
    summary = "The marketplace operator approved or denied an amount change request."
    example = {
        "request_id": 4,
        "decision": "approved",
        "total": {"from": "59.80", "to": "49.80"},
        "currency": "EUR",
        "comment": "",
    }

    request_id: int = doc("The request's id.")
    decision: str = doc("approved or denied.")
    total: Change = doc("The order total before and after the decision (unchanged when denied).")
    currency: str = doc("ISO 4217 currency code.")
    comment: str = doc("The operator's comment.", default="")
    refund_due: str | None = doc("The money to give back when the order is now overpaid.", default=None)

    def describe(self) -> str:
        if self.decision == "approved":
            return _("The marketplace approved the amount change: total %(from)s → %(to)s %(currency)s.") % {
                "from": self.total.before,
                "to": self.total.after,
                "currency": self.currency,
            }
        return _("The marketplace denied the amount change.")


@event_type
class LineSubstituted(Event):
    type = "line_substituted"
    summary = "Out of stock: a line was replaced by another product with the customer's agreement (R-PROC-7)."
    example = {
        "from_sku": "MUG-01",
        "to_sku": "MUG-02",
        "quantity": 1,
        "agreement": "Customer agreed by phone on 3 March.",
        "total": {"from": "12.50", "to": "14.00"},
        "currency": "EUR",
    }

    from_sku: str = doc("The SKU replaced.")
    to_sku: str = doc("The SKU put in its place.")
    quantity: int = doc("Units substituted.")
    agreement: str = doc("How the customer agreed, as staff recorded it.")
    total: Change = doc("The order total before and after.")
    currency: str = doc("ISO 4217 currency code.")
    refund_due: str | None = doc("The money to give back when the order is now overpaid.", default=None)

    def describe(self) -> str:
        return _("%(from)s replaced by %(to)s (× %(qty)s); customer's agreement: %(agreement)s") % {
            "from": self.from_sku,
            "to": self.to_sku,
            "qty": self.quantity,
            "agreement": self.agreement,
        }


@event_type
class LineCancelled(Event):
    type = "line_cancelled"
    summary = (
        "Out of stock: units of one line were cancelled; a refund is due if the order was paid (R-PROC-7)."
    )
    example = {
        "sku": "BOWL-01",
        "quantity": 1,
        "reason": "out_of_stock",
        "total": {"from": "37.40", "to": "12.50"},
        "currency": "EUR",
        "refund_due": "24.90",
    }

    sku: str = doc("The line's SKU.")
    quantity: int = doc("Units cancelled now.")
    reason: str = doc("Why (a cancel reason).")
    total: Change = doc("The order total before and after.")
    currency: str = doc("ISO 4217 currency code.")
    refund_due: str | None = doc("The money to give back when the order is now overpaid.", default=None)

    def describe(self) -> str:
        text = _("%(qty)s × %(sku)s cancelled.") % {"qty": self.quantity, "sku": self.sku}
        if self.refund_due:
            text += " " + _("Refund due: %(amount)s.") % {"amount": self.refund_due}
        return text
