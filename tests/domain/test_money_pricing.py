"""Money rounding per currency and order totals (R-PAY-9)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sellerdesk.core.errors import InvalidInput
from sellerdesk.core.money import check_currency, fmt, quantize
from sellerdesk.orders.pricing import compute_totals, line_total

D = Decimal
MINOR = {"EUR": 2, "RUB": 2, "USD": 2, "JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3}


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("12.5", "EUR", "12.50"),
        ("1.005", "EUR", "1.01"),  # half up, as invoices do
        ("1.004", "EUR", "1.00"),
        ("1200", "JPY", "1200"),
        ("1200.5", "JPY", "1201"),
        ("1200.49", "JPY", "1200"),
        ("1.0005", "KWD", "1.001"),
        ("1.0004", "KWD", "1.000"),
        ("3", "KWD", "3.000"),
        ("-1.005", "EUR", "-1.01"),
    ],
)
def test_fmt_rounds_to_the_minor_unit(amount: str, currency: str, expected: str) -> None:
    assert fmt(D(amount), currency) == expected


amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False, allow_infinity=False)


@given(amount=amounts, currency=st.sampled_from(sorted(MINOR)))
def test_quantize_properties(amount: Decimal, currency: str) -> None:
    q = quantize(amount, currency)
    assert q.as_tuple().exponent == -MINOR[currency]
    assert abs(q - amount) <= D(1).scaleb(-MINOR[currency]) / 2
    assert quantize(q, currency) == q  # idempotent


def test_check_currency() -> None:
    assert check_currency("eur") == "EUR"
    assert check_currency("JPY") == "JPY"
    for bad in ("", "EURO", "XYZ", "eu"):
        with pytest.raises(InvalidInput) as err:
            check_currency(bad)
        assert err.value.code == "unknown_currency" and err.value.status == 422


def test_totals_example() -> None:
    t = compute_totals([(2, D("12.50")), (1, D("24.90"))], shipping=D("4"), discount=D("5"), currency="EUR")
    assert (t.subtotal, t.shipping, t.discount, t.total) == (D("49.90"), D("4.00"), D("5.00"), D("48.90"))


def test_totals_in_yen_and_dinar() -> None:
    yen = compute_totals([(3, D("333.4"))], shipping=D("500"), discount=D("0"), currency="JPY")
    assert (fmt(yen.subtotal, "JPY"), yen.total) == ("1000", D("1500"))
    kwd = compute_totals([(3, D("0.3335"))], shipping=D("1.0005"), discount=D("0"), currency="KWD")
    assert str(kwd.subtotal) == "1.001" and str(kwd.shipping) == "1.001" and str(kwd.total) == "2.002"


def test_discount_never_makes_the_total_negative() -> None:
    t = compute_totals([(1, D("10.00"))], shipping=D("2.00"), discount=D("50.00"), currency="EUR")
    assert t.discount == D("12.00") and t.total == 0


prices = st.decimals(min_value=0, max_value=100_000, places=4, allow_nan=False, allow_infinity=False)


@given(
    lines=st.lists(st.tuples(st.integers(1, 1000), prices), min_size=1, max_size=10),
    shipping=prices,
    discount=prices,
    currency=st.sampled_from(sorted(MINOR)),
)
def test_totals_reconcile(lines, shipping: Decimal, discount: Decimal, currency: str) -> None:
    """lines + shipping − discount = total, every part in the currency's minor unit, total ≥ 0."""
    t = compute_totals(lines, shipping=shipping, discount=discount, currency=currency)
    assert t.subtotal == sum(line_total(q, p, currency) for q, p in lines)
    assert t.total == t.subtotal + t.shipping - t.discount
    assert t.total >= 0 and 0 <= t.discount <= discount + D(1).scaleb(-MINOR[currency])
    for part in (t.subtotal, t.shipping, t.discount, t.total):
        assert quantize(part, currency) == part
