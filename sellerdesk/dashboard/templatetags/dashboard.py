"""Template helpers of the dashboard: status badges, money, dates in the seller's zone, navigation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from babel.numbers import format_currency, format_decimal
from django import template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()

# Every value of the three status axes (orders.states) with its label. The CSS has a
# `.badge-<value>` rule for each; the label carries the meaning, the colour only helps.
STATUS_LABELS: dict[str, Any] = {
    "pending": _("Pending"),
    "confirmed": _("Confirmed"),
    "processing": _("Processing"),
    "shipped": _("Shipped"),
    "delivered": _("Delivered"),
    "closed": _("Closed"),
    "cancelled": _("Cancelled"),
}
PAYMENT_LABELS: dict[str, Any] = {
    "unpaid": _("Unpaid"),
    "in_progress": _("Payment in progress"),
    "partially_paid": _("Partially paid"),
    "paid": _("Paid"),
    "partially_refunded": _("Partially refunded"),
    "refunded": _("Refunded"),
}
FULFILLMENT_LABELS: dict[str, Any] = {
    "unfulfilled": _("Unfulfilled"),
    "dispatched": _("Dispatched"),
    "partially_fulfilled": _("Partially fulfilled"),
    "fulfilled": _("Fulfilled"),
    "delivered": pgettext_lazy("fulfillment", "Delivered"),
    "picked_up": _("Picked up"),
    "partially_returned": _("Partially returned"),
    "returned": _("Returned"),
    "canceled": pgettext_lazy("fulfillment", "Cancelled"),
}
AXES: dict[str, tuple[Any, dict[str, Any]]] = {
    "status": (_("Order status"), STATUS_LABELS),
    "payment": (_("Payment"), PAYMENT_LABELS),
    "fulfillment": (_("Fulfillment"), FULFILLMENT_LABELS),
}


def status_label(axis: str, value: str) -> str:
    return str(AXES[axis][1].get(value, value.replace("_", " ")))


@register.simple_tag
def badge(value: str, axis: str = "status") -> str:
    """`<span class="badge badge-paid">Paid</span>` with the axis named for screen readers."""
    axis_label, labels = AXES.get(axis, AXES["status"])
    label = labels.get(value, str(value).replace("_", " "))
    return format_html(
        '<span class="badge badge-{}" data-axis="{}"><span class="visually-hidden">{}: </span>{}</span>',
        value,
        axis,
        axis_label,
        label,
    )


@register.simple_tag
def test_badge() -> str:
    return format_html('<span class="badge badge-test" title="{}">{}</span>', _("Test order"), _("Test"))


def _locale() -> str:
    return (translation.get_language() or "en").replace("-", "_")


@register.filter
def money(amount: Decimal | None, currency: str = "") -> str:
    """An amount in the current language's format: €1,234.50 / 1 234,50 €."""
    if amount is None or amount == "":
        return ""
    try:
        if currency:
            return format_currency(Decimal(amount), currency, locale=_locale())
        return format_decimal(Decimal(amount), locale=_locale())
    except (ValueError, ArithmeticError, TypeError):
        return f"{amount} {currency}".strip()


@register.filter
def number(value: int | None) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale=_locale())


@register.filter
def seller_time(value: Any, seller: Any = None) -> Any:
    """A datetime in the seller's time zone (the template's date filter formats it per locale)."""
    if value is None:
        return None
    zone = getattr(seller, "time_zone", None)
    if not zone:
        return timezone.localtime(value)
    import zoneinfo

    from django.templatetags.tz import do_timezone

    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.localtime(value)
    # do_timezone marks the result so that the `date` filter does not convert it back to the
    # active time zone (a plain localtime() would be shown in UTC again).
    return do_timezone(value, tz)


@register.simple_tag(takes_context=True)
def nav_current(context: template.Context, section: str) -> str:
    """' aria-current="page"' when the current path belongs to the nav `section`."""
    request = context.get("request")
    path = getattr(request, "path", "") or ""
    sections = {
        "home": path == "/",
        "orders": path.startswith(("/orders/", "/views/"))
        and not path.startswith(("/orders/new/", "/orders/import/")),
        "stock": path.startswith("/stock/"),
        "balance": path.startswith(("/balance/", "/payouts/")),
        "operator": path == "/operator/",
        "operator_plans": path.startswith("/operator/plans/"),
        "operator_payouts": path.startswith("/operator/payouts/"),
        "operator_requests": path.startswith("/operator/requests/"),
        "operator_complaints": path.startswith("/operator/complaints/"),
        "metrics": path.startswith("/metrics/"),
        "new": path.startswith("/orders/new/"),
        "import": path.startswith("/orders/import/"),
        # The index and every settings page (dashboard/settings_pages.py) live under /settings/.
        "settings": path.startswith("/settings/"),
    }
    return mark_safe(' aria-current="page"') if sections.get(section) else ""  # noqa: S308 (constant)


@register.simple_tag
def query(params: dict[str, Any], **changes: Any) -> str:
    """A query string from `params` with `changes` applied (None or "" removes a key)."""
    out = {k: v for k, v in params.items()}
    for key, value in changes.items():
        if value in (None, ""):
            out.pop(key, None)
        else:
            out[key] = value
    items = [(k, v) for k, v in out.items() if v not in (None, "")]
    return "?" + urlencode(items, doseq=True) if items else "?"


@register.simple_tag
def time_left(order: Any) -> str:
    """The time left until the order's live deadline ("5 h left"), or how long it is overdue (in
    red); empty when no deadline is live (shipped, final, or not confirmed)."""
    from django.utils.translation import gettext, ngettext

    from sellerdesk.orders import deadlines

    live = deadlines.live_deadline(order)
    if live is None:
        return ""
    overdue, n, unit = deadlines.time_left(live.due, timezone.now())
    amount = {
        "day": ngettext("%(n)s day", "%(n)s days", n),
        "hour": ngettext("%(n)s h", "%(n)s h", n),
        "minute": ngettext("%(n)s min", "%(n)s min", n),
    }[unit] % {"n": n}
    if overdue:
        return format_html(
            '<span class="due-left due-overdue">{}</span>', gettext("overdue by %(t)s") % {"t": amount}
        )
    return format_html('<span class="due-left">{}</span>', gettext("%(t)s left") % {"t": amount})
