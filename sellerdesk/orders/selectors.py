"""Reads of orders: the filtered, searched, keyset-paginated list (R-LIST-1..4) and one order."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils.dateparse import parse_datetime

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.roles import can
from sellerdesk.core import phones
from sellerdesk.core.errors import InvalidInput, NotFound
from sellerdesk.core.replica import replica_reads
from sellerdesk.payments.models import Payment

from .filters import FILTERS
from .models import Order, OrderEvent
from .states import Action, available_actions

SORTS = {
    "created_at": "created_at",
    "total": "total",
    "payment_status": "payment_status",
    "fulfillment_status": "fulfillment_status",
    "ship_by": "ship_by",
    "number": "number",
}
MAX_LIMIT = 200
NUMBER_QUERY = re.compile(r"^#?(\d{1,12})$")


@dataclass
class OrderFilter:
    q: str = ""
    status: list[str] | None = None
    payment_status: list[str] | None = None
    fulfillment_status: list[str] | None = None
    total_min: Decimal | None = None
    total_max: Decimal | None = None
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None
    manager: str = ""  # a staff id, an e-mail, or "none"
    payment_method: str = ""
    shipping_method: str = ""
    sku: str = ""
    is_test: bool | None = None
    overdue: bool = False
    address_invalid: bool = False
    sort: str = "-created_at"

    def as_params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", False, []) or (f.name == "sort" and value == "-created_at"):
                continue
            out[f.name] = (
                ",".join(value)
                if isinstance(value, list)
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
        return out


def parse_filter(params: dict[str, Any]) -> OrderFilter:
    """Build an OrderFilter from query parameters (API, dashboard and export share it).

    Every filter is parsed by its declaration in `filters.FILTERS`. A list value (a repeated
    query parameter) is read for the filters that take several values.
    """
    for name, value in params.items():
        if "\x00" in str(value):
            raise InvalidInput("invalid_character", f"{name} must not contain NUL.", field=name)
    sort = str(params.get("sort") or "-created_at")
    if sort.lstrip("-") not in SORTS:
        raise InvalidInput(
            "invalid_sort",
            f"Sort by one of: {', '.join(SORTS)} (prefix - for descending).",
            field="sort",
        )
    q = str(params.get("q") or "").strip()
    if len(q) > 200:
        raise InvalidInput("query_too_long", "A search has at most 200 characters.", field="q")
    return OrderFilter(q=q, sort=sort, **{f.name: f.parse(params.get(f.name)) for f in FILTERS})


# --- search ------------------------------------------------------------------


def _fts_match(columns: list[str], term: str) -> str:
    quoted = '"' + term.replace('"', '""') + '"'
    return "{" + " ".join(columns) + "} : " + quoted


def _contains(qs: QuerySet[Order], columns: list[str], term: str) -> Q:
    """Substring match on the snapshot columns, through an index on either database.

    PostgreSQL: GIN trigram indexes serve ILIKE '%term%'. SQLite: an FTS5 trigram table
    (kept in step by triggers) serves terms of three or more characters.
    """
    if connection.vendor == "sqlite" and len(term) >= 3:
        from django.db.models.expressions import RawSQL

        return Q(
            id__in=RawSQL(
                "SELECT rowid FROM orders_order_fts WHERE orders_order_fts MATCH %s",
                [_fts_match(columns, term)],
            )
        )
    # SQLite's LIKE folds ASCII case only: for a short term, also try each spelling of its
    # letters' cases ("ив" → "ив", "иВ", "Ив", "ИВ") so that Cyrillic matches too.
    terms = _case_variants(term) if connection.vendor == "sqlite" else [term]
    q = Q()
    for col in columns:
        lookup = f"{col}__icontains" if col != "customer_phone_digits" else f"{col}__contains"
        for variant in terms:
            q |= Q(**{lookup: variant})
    return q


def _case_variants(term: str) -> list[str]:
    variants = [""]
    for ch in term[:2]:
        cases = dict.fromkeys([ch, ch.lower(), ch.upper()])
        variants = [v + c for v in variants for c in cases]
    return [v + term[2:] for v in variants]


def search_q(q: str, *, region: str) -> Q:
    """The free-text search: order number, part of a phone number, else name and e-mail."""
    q = q.strip()
    number = NUMBER_QUERY.match(q)
    out = Q()
    if number:
        out |= Q(number=int(number.group(1)))
    fragments = phones.fragment_digits(q, region)
    if fragments:
        for fragment in fragments:
            out |= _contains(Order.objects.none(), ["customer_phone_digits"], fragment)
        return out
    if number:
        return out
    return _contains(Order.objects.none(), ["customer_name", "customer_email"], q)


# --- the list ----------------------------------------------------------------


def _encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, field: str) -> tuple[Any, int]:
    """The (sort value, id) of a cursor issued for a list sorted by `field`, or 422."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != 2:
            raise ValueError
        value, last_id = values
        if isinstance(last_id, bool) or not isinstance(last_id, int) or not isinstance(value, str | int):
            raise ValueError
        value = str(value)
        if "\x00" in value:
            raise ValueError
        if field in ("created_at", "ship_by"):
            value = parse_datetime(value)  # raises ValueError on an impossible date
            if value is None:
                raise ValueError
        elif field == "total":
            value = Decimal(value)
            if not value.is_finite():
                raise ValueError
        elif field == "number":
            value = int(value)
        return value, last_id
    except (ValueError, TypeError, ArithmeticError):
        raise InvalidInput(
            "invalid_cursor", "The cursor is not one this API issued for this sort.", field="cursor"
        ) from None


