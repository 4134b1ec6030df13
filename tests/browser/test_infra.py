"""The browser harness itself: Chromium starts, reaches the live server, and static files are served."""

from __future__ import annotations

from typing import Any


def test_chromium_reaches_the_live_server(new_context: Any, db: Any) -> None:
    page = new_context().new_page()
    response = page.goto("/static/dashboard/htmx-2.0.11.min.js")
    assert response is not None and response.status == 200
    assert "htmx" in page.content()
    response = page.goto("/api/v1/openapi.json")
    assert response is not None and response.status == 200
