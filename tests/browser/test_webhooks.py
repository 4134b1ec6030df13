"""The webhook settings in a real browser (R-NOTE-7): an owner adds an endpoint and copies the secret
shown once, the delivery log reads at 1440 and 390 px without sideways scrolling, and axe finds no
serious problem."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, axe_violations, describe
from tests.browser.test_layout import OVERFLOW_JS, _webhook
from tests.conftest import staff

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _allow_loopback(settings: Any) -> None:
    settings.WEBHOOKS_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]


@pytest.mark.parametrize("width", [1440, 390])
def test_add_an_endpoint_and_read_its_log(
    width: int, shop: dict[str, Any], page_for: Any, httpserver: Any
) -> None:
    seller = shop["Anna Petrova"].seller
    hook_id = _webhook(shop)
    page = page_for(staff(seller, "owner"), viewport={"width": width, "height": 900 if width > 600 else 844})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto("/settings/webhooks/")
    page.get_by_label("Endpoint URL").fill(httpserver.url_for("/hook"))
    page.get_by_label("Description").fill("Warehouse")
    page.get_by_label("order_placed").check()
    page.get_by_label("shipment_created").check()
    page.get_by_role("button", name="Add endpoint").click()
    secret = page.locator("#webhook-secret")
    assert secret.inner_text().startswith("whsec_")
    assert page.evaluate(OVERFLOW_JS)["scrollWidth"] <= width
    page.screenshot(path=str(SCREENSHOTS / f"webhook-secret-{width}.png"), full_page=True)

    for path, name in [
        ("/settings/webhooks/", "webhooks"),
        (f"/settings/webhooks/{hook_id}/", "webhook-log"),
    ]:
        page.goto(path)
        found = page.evaluate(OVERFLOW_JS)
        assert found["scrollWidth"] <= found["innerWidth"], found
        assert not (v := axe_violations(page)), describe(v)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    assert "<strong>500</strong>" in page.content() or "500" in page.inner_text(".deliveries-table")

    # a refused address is a form error, not a 500
    page.goto("/settings/webhooks/")
    page.get_by_label("Endpoint URL").fill("https://169.254.169.254/latest/")
    page.get_by_label("order_placed").check()
    page.get_by_role("button", name="Add endpoint").click()
    assert page.locator(".error-summary").is_visible()
    assert "link-local" in page.locator(".error-summary").inner_text()
    page.screenshot(path=str(SCREENSHOTS / f"webhook-refused-{width}.png"), full_page=True)
