"""The dashboard runs under a Content-Security-Policy with no inline script or style, and no page
breaks it (R-SEC-3): Chromium reports every violation as a `securitypolicyviolation` event and a
console error, and both are collected while the main pages load and an HTMX search runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sellerdesk.orders import services
from tests.conftest import actor

LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


def test_main_pages_load_with_no_csp_violation(
    shop: dict[str, Any], owner_page: Any, new_context: Any
) -> None:
    page = owner_page
    olga = shop["Olga Smirnova"]
    services.note_add(  # a due reminder on the home page
        seller_id=olga.seller_id,
        number=olga.number,
        actor=actor(olga.seller, "manager"),
        text="Call back.",
        remind_at=timezone.now() - dt.timedelta(minutes=5),
    )
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(LISTEN)
    violations: dict[str, list[str]] = {}
    for path in ["/", "/orders/", f"/orders/{olga.number}/", "/orders/new/", "/stock/"]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (path, policy)
        page.wait_for_load_state("networkidle")
        violations[path] = page.evaluate("window.__csp")
    # an HTMX request swaps new HTML in: still nothing inline
    page.goto("/orders/")
    page.fill("input[name=q]", "Olga")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    violations["/orders/ search"] = page.evaluate("window.__csp")
    login = new_context().new_page()
    login.add_init_script(LISTEN)
    login.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    login.goto("/login/")
    login.wait_for_load_state("networkidle")
    violations["/login/"] = login.evaluate("window.__csp")
    assert {p: v for p, v in violations.items() if v} == {}
    assert console == []
