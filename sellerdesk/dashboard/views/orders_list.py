"""The orders list (R-LIST-1..4): filters in the URL, search syntax, saved views as tabs, columns per user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sellerdesk.accounts.selectors import assignable_managers
from sellerdesk.conversations.selectors import mark_unread
from sellerdesk.core.errors import DomainError
from sellerdesk.dashboard import selectors as dash_selectors
from sellerdesk.dashboard import services as dash_services
from sellerdesk.dashboard.permissions import staff_view, user_id_of
from sellerdesk.dashboard.templatetags.dashboard import FULFILLMENT_LABELS, PAYMENT_LABELS, STATUS_LABELS
from sellerdesk.orders import filters, selectors
from sellerdesk.orders.filters import Kind
from sellerdesk.orders.selectors import OrderFilter

PAGE_SIZE = 50
COUNT_CAP = 10_000
MAX_BACK = 40

# The parameters that make up a filter (what a saved view stores and an export repeats), the
# tabs, the labels and the choices: all declared once with the filters (orders/filters.py).
FILTER_KEYS = list(filters.PARAMS)
LIST_KEYS = filters.LIST_PARAMS
ADVANCED_KEYS = [k for k in FILTER_KEYS if k not in {"q", "total_min", "total_max", "sort"}]
BUILTIN = {v.key: (v.label, v.params) for v in filters.VIEWS}

OPTIONAL_COLUMNS: list[tuple[str, Any]] = [
    ("items", gettext_lazy("Items (SKU × qty)")),
    ("ship_by", gettext_lazy("Ship by")),
    ("manager", gettext_lazy("Manager")),
    ("phone", gettext_lazy("Phone")),
    ("email", gettext_lazy("E-mail")),
    ("payment_method", gettext_lazy("Payment method")),
    ("shipping_method", gettext_lazy("Shipping method")),
]
DEFAULT_COLUMNS = ["manager"]
COLUMNS_PREF = "order_columns"

SORTABLE = {
    "created_at": gettext_lazy("Created"),
    "total": gettext_lazy("Total"),
    "payment_status": gettext_lazy("Payment"),
    "fulfillment_status": gettext_lazy("Fulfillment"),
}


# --- the filter from the URL -----------------------------------------------------------


def raw_params(data: QueryDict | dict[str, Any]) -> dict[str, str]:
    """The filter parameters as given (lists joined by commas), empty ones dropped."""
    out: dict[str, str] = {}
    for key in FILTER_KEYS:
        if isinstance(data, QueryDict):
            values = [v.strip() for v in data.getlist(key) if v and v.strip()]
        else:
            value = data.get(key)
            values = [str(value).strip()] if value not in (None, "") else []
        if not values:
            continue
        out[key] = ",".join(values) if key in LIST_KEYS else values[-1]
    if out.get("sort") == "-created_at":
        out.pop("sort")
    return out


def effective_params(raw: dict[str, str]) -> dict[str, str]:
    """Apply the search syntax in `q` (the API's function): its tokens become parameters."""
    return filters.apply_syntax(raw)


@dataclass
class ListFilter:
    raw: dict[str, str]
    flt: OrderFilter | None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def canonical(self) -> dict[str, Any] | None:
        return self.flt.as_params() if self.flt else None

    @property
    def query(self) -> str:
        return urlencode(sorted(self.raw.items()))


def read_filter(data: QueryDict | dict[str, Any]) -> ListFilter:
    raw = raw_params(data)
    try:
        flt = selectors.parse_filter(effective_params(raw))
    except DomainError as error:
        name = str(error.extra.get("field") or "q")
        return ListFilter(raw, None, {name if name in FILTER_KEYS else "q": error.detail})
    return ListFilter(raw, flt)


def same_filter(a: dict[str, str], b: dict[str, str]) -> bool:
    left, right = read_filter(a), read_filter(b)
    if left.flt and right.flt:
        return left.canonical == right.canonical
    return left.raw == right.raw


# --- the advanced search: one field per declared filter ---------------------------------------

# Filters shown in the search row above the advanced part (the free text and the total range).
SEARCH_ROW = {"total_min", "total_max"}
# The dashboard's own (translated) labels of the status values, shared with the badges.
CHOICE_LABELS: dict[str, dict[str, Any]] = {
    "status": STATUS_LABELS,
    "payment_status": PAYMENT_LABELS,
    "fulfillment_status": FULFILLMENT_LABELS,
}


def advanced_fields(raw: dict[str, str], errors: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """The advanced search's fields, generated from `filters.FILTERS` and grouped by widget."""
    groups: dict[str, list[dict[str, Any]]] = {"checks": [], "inputs": [], "flags": []}
    for f in filters.FILTERS:
        if f.name in SEARCH_ROW:
            continue
        labels = CHOICE_LABELS.get(f.name, {})
        field = {
            "name": f.name,
            "label": f.label,
            "kind": f.kind.value,
            "value": raw.get(f.name, ""),
            "selected": set(raw.get(f.name, "").split(",")),
            "choices": [(v, labels.get(v, label)) for v, label in f.choices],
            "error": errors.get(f.name, ""),
        }
        kind = f.kind
        groups["checks" if kind is Kind.CHOICES else "flags" if kind is Kind.FLAG else "inputs"].append(field)
    return groups


# --- the page --------------------------------------------------------------------------


def _columns(user: Any) -> list[str]:
    chosen = (user.preferences or {}).get(COLUMNS_PREF)
    if not isinstance(chosen, list):
        return list(DEFAULT_COLUMNS)
    known = {key for key, _ in OPTIONAL_COLUMNS}
    return [c for c in chosen if c in known]


def _active_view(request: HttpRequest, lf: ListFilter, saved: list[Any]) -> dict[str, Any]:
    """Which tab is active, and whether the filter differs from it ("unsaved changes")."""
    key = request.GET.get("view", "")
    if key in BUILTIN:
        label, params = BUILTIN[key]
        return {"key": key, "label": label, "saved": None, "dirty": not same_filter(lf.raw, params)}
    if key.isdigit():
        view = next((v for v in saved if v.pk == int(key)), None)
        if view is not None:
            params = raw_params(QueryDict(view.query))
            return {"key": key, "label": view.name, "saved": view, "dirty": not same_filter(lf.raw, params)}
    for bkey, (label, params) in BUILTIN.items():
        if same_filter(lf.raw, params):
            return {"key": bkey, "label": label, "saved": None, "dirty": False}
    return {"key": "", "label": "", "saved": None, "dirty": False}


def _view_filter(data: QueryDict, saved: list[Any]) -> QueryDict | dict[str, str]:
    """A URL that names a view (`?view=to_confirm`, `?view=12`) and no filter of its own lists
    that view's orders; filter parameters given beside it win (they are the view's unsaved changes)."""
    key = data.get("view", "")
    if not key or any(k in data for k in FILTER_KEYS):
        return data
    if key in BUILTIN:
        return dict(BUILTIN[key][1])
    view = next((v for v in saved if key.isdigit() and v.pk == int(key)), None)
    return QueryDict(view.query) if view is not None else data


def _back_stack(raw: str) -> list[str]:
    return [c for c in raw.split(".") if c][-MAX_BACK:] if raw else []


def list_context(request: HttpRequest) -> tuple[dict[str, Any], int]:
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    user = request.user
    saved = list(dash_selectors.saved_views_for(seller_id=seller.pk, user_id=user_id_of(request)))
    lf = read_filter(_view_filter(request.GET, saved))
    cursor = request.GET.get("cursor") or None
    back = _back_stack(request.GET.get("back", ""))
    rows: list[Any] = []
    next_cursor = None
    total, more = 0, False
    if lf.flt is not None:
        try:
            rows, next_cursor = selectors.order_list(
                seller_id=seller.pk, flt=lf.flt, limit=PAGE_SIZE, cursor=cursor, region=seller.country
            )
            total, more = selectors.order_count(
                seller_id=seller.pk, flt=lf.flt, cap=COUNT_CAP, region=seller.country
            )
        except DomainError as error:
            lf.errors["cursor" if error.code == "invalid_cursor" else "q"] = error.detail
            rows, next_cursor = [], None
    active = _active_view(request, lf, saved)
    columns = _columns(user)
    view = filters.VIEWS_BY_KEY.get(active["key"])
    if view is not None:
        columns += [c for c in view.columns if c not in columns]  # the tab's own columns
    if rows:
        mark_unread(rows)  # the "new message" marker (R-NOTE-4): one query for the page
    if "items" in columns and rows:
        from django.db.models import prefetch_related_objects

        prefetch_related_objects(rows, "lines")
    base = dict(lf.raw)
    if active["key"]:
        base["view"] = active["key"]
    next_params = None
    if next_cursor:
        next_params = {**base, "cursor": next_cursor, "back": ".".join([*back, cursor or "~"])}
    prev_params = None
    if cursor:
        prev = back[-1] if back else "~"
        prev_params = {**base, "back": ".".join(back[:-1])}
        if prev != "~":
            prev_params["cursor"] = prev
        prev_params = {k: v for k, v in prev_params.items() if v}
    sort = lf.flt.sort if lf.flt else lf.raw.get("sort", "-created_at")
    sort_headers = {}
    for key, label in SORTABLE.items():
        if sort.lstrip("-") == key:
            direction = "descending" if sort.startswith("-") else "ascending"
            new_sort = key if sort.startswith("-") else f"-{key}"
        else:
            direction = ""
            new_sort = f"-{key}" if key in ("created_at", "total") else key
        params = {**base, "sort": new_sort}
        if new_sort == "-created_at":
            params.pop("sort")
        sort_headers[key] = {"label": label, "aria_sort": direction, "query": urlencode(params)}
    can_act = request.actor.role != "viewer"  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    error_fields = [(name, _field_label(name), msg) for name, msg in lf.errors.items()]
    context = {
        "lf": lf,
        "p": lf.raw,
        "orders": rows,
        "total": total,
        "total_more": more,
        "next_query": urlencode(next_params) if next_params else "",
        "prev_query": urlencode(prev_params) if prev_params is not None else "",
        "first_query": urlencode(base) if cursor else "",
        "sort": sort,
        "sort_headers": sort_headers,
        "columns": columns,
        "optional_columns": OPTIONAL_COLUMNS,
        "builtin_views": [(v.key, v.label) for v in filters.VIEWS],
        "builtin_queries": {v.key: urlencode({"view": v.key, **v.params}) for v in filters.VIEWS},
        "saved_views": saved,
        "active": active,
        "filter_query": lf.query,
        "export_query": lf.query,
        "can_act": can_act,
        "staff": assignable_managers(seller_id=seller.pk) if can_act else [],
        "advanced": advanced_fields(lf.raw, lf.errors),
        # Open when the user set an advanced filter; a tab's own parameters (To ship's statuses)
        # leave it closed, so the tab shows its orders first.
        "advanced_open": any(k in lf.raw for k in ADVANCED_KEYS) and (not active["key"] or active["dirty"]),
        "error_fields": error_fields,
        "paged": bool(cursor),
    }
    return context, (400 if lf.errors else 200)


def _field_label(name: str) -> str:
    return str(filters.LABELS.get(name, name))


@require_GET
@staff_view("order.read")
def orders(request: HttpRequest) -> HttpResponse:
    context, status = list_context(request)
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "orders-results" and not htmx.history_restore_request:
        # HTMX swaps only the results; a form error still swaps in (see the htmx-config meta).
        return render(request, "dashboard/orders/results.html", context, status=status)
    return render(request, "dashboard/orders/list.html", context, status=status)


def _safe_back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
@staff_view("order.read")
def columns(request: HttpRequest) -> HttpResponse:
    """Save the user's column choice (User.preferences), so it follows them to any browser."""
    known = [key for key, _ in OPTIONAL_COLUMNS]
    chosen = [c for c in request.POST.getlist("columns") if c in known]
    dash_services.user_set_preference(user=request.user, key=COLUMNS_PREF, value=chosen)  # type: ignore[arg-type]  # staff_view admits only a signed-in User
    return HttpResponseRedirect(_safe_back(request, reverse("dashboard:orders")))
