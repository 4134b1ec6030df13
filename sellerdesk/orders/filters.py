"""The filters of the orders list, declared once (R-LIST-2/3/6/7).

Each filter is one row of FILTERS: its query parameter, its label, how a raw value is parsed
(bad input raises InvalidInput: a 422 on the API, a form error in the dashboard), the database
lookup it adds, and its keys in the search syntax (`status:confirmed total:>50 …`). From this
table come:

- `selectors.parse_filter` and `selectors.order_filter_queryset` (the API, the dashboard list,
  the export and bulk actions all read orders through them);
- the search syntax's keys (`query_syntax`) and `apply_syntax`, which turns a `q` holding
  tokens into parameters — the API and the dashboard call the same function;
- the API's documented query parameters (`api_query_schema`: OpenAPI with their enums);
- the dashboard's filter keys, labels and choices.

VIEWS (the tabs of the list) are declared here too, as parameters of these filters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sellerdesk.core.errors import InvalidInput

from . import deadlines
from .methods import PAYMENT_CHOICES, SHIPPING_CHOICES
from .models import OrderLine
from .states import FulfillmentStatus, PaymentStatus, Status

# --- parsers: raw query value -> typed value (None or "" or False: not filtering) -------------

TRUE = ("true", "yes", "1", "on")
FALSE = ("false", "no", "0", "off")


def _values(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list | tuple) else [raw]
    return [v.strip() for item in items for v in str(item).split(",") if v.strip()]


def parse_choices(raw: Any, allowed: type[StrEnum], name: str) -> list[str] | None:
    if not raw:
        return None
    out = _values(raw)
    valid = {m.value for m in allowed}
    bad = [v for v in out if v not in valid]
    if bad:
        raise InvalidInput(
            f"invalid_{name}",
            f"Unknown {name}: {', '.join(bad)}; one of {', '.join(sorted(valid))}.",
            field=name,
        )
    return list(dict.fromkeys(out)) or None


def parse_amount(raw: Any, name: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise InvalidInput("invalid_amount", f"{name} must be a number.", field=name) from None
    if not value.is_finite() or abs(value) > Decimal("1e12"):
        raise InvalidInput("invalid_amount", f"{name} is out of range.", field=name)
    return value


def parse_when(raw: Any, name: str, end_of_day: bool = False) -> dt.datetime | None:
    if raw in (None, ""):
        return None
    raw = str(raw)
    try:
        # A plain date first: parse_datetime also reads "2025-03-11" (as midnight), which
        # would make created_before exclude the very day it names.
        day = parse_date(raw) if len(raw) <= 10 else None
        if day is not None:
            value = dt.datetime.combine(day + dt.timedelta(days=1 if end_of_day else 0), dt.time())
        else:
            parsed = parse_datetime(raw)
            if parsed is None:
                raise ValueError
            value = parsed
    except (ValueError, OverflowError):
        raise InvalidInput(
            "invalid_date", f"{name} must be a date (YYYY-MM-DD) or an ISO 8601 time.", field=name
        ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_current_timezone())
    return value


def parse_bool(raw: Any, name: str) -> bool | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise InvalidInput("invalid_boolean", f"{name} must be true or false.", field=name)


# --- lookups: typed value -> Q ---------------------------------------------------------------


def _manager_q(value: str) -> Q:
    if value == "none":
        return Q(manager__isnull=True)
    if value.isdigit():
        return Q(manager_id=int(value))
    m = value.lower()
    return (
        Q(manager__email__iexact=m)
        | Q(manager__email__istartswith=m + "@")
        | Q(manager__first_name__iexact=m)
    )


def _sku_q(value: str) -> Q:
    return Q(Exists(OrderLine.objects.filter(order=OuterRef("pk"), sku=value)))


# --- the table ---------------------------------------------------------------------------------


class Kind(StrEnum):
    CHOICES = "choices"  # one or more values of an enum (comma-separated or repeated)
    AMOUNT = "amount"
    DATE = "date"
    TEXT = "text"
    BOOL = "bool"
    FLAG = "flag"  # a boolean that filters only when true


@dataclass(frozen=True)
class Filter:
    name: str  # the query parameter (and the OrderFilter field)
    label: str | Promise
    kind: Kind
    lookup: Callable[[Any], Q]
    syntax: tuple[str, ...] = ()  # keys in the search syntax; a range's two ends share one key
    choices: tuple[tuple[str, str | Promise], ...] = ()  # (value, label)
    enum: type[StrEnum] | None = None
    end: str = ""  # for a range: "min" or "max"
    max_length: int = 0  # TEXT: longer input is cut
    example: str = ""  # a value in the search syntax, for error messages
    description: str = ""

    def parse(self, raw: Any) -> Any:
        if self.kind is Kind.CHOICES:
            assert self.enum is not None
            return parse_choices(raw, self.enum, self.name)
        if self.kind is Kind.AMOUNT:
            return parse_amount(raw, self.name)
        if self.kind is Kind.DATE:
            return parse_when(raw, self.name, end_of_day=self.end == "max")
        if self.kind is Kind.BOOL:
            return parse_bool(raw, self.name)
        if self.kind is Kind.FLAG:
            return bool(parse_bool(raw, self.name))
        text = str(raw or "").strip()[: self.max_length or 200]
        if text and self.choices and text not in self.values:
            raise InvalidInput(
                f"invalid_{self.name}",
                f"Unknown {self.name}: {text}; one of {', '.join(self.values)}.",
                field=self.name,
            )
        return text

    def active(self, value: Any) -> bool:
        """Whether the parsed value filters at all (is_test=false does; overdue=false does not)."""
        if self.kind is Kind.BOOL:
            return value is not None
        return value not in (None, "", False, [])

    @property
    def values(self) -> list[str]:
        """The values an API client may send (for the OpenAPI enum)."""
        if self.choices:
            return [v for v, _label in self.choices]
        if self.kind in (Kind.BOOL, Kind.FLAG):
            return [*TRUE, *FALSE]
        return []


def _labels(enum: type[StrEnum]) -> tuple[tuple[str, str | Promise], ...]:
    return tuple((m.value, m.value.replace("_", " ").capitalize()) for m in enum)


FILTERS: tuple[Filter, ...] = (
    Filter(
        "status",
        _("Status"),
        Kind.CHOICES,
        lambda v: Q(status__in=v),
        syntax=("status",),
        enum=Status,
        choices=_labels(Status),
        example="confirmed",
        description="Order status; several comma-separated or repeated.",
    ),
    Filter(
        "payment_status",
        _("Payment status"),
        Kind.CHOICES,
        lambda v: Q(payment_status__in=v),
        syntax=("payment", "paid"),
        enum=PaymentStatus,
        choices=_labels(PaymentStatus),
        example="unpaid",
        description="Payment status; several comma-separated or repeated.",
    ),
    Filter(
        "fulfillment_status",
        _("Fulfillment status"),
        Kind.CHOICES,
        lambda v: Q(fulfillment_status__in=v),
        syntax=("fulfillment", "fulfilment"),
        enum=FulfillmentStatus,
        choices=_labels(FulfillmentStatus),
        example="unfulfilled",
        description="Fulfillment status; several comma-separated or repeated.",
    ),
    Filter(
        "total_min",
        _("Total from"),
        Kind.AMOUNT,
        lambda v: Q(total__gte=v),
        syntax=("total",),
        end="min",
        example=">50",
        description="Smallest order total (inclusive).",
    ),
    Filter(
        "total_max",
        _("Total to"),
        Kind.AMOUNT,
        lambda v: Q(total__lte=v),
        syntax=("total",),
        end="max",
        example="<50",
        description="Largest order total (inclusive).",
    ),
    Filter(
        "created_after",
        _("Created from"),
        Kind.DATE,
        lambda v: Q(created_at__gte=v),
        syntax=("created",),
        end="min",
        example=">2026-01-01",
        description="Placed on or after this date (YYYY-MM-DD) or time (ISO 8601).",
    ),
    Filter(
        "created_before",
        _("Created to"),
        Kind.DATE,
        lambda v: Q(created_at__lt=v),
        syntax=("created",),
        end="max",
        example="<2026-01-31",
        description="Placed on or before this date (the whole day) or before this time.",
    ),
    Filter(
        "manager",
        _("Manager"),
        Kind.TEXT,
        _manager_q,
        syntax=("manager",),
        max_length=254,
        example="anna",
        description='A staff id, an e-mail (or the part before @), a first name, or "none".',
    ),
    Filter(
        "payment_method",
        _("Payment method"),
        Kind.TEXT,
        lambda v: Q(payment_method=v),
        syntax=("method", "pay_method"),
        choices=tuple(PAYMENT_CHOICES),
        max_length=32,
        example="online",
        description="Payment method.",
    ),
    Filter(
        "shipping_method",
        _("Shipping method"),
        Kind.TEXT,
        lambda v: Q(shipping_method=v),
        syntax=("shipping", "ship"),
        choices=tuple(SHIPPING_CHOICES),
        max_length=32,
        example="carrier",
        description="Shipping method.",
    ),
    Filter(
        "sku",
        _("SKU"),
        Kind.TEXT,
        _sku_q,
        syntax=("sku",),
        max_length=64,
        example="MUG-01",
        description="Orders with a line of this SKU.",
    ),
    Filter(
        "is_test",
        _("Test orders"),
        Kind.BOOL,
        lambda v: Q(is_test=v),
        syntax=("test",),
        example="yes",
        description="true: only test orders; false: no test orders.",
    ),
    Filter(
        "overdue",
        _("Overdue only"),
        Kind.FLAG,
        lambda v: deadlines.overdue_q(timezone.now()),
        syntax=("overdue",),
        example="yes",
        description="Only orders past their live deadline (confirm-by while pending, ship-by until shipped).",
    ),
    Filter(
        "address_invalid",
        _("Address problems"),
        Kind.FLAG,
        lambda v: ~Q(address_errors={}),
        syntax=("address_invalid",),
        example="yes",
        description="Only orders whose shipping address failed the check.",
    ),
)
BY_NAME: dict[str, Filter] = {f.name: f for f in FILTERS}
# Parameters beside the filters: the free-text search and the sort (they make up a saved view too).
PARAMS: tuple[str, ...] = ("q", *BY_NAME, "sort")
LIST_PARAMS: frozenset[str] = frozenset(f.name for f in FILTERS if f.kind is Kind.CHOICES)
LABELS: dict[str, str | Promise] = {
    "q": _("Search"),
    **{f.name: f.label for f in FILTERS},
    "sort": _("Sort"),
    "cursor": _("Page"),
}
# The search syntax: key -> the filters it sets (two for a range).
SYNTAX: dict[str, tuple[Filter, ...]] = {}
for _f in FILTERS:
    for _key in _f.syntax:
        SYNTAX[_key] = (*SYNTAX.get(_key, ()), _f)


# --- views: the tabs of the list -------------------------------------------------------------


@dataclass(frozen=True)
class View:
    key: str
    label: str | Promise
    params: dict[str, str]
    columns: tuple[str, ...] = ()  # list columns the tab always shows (beside the user's choice)


VIEWS: tuple[View, ...] = (
    View("all", _("All"), {}),
    View("to_confirm", _("To confirm"), {"status": "pending"}),
    # Confirmed or processing: not every unit is handed over yet (the order turns shipped when the
    # last one is). Soonest ship-by first, with the time left (R-SLA-2, R-FUL-1).
    View(
        "to_ship",
        _("To ship"),
        {"status": "confirmed,processing", "sort": "ship_by"},
        columns=("ship_by",),
    ),
    View(
        "unpaid",
        _("Unpaid"),
        {"status": "pending,confirmed,processing,shipped,delivered", "payment_status": "unpaid"},
    ),
    View("overdue", _("Overdue"), {"overdue": "true"}),
)
VIEWS_BY_KEY: dict[str, View] = {v.key: v for v in VIEWS}


# --- the search syntax in q, for the API and the dashboard alike ---------------------------


def apply_syntax(params: dict[str, str]) -> dict[str, str]:
    """Turn the tokens of `q` into parameters; its plain words stay in `q`.

    Raises InvalidInput `invalid_query` (naming the token) for a malformed search.
    """
    from . import query_syntax

    out = dict(params)
    q = out.get("q", "")
    if ":" not in q:
        return out
    try:
        parsed = query_syntax.parse(q)
    except query_syntax.SyntaxProblem as problem:
        raise InvalidInput("invalid_query", problem.message, field="q", token=problem.token) from None
    for key, value in parsed.params.items():
        if key in LIST_PARAMS and out.get(key):
            out[key] = ",".join(dict.fromkeys([*out[key].split(","), *value.split(",")]))
        else:
            out[key] = value
    if parsed.text:
        out["q"] = parsed.text
    else:
        out.pop("q", None)
    return out


# --- the API's query parameters --------------------------------------------------------------


def openapi_schema(f: Filter) -> dict[str, Any]:
    """The OpenAPI schema of one filter's query parameter (with its enum)."""
    schema: dict[str, Any] = {"type": "string", "description": f.description}
    values = f.values
    if f.kind is Kind.CHOICES:
        one = "|".join(values)
        schema["anyOf"] = [
            {"type": "string", "enum": values},
            {"type": "string", "pattern": f"^({one})(,({one}))*$"},
        ]
        del schema["type"]
    elif values:
        schema["enum"] = values
    return schema
