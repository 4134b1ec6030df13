"""No dashboard page scrolls sideways, at desktop (1440, 1280) and phone (390) widths, and the top bar's
controls (Log out above all) stay inside the window.

The pages come from the URL conf: every route of the dashboard is either in PAGES (how to reach it with
data) or in NOT_PAGES (why it is no page: a POST action, a fragment, a file). A new route that is in
neither fails `test_every_dashboard_route_is_covered`, so a new page cannot slip past the layout check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from sellerdesk.accounts.models import User
from sellerdesk.dashboard import services as dash_services
from sellerdesk.dashboard.models import SavedView
from sellerdesk.dashboard.views.orders_list import COLUMNS_PREF, OPTIONAL_COLUMNS
from sellerdesk.earnings import services as earnings
from sellerdesk.earnings.models import Payout
from sellerdesk.orders import services
from sellerdesk.orders.filters import VIEWS
from tests.browser.conftest import place_order
from tests.conftest import actor, staff

pytestmark = pytest.mark.browser

WIDTHS = [1440, 1280, 390]


def _operator(shop: dict[str, Any]) -> User:
    market = shop["Anna Petrova"].seller.marketplace
    return User.objects.filter(operator_of=market).first() or User.objects.create_user(
        email="operator@layout.test", password="pw", operator_of=market
    )


def _payout(shop: dict[str, Any]) -> int:
    """A payout of the shop's seller: Jonas Weber's paid digital order delivered, closed and paid out."""
    existing = Payout.objects.first()
    if existing is not None:
        return existing.pk
    order = shop["Jonas Weber"]
    kw = {"seller_id": order.seller_id, "number": order.number, "actor": actor(order.seller, "manager")}
    for step in (
        services.order_confirm,
        services.order_process,
        services.order_deliver,
        services.order_close,
    ):
        step(**kw)
    return earnings.payout_create(operator=_operator(shop), seller_id=order.seller_id, currency="EUR").pk


def _webhook(shop: dict[str, Any]) -> int:
    """A webhook of the shop's seller with a delivery log: delivered, retried and failing attempts."""
    import datetime as dt

    from django.utils import timezone

    from sellerdesk.core.secrets import encrypt
    from sellerdesk.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
    from sellerdesk.webhooks.signing import new_secret

    seller = shop["Anna Petrova"].seller
    existing = WebhookSubscription.objects.filter(seller=seller).first()
    if existing is not None:
        return existing.pk
    now = timezone.now()
    hook = WebhookSubscription.objects.create(
        seller=seller,
        url="https://erp.example-integration.com/sellerdesk/webhooks/orders-and-shipments/incoming",
        event_types=["order_placed", "order_confirmed", "order_shipped", "shipment_created"],
        description="ERP sync",
        secret_encrypted=encrypt(new_secret()),
        created_at=now,
        updated_at=now,
    )
    for i, (status, codes) in enumerate([("delivered", [200]), ("pending", [500, 503]), ("failed", [410])]):
        d = WebhookDelivery.objects.create(
            subscription=hook,
            seller=seller,
            message_id=f"evt_{1000 + i}",
            event_type="order_placed",
            order_number=1000 + i,
            body="{}",
            status=status,
            attempts=len(codes),
            next_attempt_at=now + dt.timedelta(minutes=5) if status == "pending" else None,
            created_at=now,
        )
        for code in codes:
            WebhookAttempt.objects.create(
                delivery=d,
                started_at=now,
                duration_ms=120,
                status_code=code,
                response_body='{"error": "upstream database connection pool exhausted, try again later"}'
                if code >= 500
                else "ok",
            )
    return hook.pk


