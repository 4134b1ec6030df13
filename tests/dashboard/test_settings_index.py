"""One "Settings" entry in the side menu leads to an index of the settings pages a role may open
(dashboard/settings_pages.py); the table agrees with the pages' own permissions, and the entry is
highlighted on the index and on every settings page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from sellerdesk.accounts.roles import Role
from sellerdesk.dashboard.settings_pages import SETTINGS_PAGES, pages_for
from tests.conftest import staff

pytestmark = pytest.mark.django_db


def client_for(seller, role: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def side_menu(html: str) -> str:
    match = re.search(r'<nav class="sidenav".*?</nav>', html, re.S)
    assert match, "no side menu"
    return match.group(0)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_index_lists_exactly_the_pages_the_role_opens(seller, role: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(seller, role)
    html = client.get("/settings/").content.decode()
    listed = re.findall(r'<li>\s*<a href="(/settings/[^"]+)"', html)
    assert listed == [reverse(f"dashboard:{p.url_name}") for p in pages_for(role)]
    for page in SETTINGS_PAGES:
        path = reverse(f"dashboard:{page.url_name}")
        status = client.get(path).status_code
        assert status == (200 if path in listed else 403), (role, path, status)
        if path in listed:
            assert str(page.description) in html


def test_owners_see_every_settings_page_and_viewers_their_own(seller) -> None:  # type: ignore[no-untyped-def]
    assert pages_for("owner") == list(SETTINGS_PAGES)
    assert [p.url_name for p in pages_for("viewer")] == ["notification_settings", "deadline_settings"]


def test_the_side_menu_has_one_settings_entry_highlighted_on_every_settings_page(seller) -> None:  # type: ignore[no-untyped-def]
    client = client_for(seller, "owner")
    for path in ["/settings/", *(reverse(f"dashboard:{p.url_name}") for p in SETTINGS_PAGES)]:
        nav = side_menu(client.get(path).content.decode())
        assert re.findall(r'href="(/settings/[^"]*)"', nav) == ["/settings/"], path
        assert re.findall(r'<a href="([^"]+)" aria-current="page"', nav) == ["/settings/"], path
    nav = side_menu(client.get("/orders/").content.decode())
    assert re.findall(r'<a href="([^"]+)" aria-current="page"', nav) == ["/orders/"]


def test_the_index_needs_a_login(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/settings/")
    assert response.status_code == 302 and "/login/" in response["Location"]
