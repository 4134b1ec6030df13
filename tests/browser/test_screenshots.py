"""The README's pictures: home, orders list and order page at 1440 px (desktop) and 390 px (phone).

`make screenshots` runs this file with SELLERDESK_SCREENSHOTS=docs/screenshots to refresh the tracked
pictures; every other run writes them to var/screenshots, which git ignores, so the tree stays clean.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from sellerdesk.orders import services
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.conftest import actor, staff

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
WIDTHS = {"": {"width": 1440, "height": 900}, "-phone": {"width": 390, "height": 844}}


def test_pictures_go_to_an_ignored_folder_unless_asked() -> None:
    if os.environ.get("SELLERDESK_SCREENSHOTS"):
        pytest.skip("SELLERDESK_SCREENSHOTS is set: this run refreshes the pictures on purpose")
    probe = SCREENSHOTS / "probe.png"
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(probe)], cwd=REPO, capture_output=True, check=False
    )
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.returncode == 0, f"{SCREENSHOTS} is not ignored by git: `make test` would dirty the tree"


@pytest.mark.parametrize("suffix", list(WIDTHS))
def test_readme_screenshots(suffix: str, shop: dict[str, Any], page_for: Any) -> None:
    olga = shop["Olga Smirnova"]
    seller = olga.seller
    manager = staff(seller, "manager")
    services.order_assign_manager(
        seller_id=seller.pk, number=olga.number, actor=actor(seller, "manager"), manager_id=manager.pk
    )
    page = page_for(manager, viewport=WIDTHS[suffix])
    written = []

    page.goto("/")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    written.append(screenshot(page, f"dashboard{suffix}"))

    page.goto("/orders/")
    expect(page.locator("#result-count")).to_contain_text(f"{len(shop)} orders")
    written.append(screenshot(page, f"orders{suffix}"))

    page.goto(f"/orders/{olga.number}/")
    expect(page.get_by_role("heading", name=f"Order {olga.number}")).to_be_visible()
    written.append(screenshot(page, f"order{suffix}"))

    for path in written:
        assert path.parent == SCREENSHOTS and path.stat().st_size > 10_000, path
