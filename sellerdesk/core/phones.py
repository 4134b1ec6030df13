"""Phone numbers: store and search by digits, whatever the formatting."""

from __future__ import annotations

import re

import phonenumbers

_NON_DIGITS = re.compile(r"\D+")
PHONE_QUERY = re.compile(r"^\+?[\d\s().\-]{5,}$")


def digits(value: str) -> str:
    return _NON_DIGITS.sub("", value or "")


def normalize(value: str, region: str = "RU") -> str:
    """Digits of the E.164 form when the number parses (+7 912 → 7912…), else its raw digits."""
    raw = digits(value)
    if not raw:
        return ""
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_possible_number(parsed):
        return raw
    return digits(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def looks_like_phone(query: str) -> bool:
    return bool(PHONE_QUERY.match(query.strip())) and len(digits(query)) >= 5
