"""Phone numbers are stored and searched by digits, whatever the formatting (R-LIST-2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sellerdesk.core.phones import digits, fragment_digits, looks_like_phone, normalize


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+7 912 345-67-89", "RU", "79123456789"),
        ("8 (912) 345 67 89", "RU", "79123456789"),
        ("+79123456789", "RU", "79123456789"),
        ("030 1234567", "DE", "49301234567"),
        ("+49 30 1234567", "RU", "49301234567"),
        ("12", "RU", "12"),  # not a possible number: its raw digits
        ("", "RU", ""),
        ("no digits", "RU", ""),
    ],
)
def test_normalize(raw: str, region: str, expected: str) -> None:
    assert normalize(raw, region) == expected


separators = st.lists(st.sampled_from([" ", "-", "(", ")", ".", ""]), min_size=10, max_size=10)


@given(seps=separators)
def test_formatting_does_not_matter(seps: list[str]) -> None:
    number = "9123456789"
    formatted = "+7" + "".join(sep + d for sep, d in zip(seps, number, strict=True))
    assert normalize(formatted) == "79123456789"
    assert digits(formatted) == "79123456789"
    assert looks_like_phone(formatted)


@given(st.text(max_size=30))
def test_normalize_never_fails_and_gives_digits(text: str) -> None:
    out = normalize(text)
    assert out == "" or out.isdecimal()


def test_looks_like_phone() -> None:
    assert looks_like_phone("+7 912 345")
    assert not looks_like_phone("1042")  # an order number is too short
    assert not looks_like_phone("anna@example.com")


@pytest.mark.parametrize(
    ("query", "region", "expected"),
    [
        ("8(912)", "RU", ["8912", "7912"]),
        ("8(912)345", "RU", ["8912345", "7912345"]),
        ("345-67", "RU", ["34567"]),
        ("+7 912", "RU", ["7912"]),
        ("030 123", "DE", ["030123", "4930123"]),
        ("12", "RU", []),  # too short to mean a phone
        ("anna", "RU", []),
        ("#123", "RU", []),
    ],
)
def test_fragment_digits_understand_the_national_prefix(query: str, region: str, expected: list[str]) -> None:
    assert fragment_digits(query, region) == expected
