"""Payment providers: how money is recorded for each payment method.

A provider records a payment on the order's ledger and says which kind of row it writes. The
offline provider ("manual") is the first: staff record money received outside SellerDesk (cash,
card on delivery, bank transfer, or an online payment confirmed by hand). Online providers come
later as new implementations and rows in `PROVIDERS`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from sellerdesk.accounts.actors import Actor
from sellerdesk.orders.methods import PAYMENT_CHOICES
from sellerdesk.orders.models import Order

from .models import Payment, PaymentKind


class PaymentProvider(Protocol):
    name: str

    def record(self, order: Order, *, amount: Decimal, reference: str, actor: Actor) -> Payment:
        """Write the payment row of `amount` (already checked against the outstanding balance)."""
        ...


class OfflineProvider:
    """Money received outside SellerDesk, recorded by a staff member."""

    name = "manual"

    def record(self, order: Order, *, amount: Decimal, reference: str, actor: Actor) -> Payment:
        return Payment.objects.create(
            order=order,
            kind=PaymentKind.OFFLINE,
            amount=amount,
            currency=order.currency,
            provider=self.name,
            reference=reference[:200],
            created_by=actor.user,
        )


OFFLINE = OfflineProvider()

# The provider that records a hand-marked payment, per payment method.
PROVIDERS: dict[str, PaymentProvider] = {method: OFFLINE for method, _ in PAYMENT_CHOICES}


def provider_for(payment_method: str) -> PaymentProvider:
    return PROVIDERS.get(payment_method, OFFLINE)
