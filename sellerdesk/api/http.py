"""API-wide HTTP answers outside django-ninja's own handlers, as problem+json (R-SEC-4).

- 404 for any unknown path under /api/ (Django's resolver answers those, not ninja);
- 500 for an error that escaped every handler;
- 405 for a known path with a method it does not accept (ninja answers those as plain text).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern
from django.views import defaults

from .problems import problem

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: problem+json under /api/, Django's page elsewhere."""
    if is_api(request):
        return problem(404, "not_found", "Not found", "There is nothing at this address.")
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]  # Django's handler takes any exception


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: problem+json under /api/, Django's page elsewhere."""
    if is_api(request):
        return problem(
            500,
            "internal_error",
            "Internal error",
            "Something went wrong on our side; nothing was changed.",
        )
    return defaults.server_error(request)


def _method_not_allowed(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)  # keeps csrf_exempt and the other view attributes
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if getattr(response, "status_code", None) == 405 and not response.get("Content-Type", "").startswith(
            "application/problem+json"
        ):
            allow = response.get("Allow", "")
            out = problem(
                405,
                "method_not_allowed",
                "Method not allowed",
                f"{request.method} is not accepted here. Allow: {allow}.",
            )
            out["Allow"] = allow
            return out
        return response

    return wrapped


def problem_urls(urls: tuple[list[Any], str, str]) -> tuple[list[Any], str, str]:
    """The API's URL patterns with 405 answers turned into problem+json."""
    patterns, app_name, namespace = urls
    for p in patterns:
        if isinstance(p, URLPattern):
            p.callback = _method_not_allowed(p.callback)
    return patterns, app_name, namespace
