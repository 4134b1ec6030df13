"""Money: Decimal amounts with an ISO 4217 currency, rounded to the currency's minor unit."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import get_currency_precision, list_currencies

from .errors import InvalidInput

ZERO = Decimal("0")


@lru_cache(maxsize=1)
def known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def check_currency(code: str) -> str:
    code = (code or "").upper()
    if code not in known_currencies():
        raise InvalidInput(
            "unknown_currency", f"{code!r} is not an ISO 4217 currency code.", field="currency"
        )
    return code


@lru_cache(maxsize=512)
def _exponent(currency: str) -> Decimal:
    return Decimal(1).scaleb(-get_currency_precision(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round an amount to the currency's minor unit (half up, as invoices do)."""
    return amount.quantize(_exponent(currency), rounding=ROUND_HALF_UP)


def fmt(amount: Decimal, currency: str) -> str:
    """The canonical decimal string of an amount in its currency: '12.50', '1200' (JPY)."""
    return str(quantize(amount, currency))


def minor_units(amount: Decimal, currency: str) -> int:
    """The amount as an integer count of the currency's minor unit (what payment APIs take): 12.50 EUR → 1250."""
    return int(quantize(amount, currency).scaleb(get_currency_precision(currency)))


def from_minor_units(value: int, currency: str) -> Decimal:
    """The inverse of `minor_units`: 1250 EUR → 12.50."""
    return quantize(Decimal(value).scaleb(-get_currency_precision(currency)), currency)
