"""Order totals, computed in this one place (R-PAY-9): lines + shipping − discount = total."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sellerdesk.core.money import ZERO, quantize


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount: Decimal
    shipping: Decimal
    total: Decimal


def line_total(quantity: int, unit_price: Decimal, currency: str) -> Decimal:
    return quantize(unit_price * quantity, currency)


def compute_totals(
    lines: Iterable[tuple[int, Decimal]], *, shipping: Decimal, discount: Decimal, currency: str
) -> Totals:
    subtotal = sum((line_total(q, p, currency) for q, p in lines), ZERO)
    shipping = quantize(shipping, currency)
    discount = min(quantize(discount, currency), subtotal + shipping)
    return Totals(
        subtotal=subtotal,
        discount=discount,
        shipping=shipping,
        total=subtotal + shipping - discount,
    )
