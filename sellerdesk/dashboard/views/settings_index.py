"""The settings index: one entry of the side menu leads here, to every settings page the user's
role may open, each with one line on what it holds (the table: dashboard/settings_pages.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from ..permissions import staff_view
from ..settings_pages import pages_for


@require_GET
@staff_view()
def settings_index(request: HttpRequest) -> HttpResponse:
    pages = pages_for(request.user.role)  # type: ignore[union-attr]  # staff_view: a User
    return TemplateResponse(request, "dashboard/settings.html", {"pages": pages})
