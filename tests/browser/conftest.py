"""Browser tests: a real Chromium (Debian's package) driven by Playwright against pytest-django's live_server.

One browser per test session; a fresh context (cookies, storage) and page per test. Logging in goes through
the real login form once (test_login); every other test gets a session cookie made by Django's test client
(`force_login`), which is the same session the login form would create, minus the Argon2 cost.
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the main thread; Django refuses ORM calls from a thread with
# a running loop unless told that this is intended (the live server runs in its own thread anyway).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--headless",
]
VIEWPORT = {"width": 1440, "height": 900}
# Tests save their pictures to an ignored folder; `make screenshots` points this at docs/screenshots.
SCREENSHOTS = Path(
    os.environ.get("SELLERDESK_SCREENSHOTS") or Path(__file__).resolve().parents[2] / "var" / "screenshots"
)
TIMEOUT_MS = 30_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    browser_items = [i for i in items if here in Path(str(i.fspath)).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if browser_items and not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            return  # the browser fixture fails loudly: CI must run these
        skip = pytest.mark.skip(reason=f"{CHROMIUM} missing: run `make browsers`")
        for item in browser_items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait longer than Playwright's 5 s default: CI machines are small and busy.
    expect.set_options(timeout=TIMEOUT_MS)
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-chromium.sh (make browsers)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Factory of fresh browser contexts (own cookies) pointed at the live server; closed after the test."""
    contexts: list[Any] = []

    def make(**kw: Any) -> Any:
        kw.setdefault("viewport", VIEWPORT)
        kw.setdefault("locale", "en-US")
        ctx = browser.new_context(base_url=live_server.url, accept_downloads=True, **kw)
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.set_default_navigation_timeout(TIMEOUT_MS * 2)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


def session_cookie(user: Any, live_server: Any) -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}


@pytest.fixture
def page_for(new_context: Callable[..., Any], live_server: Any) -> Callable[..., Any]:
    """page_for(user, locale=...) -> a Playwright page in a fresh context, logged in as `user`."""

    def make(user: Any, **kw: Any) -> Any:
        ctx = new_context(**kw)
        ctx.add_cookies([session_cookie(user, live_server)])
        page = ctx.new_page()
        page.on("dialog", lambda d: d.accept())  # native confirm(): tests that care handle it themselves
        return page

    return make


@pytest.fixture
def manager_page(seller: Any, page_for: Callable[..., Any]) -> Any:
    from tests.conftest import staff

    return page_for(staff(seller, "manager"))


@pytest.fixture
def owner_page(seller: Any, page_for: Callable[..., Any]) -> Any:
    from tests.conftest import staff

    return page_for(staff(seller, "owner"))


@pytest.fixture
def viewer_page(seller: Any, page_for: Callable[..., Any]) -> Any:
    from tests.conftest import staff

    return page_for(staff(seller, "viewer"))


def screenshot(page: Any, name: str) -> Path:
    """Save a viewport screenshot to SCREENSHOTS/<name>.png (var/screenshots unless SELLERDESK_SCREENSHOTS)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def axe_violations(page: Any, context: Any = None) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the current page (or of `context`, a CSS selector)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": _AXE_TAGS}}
    results = Axe().run(page, context=context, options=options)
    return [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]


_AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)


# --- data ------------------------------------------------------------------------------------------------

# name, e-mail, phone as stored, lines, payment method, shipping method, hours ago
SHOP_ORDERS = [
    ("Anna Petrova", "anna@example.com", "+7 912 345-67-89", [("MUG-01", 2)], "online", "carrier", 1),
    (
        "Ivan Ivanov",
        "ivan@example.com",
        "+7 903 111-22-33",
        [("BOWL-01", 1)],
        "cash_on_delivery",
        "carrier",
        3,
    ),
    (
        "Olga Smirnova",
        "olga@example.com",
        "+7 916 555-44-33",
        [("MUG-01", 4), ("BOWL-01", 1)],
        "online",
        "carrier",
        6,
    ),
    ("Jonas Weber", "jonas@example.de", "+49 30 1234567", [("EBOOK-01", 1)], "online", "digital", 9),
    ("Klara Fischer", "klara@example.de", "+49 151 2345678", [("BOWL-01", 2)], "bank_transfer", "pickup", 20),
    ("Sergey Kuznetsov", "sergey@example.com", "+7 921 765-43-21", [("MUG-01", 1)], "online", "carrier", 30),
    ("Maria Popova", "maria@example.com", "+7 999 000-11-22", [("BOWL-01", 3)], "online", "carrier", 50),
    ("Felix Braun", "felix@example.de", "+49 40 7654321", [("MUG-01", 6)], "cash_on_delivery", "carrier", 75),
]


def place_order(
    seller: Any, name: str, email: str, phone: str, lines: list[tuple[str, int]], **kw: Any
) -> Any:
    import datetime as dt

    from django.utils import timezone

    from sellerdesk.orders import services
    from tests.conftest import place

    hours = kw.pop("hours_ago", 0)
    if hours:
        kw["created_at"] = timezone.now() - dt.timedelta(hours=hours)
    return place(
        seller,
        name=name,
        email=email,
        phone=phone,
        lines=[services.LineIn(sku=sku, quantity=q) for sku, q in lines],
        **kw,
    )


@pytest.fixture
def shop(seller: Any) -> dict[str, Any]:
    """Eight orders of `seller` in several states: {customer name: Order}."""
    from sellerdesk.orders import services
    from tests.conftest import actor

    orders = {}
    for name, email, phone, lines, pay, ship, hours in SHOP_ORDERS:
        orders[name] = place_order(
            seller, name, email, phone, lines, payment_method=pay, shipping_method=ship, hours_ago=hours
        )
    who = actor(seller, "manager")

    def act(fn: Any, name: str, **kw: Any) -> None:
        fn(seller_id=seller.pk, number=orders[name].number, actor=who, **kw)

    act(services.order_mark_paid, "Olga Smirnova")
    act(services.order_confirm, "Olga Smirnova")
    act(services.order_confirm, "Ivan Ivanov")
    act(services.order_mark_paid, "Jonas Weber")
    act(services.order_confirm, "Sergey Kuznetsov")
    act(services.order_process, "Sergey Kuznetsov")
    act(services.order_cancel, "Maria Popova", reason="customer_request")
    act(services.order_confirm, "Felix Braun")
    for name in orders:
        orders[name].refresh_from_db()
    return orders


def js_ready(page: Any) -> None:
    """Wait until the page's script has run: a URL or DOM check alone can pass before it listens."""
    page.locator("html[data-js-ready]").wait_for(state="attached")


def result_numbers(page: Any) -> list[int]:
    """Order numbers of the rows shown in the orders table, top to bottom."""
    return [
        int(n)
        for n in page.locator("table[data-rows] tr[data-row]").evaluate_all(
            "rows => rows.map(r => r.dataset.number)"
        )
    ]