# route name -> the paths to visit, given the `shop` fixture (eight orders in several statuses).
PAGES: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "home": lambda shop: ["/"],
    # Each tab of the list (the built-in views and a saved one) is read off the page itself.
    "orders": lambda shop: ["/orders/", "/orders/?q=nobody-matches-this"],
    "view": lambda shop: [f"/views/{SavedView.objects.get(name='Wide view').pk}/"],
    "order": lambda shop: [
        f"/orders/{shop[name].number}/"
        for name in (
            "Anna Petrova",  # pending, unpaid
            "Olga Smirnova",  # confirmed, paid, two lines
            "Sergey Kuznetsov",  # processing
            "Maria Popova",  # cancelled
            "Jonas Weber",  # digital, paid
            "Klara Fischer",  # pickup, bank transfer
        )
    ],
    "order_customers": lambda shop: [f"/orders/{shop['Anna Petrova'].number}/customers/?q=a"],
    "order_new": lambda shop: ["/orders/new/"],
    "order_import": lambda shop: ["/orders/import/"],
    "stock": lambda shop: ["/stock/"],
    "shipment_import": lambda shop: ["/orders/shipments/import/"],
    "settings": lambda shop: ["/settings/"],
    "shipping_settings": lambda shop: ["/settings/shipping/"],
    "customer_notifications": lambda shop: ["/settings/customer-notifications/"],
    "customer_notification_edit": lambda shop: [
        "/settings/customer-notifications/shipped/email/en/",
        "/settings/customer-notifications/amount_changed/sms/ru/",
    ],
    "webhooks": lambda shop: [f"/settings/webhooks/?w={_webhook(shop)}"],
    "webhook": lambda shop: [f"/settings/webhooks/{_webhook(shop)}/"],
    "deadline_settings": lambda shop: ["/settings/deadlines/"],
    "balance": lambda shop: ["/balance/"],
    "payout": lambda shop: [f"/payouts/{_payout(shop)}/"],
    "metrics": lambda shop: ["/metrics/", "/metrics/?window=7"],
    "notifications": lambda shop: ["/notifications/"],
    "notification_settings": lambda shop: ["/settings/notifications/"],
}
# The operator's pages are laid out with the operator signed in (OPERATOR_PAGES below).
OPERATOR_PAGES: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "operator_home": lambda shop: ["/operator/"],
    "operator_plans": lambda shop: ["/operator/plans/"],
    "operator_payouts": lambda shop: ["/operator/payouts/"],
    "operator_payout": lambda shop: [f"/operator/payouts/{_payout(shop)}/"],
    "operator_requests": lambda shop: ["/operator/requests/"],
    "operator_complaints": lambda shop: ["/operator/complaints/"],
}
ANONYMOUS_PAGES = {"login": "/login/"}
NOT_PAGES = {
    "logout": "POST action",
    "set_language": "POST action (the language switch)",
    "alerts": "fragment polled by the home page",
    "notifications_bell": "fragment polled by the header (the bell)",
    "notification_read": "POST action",
    "push_subscribe": "POST action (the browser's push subscription, JSON)",
    "push_unsubscribe": "POST action (JSON)",
    "order_delivery_resend": "POST action",
    "columns": "POST action",
    "export_csv": "a file",
    "export_xlsx": "a file",
    "bulk": "POST action",
    "view_create": "POST action",
    "view_update": "POST action",
    "view_delete": "POST action",
    "order_new_customers": "fragment of the new-order form",
    "order_new_products": "fragment of the new-order form",
    "order_test": "POST action",
    "order_import_confirm": "POST action",
    "order_confirm": "POST action",
    "order_process": "POST action",
    "order_deliver": "POST action",
    "order_close": "POST action",
    "order_cancel": "POST action",
    "order_mark_paid": "POST action",
    "order_refund": "POST action",
    "order_refund_preview": "fragment of the refund form",
    "order_manager": "POST action",
    "order_customer": "POST action",
    "order_note_add": "POST action",
    "order_note_edit": "POST action",
    "order_note_delete": "POST action",
    "order_note_reminder_done": "POST action",
    "stock_edit": "POST action",
    "order_fulfil": "POST action",
    "order_ship_rates": "POST action (a fragment with HTMX)",
    "order_ship_label": "POST action",
    "order_packing_slip": "a file",
    "order_return": "POST action",
    "shipment_label": "a file",
    "shipment_track": "POST action",
    "shipment_deliver": "POST action",
    "shipment_void": "POST action",
    "shipment_edit": "POST action",
    "shipment_import_confirm": "POST action",
    "carrier_account_add": "POST action",
    "day_off_add": "POST action",
    "day_off_remove": "POST action",
    "carrier_account_deactivate": "POST action",
    "order_change": "POST action",
    "order_line_substitute": "POST action",
    "order_line_cancel": "POST action",
    "operator_assign_plan": "POST action",
    "operator_payout_create": "POST action",
    "operator_plan_edit": "POST action",
    "operator_request_decide": "POST action",
    "metric_limits": "POST action",
    "customer_notification_preview": "fragment of the template editor (HTMX)",
    "customer_notification_switch": "POST action",
    "customer_notification_reset": "POST action",
    "order_thread": "fragment polled by the order page (its thread); POST action",
    "order_message_file": "a file",
    "order_feedback_remind": "POST action",
    "order_complaint_add": "POST action",
    "operator_complaint_hide": "POST action",
    "webhook_toggle": "POST action",
    "webhook_test": "POST action",
    "webhook_rotate": "POST action (answers the webhook page with the new secret)",
    "webhook_delete": "POST action",
    "webhook_replay": "POST action",
}


def _route_names(patterns: list[Any]) -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _route_names(p.url_patterns)
        elif isinstance(p, URLPattern) and p.name:
            yield p.name


def dashboard_routes() -> set[str]:
    resolver = get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver) and p.namespace == "dashboard":
            return set(_route_names(p.url_patterns))
    raise AssertionError("no dashboard namespace in the URL conf")


