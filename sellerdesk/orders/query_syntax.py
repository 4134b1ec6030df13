"""The power-user search syntax of the orders list (R-LIST-2/3). No queries: text in, parameters out.

    status:confirmed payment:unpaid sku:MUG-01 total:>50 total:10..20 manager:anna
    created:>2026-01-01 created:2026-01-01..2026-01-31 test:yes overdue:yes anna

`key:value` tokens become filter parameters (the keys are declared with the filters in
`orders/filters.py`); every other word stays in the free-text `q` (name, e-mail, phone, number). Values with
spaces are quoted: manager:"anna k". Several values of a list key are joined with commas
(status:pending,confirmed) or by repeating the key. An unknown key raises SyntaxProblem.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .filters import SYNTAX, Filter, Kind

# The keys come from the filters' declarations (orders/filters.py): one table for every entry point.
KNOWN_KEYS = sorted(SYNTAX)

TOKEN = re.compile(r'(?P<key>[A-Za-z_]+):(?P<value>"[^"]*"|\S*)|"(?P<phrase>[^"]*)"|(?P<word>\S+)')
COMPARISON = re.compile(r"^(?P<op>>=|<=|>|<|=)?(?P<value>.+)$")
CENT = Decimal("0.0001")  # the smallest amount the database stores


class SyntaxProblem(ValueError):
    def __init__(self, key: str, message: str, token: str = "") -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.token = token or key


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


def _range(key: str, value: str, specs: tuple[Filter, ...]) -> dict[str, str]:
    """total:>50, total:<=20, total:10..20, total:15; created: the same with dates."""
    lo_name = next(f.name for f in specs if f.end == "min")
    hi_name = next(f.name for f in specs if f.end == "max")
    amounts = specs[0].kind is Kind.AMOUNT
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
            if amounts:
                out[name] = str(_amount(key, raw))
            else:
                out[name] = _day(key, raw).isoformat()
        return out
    m = COMPARISON.match(value)
    if not m:
        raise SyntaxProblem(key, f"{key}: needs a value.")
    op, raw = m.group("op") or "=", m.group("value")
    if amounts:
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
        token = m.group(0)
        value = m.group("value")
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1]
        value = value.strip()
        specs = SYNTAX.get(key)
        try:
            if specs is None:
                raise SyntaxProblem(key, f"Unknown search key {key!r}. Known keys: {', '.join(KNOWN_KEYS)}.")
            if not value:
                raise SyntaxProblem(key, f"{key}: needs a value, e.g. {key}:{specs[0].example or 'value'}.")
            _apply(out.params, key, value, specs)
        except SyntaxProblem as problem:
            raise SyntaxProblem(problem.key, f"{problem.message} (in {token!r})", token) from None
    out.text = " ".join(words)
    return out


def _apply(params: dict[str, str], key: str, value: str, specs: tuple[Filter, ...]) -> None:
    spec = specs[0]
    if spec.kind is Kind.CHOICES:
        values = [v.strip().lower() for v in value.split(",") if v.strip()]
        existing = [v for v in params.get(spec.name, "").split(",") if v]
        params[spec.name] = ",".join(dict.fromkeys([*existing, *values]))
    elif spec.kind is Kind.TEXT:
        params[spec.name] = value
    elif spec.kind in (Kind.BOOL, Kind.FLAG):
        params[spec.name] = _bool(key, value)
    else:
        params.update(_range(key, value, specs))