def order_filter_queryset(*, seller_id: int, flt: OrderFilter, region: str = "RU") -> QuerySet[Order]:
    qs = Order.objects.filter(seller_id=seller_id)
    if flt.q:
        qs = qs.filter(search_q(flt.q, region=region))
    for f in FILTERS:
        value = getattr(flt, f.name)
        if f.active(value):
            qs = qs.filter(f.lookup(value))
    return qs


def order_list(
    *,
    seller_id: int,
    flt: OrderFilter,
    limit: int = 50,
    cursor: str | None = None,
    region: str = "RU",
) -> tuple[list[Order], str | None]:
    """One page of orders and the cursor of the next (None at the end). Never counts the table."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    desc = flt.sort.startswith("-")
    field = SORTS[flt.sort.lstrip("-")]
    # "Orders with SKU X by date" on PostgreSQL is read in order from the lines' (seller, sku,
    # created, order) index and joined to the orders, instead of testing EXISTS on every order of
    # the seller until a page is full (a rare SKU needs thousands of probes per page).
    by_line = bool(flt.sku) and field == "created_at" and connection.vendor == "postgresql"
    qs = order_filter_queryset(
        seller_id=seller_id, flt=replace(flt, sku="") if by_line else flt, region=region
    )
    if field == "ship_by":
        qs = qs.filter(ship_by__isnull=False)
    key, id_key = ("lines__order_created_at", "lines__order_id") if by_line else (field, "id")
    where = Q(lines__seller_id=seller_id, lines__sku=flt.sku) if by_line else Q()
    if cursor:
        value, last_id = _decode_cursor(cursor, field)
        op = "lt" if desc else "gt"
        # The first condition is redundant but sargable: the index scan starts at the cursor
        # instead of filtering every row before it (deep pages stay as fast as the first).
        where &= Q(**{f"{key}__{op}e": value}) & (
            Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"{id_key}__{op}": last_id})
        )
    qs = qs.filter(where)  # one filter(): the line conditions and the cursor share one join
    order_by = [f"-{key}", f"-{id_key}"] if desc else [key, id_key]
    if field == "number":
        order_by = order_by[:1]
    qs = qs.select_related("manager").order_by(*order_by)
    if by_line:
        qs = qs.distinct(key, id_key)  # an order with two lines of the SKU is one row
    with replica_reads():  # the list and search read from the replica when there is one
        rows = list(qs[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode_cursor([getattr(last, field), last.pk])
    return rows, next_cursor


def order_count(
    *, seller_id: int, flt: OrderFilter, cap: int = 10_000, region: str = "RU"
) -> tuple[int, bool]:
    """How many orders match, counted up to `cap` (returns (n, more_than_cap))."""
    qs = order_filter_queryset(seller_id=seller_id, flt=flt, region=region)
    with replica_reads():
        n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


def order_get(*, seller_id: int, number: int | str, whole: bool = True) -> Order:
    """One order with what its page shows (`whole=False`: the order row alone, for a fragment that
    needs only its identity). Another seller's order is NotFound (404)."""
    try:
        n = int(number)
    except (TypeError, ValueError):
        raise NotFound("order_not_found", f"There is no order {number!r}.") from None
    qs = Order.objects.filter(seller_id=seller_id, number=n)
    if whole:
        qs = qs.select_related("manager", "customer").prefetch_related(
            "lines", "notes", Prefetch("payments", queryset=Payment.objects.select_related("created_by"))
        )
    order = qs.first()
    if order is None:
        raise NotFound("order_not_found", f"There is no order {number}.")
    return order


def order_events(*, seller_id: int, number: int | str) -> list[OrderEvent]:
    order = order_get(seller_id=seller_id, number=number)
    return list(OrderEvent.objects.filter(order=order).select_related("actor_user").order_by("id"))


def order_timeline(*, order: Order) -> list[OrderEvent]:
    """The events of an order already read through `order_get` (one query)."""
    return list(OrderEvent.objects.filter(order=order).select_related("actor_user").order_by("id"))


# --- what an actor can do to an order -------------------------------------------------

# The transition actions the desk performs today, each with its writer, its API endpoint
# (POST /api/v1/orders/{number}/<action>) and its dashboard route (dashboard:order_<action>).
# `ship` waits for shipping (carrier, tracking): the table allows it, nothing offers it yet.
OFFERED_ACTIONS: tuple[Action, ...] = (
    Action.CONFIRM,
    Action.PROCESS,
    Action.DELIVER,
    Action.CLOSE,
    Action.CANCEL,
)


def order_actions(order: Order, actor: Actor) -> list[Action]:
    """The actions this actor may take on this order now, in the transition table's order.

    The API's `available_actions` and the order page's buttons are both this list.
    """
    from .services.lifecycle import facts_of  # services import this module's neighbours

    if actor.kind != "system" and not can(actor.role, "order.act"):
        return []
    return [a for a in available_actions(facts_of(order)) if a in OFFERED_ACTIONS]