def test_every_dashboard_route_is_covered() -> None:
    routes = dashboard_routes()
    declared = set(PAGES) | set(OPERATOR_PAGES) | set(ANONYMOUS_PAGES) | set(NOT_PAGES)
    assert routes - declared == set(), "new dashboard routes: add them to PAGES or NOT_PAGES"
    assert declared - routes == set(), "stale names in PAGES or NOT_PAGES"


OVERFLOW_JS = """() => {
  const doc = document.documentElement;
  const wide = [];
  if (doc.scrollWidth > innerWidth) {
    // What sticks out past the window and is not inside a scrolling box: what to fix.
    const clipped = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > innerWidth + 1 && !clipped(el)) {
        const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
        wide.push(el.tagName.toLowerCase() + cls + (el.id ? '#' + el.id : '') + ' right=' + Math.round(r.right));
      }
    }
  }
  return {scrollWidth: doc.scrollWidth, innerWidth: innerWidth, wide: wide.slice(0, 10)};
}"""

INSIDE_JS = """(el) => { const r = el.getBoundingClientRect();
  return r.width > 0 && r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight; }"""


def check(page: Any, path: str, width: int, problems: list[str]) -> list[str]:
    """Visit `path`, note what sticks out; return the links of the page's tabs (the list's views)."""
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    page.locator("html[data-js-ready]").wait_for(state="attached")
    found = page.evaluate(OVERFLOW_JS)
    if found["scrollWidth"] > found["innerWidth"]:
        problems.append(
            f"{width}px {path}: scrollWidth {found['scrollWidth']} > {found['innerWidth']}: {found['wide']}"
        )
    logout = page.get_by_role("button", name="Log out")
    if logout.count() and not logout.evaluate(INSIDE_JS):
        problems.append(f"{width}px {path}: the Log out button is outside the window")
    return page.locator(".tabs a").evaluate_all("els => els.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(width: int, shop: dict[str, Any], page_for: Any, new_context: Any) -> None:
    seller = shop["Anna Petrova"].seller
    owner = staff(seller, "owner")
    dash_services.saved_view_create(user=owner, name="Wide view", query="status=confirmed", shared=True)
    # Every optional column on: the widest list a user can make.
    dash_services.user_set_preference(user=owner, key=COLUMNS_PREF, value=[k for k, _ in OPTIONAL_COLUMNS])
    # An order whose texts do not break by themselves: long name, e-mail, address and note.
    long = place_order(
        seller,
        "Aleksandra Konstantinovna Vasilyeva-Rozhdestvenskaya",
        "aleksandra.konstantinovna.vasilyeva-rozhdestvenskaya@a-very-long-mail-domain.example.com",
        "+7 912 345-67-89",
        [("MUG-01", 1)],
        shipping_address={
            "country": "DE",
            "city": "Berlin",
            "postal_code": "10115",
            "line1": "Schwarzwaldhochstrasse-Nebengebaeude-Hinterhof-Aufgang-C-Dachgeschoss 123",
        },
    )
    services.note_add(
        seller_id=seller.pk,
        number=long.number,
        actor=actor(seller, "owner"),
        text="See https://tracking.example.com/" + "x" * 120,
    )
    extra = [f"/orders/{long.number}/"]
    viewport = {"width": width, "height": 844 if width < 600 else 900}
    page = page_for(owner, viewport=viewport)
    problems: list[str] = []
    visited: set[str] = set()
    tabs: list[str] = []
    for paths in [*PAGES.values(), lambda shop: extra]:
        for path in paths(shop):
            visited.add(path)
            tabs += check(page, path, width, problems)
    assert len(set(tabs)) >= len(VIEWS) + 1, tabs
    for href in dict.fromkeys(tabs):
        if href not in visited:
            check(page, href, width, problems)
    operator_page = page_for(_operator(shop), viewport=viewport)
    for paths in OPERATOR_PAGES.values():
        for path in paths(shop):
            check(operator_page, path, width, problems)
    anonymous = new_context(viewport=viewport).new_page()
    for path in ANONYMOUS_PAGES.values():
        check(anonymous, path, width, problems)
    assert not problems, "\n".join(problems)


def test_the_phone_menu_stays_short(seller: Any, page_for: Any) -> None:
    """At 390 px the side menu wraps above the page: the owner's (the longest) takes at most three
    rows, the settings pages being one "Settings" entry (dashboard/settings_pages.py)."""
    page = page_for(staff(seller, "owner"), viewport={"width": 390, "height": 844})
    page.goto("/settings/webhooks/")
    tops = page.locator("nav.sidenav a").evaluate_all(
        "els => els.map(a => Math.round(a.getBoundingClientRect().top))"
    )
    assert len(set(tops)) <= 3, tops
    current = page.locator('nav.sidenav a[aria-current="page"]')
    assert current.count() == 1 and current.inner_text().split() == ["⚙", "Settings"]
