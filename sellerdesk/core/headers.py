"""Response headers the whole site sends (R-SEC-3): a Content-Security-Policy on the dashboard,
`Cache-Control: no-store` on the API.

The dashboard runs only scripts and styles served from its own origin: no inline script, no
inline event handler, no inline style (templates use classes of app.css; htmx is configured not to
inject its own style element). The API's answers are a seller's orders, customers and stock — none
of it may sit in a shared or browser cache.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
API_PREFIX = "/api/"
# The interactive API docs page loads its viewer from a CDN: it keeps django-ninja's own headers.
API_DOCS_PATH = "/api/v1/docs"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            if not request.path.startswith(API_DOCS_PATH):
                response["Cache-Control"] = "no-store"
        else:
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
