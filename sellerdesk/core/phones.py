"""Phone numbers: store and search by digits, whatever the formatting."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata

_NON_DIGITS = re.compile(r"\D+")
PHONE_QUERY = re.compile(r"^\+?[\d\s().\-]{5,}$")
# A part of a number as a person remembers it: "8(912)", "912 345", "345-67", "+7 912".
FRAGMENT_QUERY = re.compile(r"^\+?[\d\s().\-]+$")
MIN_FRAGMENT_DIGITS = 3  # fewer digits match too much (and no trigram index serves them)


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


def fragment_digits(query: str, region: str = "RU") -> list[str]:
    """The digit strings a stored number (E.164 digits) may contain for a typed fragment to match.

    `345-67` → ["34567"]; with the region's national prefix, `8(912)345` → ["8912345",
    "7912345"] (8 is RU's trunk prefix, 7 its country code), which also covers a whole number
    typed the national way. Empty when the query is not a fragment of a phone number.
    """
    text = (query or "").strip()
    if not FRAGMENT_QUERY.match(text):
        return []
    raw = digits(text)
    if len(raw) < MIN_FRAGMENT_DIGITS:
        return []
    out = [raw]
    if not text.startswith("+"):
        meta = PhoneMetadata.metadata_for_region(region)
        prefix = meta.national_prefix if meta is not None else None
        if meta is not None and prefix and raw.startswith(prefix) and len(raw) > len(prefix):
            out.append(f"{meta.country_code}{raw[len(prefix) :]}")
    return out


def e164(value: str, region: str = "RU") -> str | None:
    """The number in E.164 form (+79123456789) when it is a valid number, else None."""
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
