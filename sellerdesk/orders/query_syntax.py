"""The power-user search syntax of the orders list (R-LIST-2/3). Pure: no ORM, no Django.

    status:confirmed payment:unpaid sku:MUG-01 total:>50 total:10..20 manager:anna
    created:>2026-01-01 created:2026-01-01..2026-01-31 test:yes overdue:yes anna

`key:value` tokens become filter parameters (the names `selectors.parse_filter` reads);
every other word stays in the free-text `q` (name, e-mail, phone, number). Values with
spaces are quoted: manager:"anna k". Several values of a list key are joined with commas
(status:pending,confirmed) or by repeating the key. An unknown key raises SyntaxProblem.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

# key in the box -> filter parameter
LIST_KEYS = {
    "status": "status",
    "payment": "payment_status",
    "paid": "payment_status",
    "fulfillment": "fulfillment_status",
    "fulfilment": "fulfillment_status",
}
TEXT_KEYS = {
    "sku": "sku",
    "manager": "manager",
    "method": "payment_method",
    "pay_method": "payment_method",
    "shipping": "shipping_method",
    "ship": "shipping_method",
}
BOOL_KEYS = {"test": "is_test", "overdue": "overdue", "address_invalid": "address_invalid"}
RANGE_KEYS = {"total", "created"}
KNOWN_KEYS = sorted([*LIST_KEYS, *TEXT_KEYS, *BOOL_KEYS, *RANGE_KEYS])

TOKEN = re.compile(r'(?P<key>[A-Za-z_]+):(?P<value>"[^"]*"|\S*)|"(?P<phrase>[^"]*)"|(?P<word>\S+)')
COMPARISON = re.compile(r"^(?P<op>>=|<=|>|<|=)?(?P<value>.+)$")
CENT = Decimal("0.0001")  # the smallest amount the database stores


class SyntaxProblem(ValueError):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass
class Parsed:
    params: dict[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def has_tokens(self) -> bool:
        return bool(self.params)


def _bool(key: str, value: str) -> str:
    v = value.lower()
    if v in {"yes", "true", "1", "on", "y"}:
        return "true"
    if v in {"no", "false", "0", "off", "n"}:
        return "false"
    raise SyntaxProblem(key, f"{key}: takes yes or no, not {value!r}.")


def _amount(key: str, raw: str) -> Decimal:
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise SyntaxProblem(key, f"{key}: {raw!r} is not an amount.") from None
    if not value.is_finite():
        raise SyntaxProblem(key, f"{key}: {raw!r} is not an amount.")
    return value


def _day(key: str, raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise SyntaxProblem(key, f"{key}: {raw!r} is not a date (YYYY-MM-DD).") from None


def _range(key: str, value: str) -> dict[str, str]:
    """total:>50, total:<=20, total:10..20, total:15; created: the same with dates."""
    lo_name, hi_name = ("total_min", "total_max") if key == "total" else ("created_after", "created_before")
    if ".." in value:
        lo_raw, hi_raw = value.split("..", 1)
        out = {}
        if lo_raw:
            out[lo_name] = lo_raw
        if hi_raw:
            out[hi_name] = hi_raw
        if not out:
            raise SyntaxProblem(key, f"{key}: give at least one end of the range.")
        for name, raw in out.items():
            if key == "total":
                out[name] = str(_amount(key, raw))
            else:
                out[name] = _day(key, raw).isoformat()
        return out
    m = COMPARISON.match(value)
    if not m:
        raise SyntaxProblem(key, f"{key}: needs a value.")
    op, raw = m.group("op") or "=", m.group("value")
    if key == "total":
        amount = _amount(key, raw)
        return {
            ">": {lo_name: str(amount + CENT)},
            ">=": {lo_name: str(amount)},
            "<": {hi_name: str(amount - CENT)},
            "<=": {hi_name: str(amount)},
            "=": {lo_name: str(amount), hi_name: str(amount)},
        }[op]
    day = _day(key, raw)
    one = dt.timedelta(days=1)
    # created_after is inclusive from the start of its day; created_before includes its whole day.
    return {
        ">": {lo_name: (day + one).isoformat()},
        ">=": {lo_name: day.isoformat()},
        "<": {hi_name: (day - one).isoformat()},
        "<=": {hi_name: day.isoformat()},
        "=": {lo_name: day.isoformat(), hi_name: day.isoformat()},
    }[op]


def parse(query: str) -> Parsed:
    """Split a search box into filter parameters and free text. Raises SyntaxProblem."""
    out = Parsed()
    words: list[str] = []
    for m in TOKEN.finditer(query or ""):
        if m.group("phrase") is not None:
            if m.group("phrase").strip():
                words.append(m.group("phrase").strip())
            continue
        if m.group("word") is not None:
            words.append(m.group("word"))
            continue
        key = m.group("key").lower()
        value = m.group("value")
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1]
        value = value.strip()
        if key not in KNOWN_KEYS:
            raise SyntaxProblem(key, f"Unknown search key {key!r}. Known keys: {', '.join(KNOWN_KEYS)}.")
        if not value:
            raise SyntaxProblem(key, f"{key}: needs a value, e.g. {key}:{_example(key)}.")
        if key in LIST_KEYS:
            name = LIST_KEYS[key]
            values = [v.strip().lower() for v in value.split(",") if v.strip()]
            existing = [v for v in out.params.get(name, "").split(",") if v]
            out.params[name] = ",".join(dict.fromkeys([*existing, *values]))
        elif key in TEXT_KEYS:
            out.params[TEXT_KEYS[key]] = value
        elif key in BOOL_KEYS:
            out.params[BOOL_KEYS[key]] = _bool(key, value)
        else:
            out.params.update(_range(key, value))
    out.text = " ".join(words)
    return out


def _example(key: str) -> str:
    return {
        "status": "confirmed",
        "payment": "unpaid",
        "paid": "paid",
        "fulfillment": "unfulfilled",
        "fulfilment": "unfulfilled",
        "sku": "MUG-01",
        "manager": "anna",
        "total": ">50",
        "created": ">2026-01-01",
        "test": "yes",
        "overdue": "yes",
    }.get(key, "value")
