"""Security headers (R-SEC-3): the API's answers are not cached; the dashboard sends its CSP, and
its templates hold nothing inline that the policy would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from sellerdesk.core.headers import CONTENT_SECURITY_POLICY
from tests.conftest import order_body, staff

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "sellerdesk"


def test_api_answers_with_personal_data_are_not_stored(api) -> None:  # type: ignore[no-untyped-def]
    created = api.post("/orders", order_body())
    assert created.status_code == 201
    number = created.json()["number"]
    for resp in [
        created,
        api.get("/orders"),
        api.get(f"/orders/{number}"),
        api.get(f"/orders/{number}/events"),
        api.get(f"/orders/{number}/notes"),
        api.get("/orders/999999"),  # errors too: they may echo what was sent
    ]:
        assert resp["Cache-Control"] == "no-store", resp.request["PATH_INFO"]


def test_dashboard_pages_send_the_policy(seller) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.get("/login/")["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    client.force_login(staff(seller))
    policy = client.get("/orders/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy


INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "hx-on handler": re.compile(r"\shx-on", re.I),
    "inline style": re.compile(r"\sstyle\s*=|<style", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_holds_inline_script_or_style() -> None:
    found = []
    for template in sorted(TEMPLATES.rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for what, pattern in INLINE.items():
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{template.relative_to(TEMPLATES)}:{line}: {what}")
    assert not found, "\n".join(found)
