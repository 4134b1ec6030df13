"""The public REST API under /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sellerdesk.core.errors import DomainError

from . import auth, openapi
from .problems import problem

log = logging.getLogger(__name__)


class SellerDeskAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return openapi.describe(super().get_openapi_schema(*args, **kwargs))


api = SellerDeskAPI(
    title="SellerDesk API",
    version="1.0.0",
    description=(
        "Orders, stock and their timeline for a seller. Errors are RFC 9457 problem+json. "
        "Every POST accepts an `Idempotency-Key` header."
    ),
    urls_namespace="api",
    auth=auth.READ,  # each writing operation names its own permission (auth.py)
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem(exc.status, exc.code, exc.title, exc.detail, exc.extra)


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ())[1:] or e.get("loc", ())),
            "message": e.get("msg", ""),
            "type": e.get("type", ""),
        }
        for e in exc.errors
    ]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return problem(
        422,
        "validation_error",
        "Invalid input",
        f"The request does not match the schema. {summary}",
        {"errors": errors},
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    resp = problem(
        401,
        "unauthenticated",
        "Unauthenticated",
        "Send a valid API key: Authorization: Bearer sd_…",
    )
    resp["WWW-Authenticate"] = 'Bearer realm="sellerdesk"'
    return resp


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = "malformed_body" if exc.status_code == 400 else f"http_{exc.status_code}"
    detail = "The request body is not valid JSON." if exc.status_code == 400 else str(exc)
    return problem(exc.status_code, code, "Bad request" if exc.status_code == 400 else "Error", detail)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, "not_found", "Not found", "There is nothing at this address.")


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem(413, "payload_too_large", "Payload too large", "The request body is too large.")


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return problem(400, "bad_request", "Bad request", "The request could not be understood.")


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("unhandled API error", exc_info=exc)
    return problem(
        500,
        "internal_error",
        "Internal error",
        "Something went wrong on our side; nothing was changed.",
    )


from . import (  # noqa: E402  (routers register on `api`)
    conversations,
    deadline_policy,
    earnings,
    metrics,
    notification_templates,
    notifications,
    orders,
    products,
    shipment_import,
    shipping,
    webhooks,
)

api.add_router("/orders", orders.router)
api.add_router("/orders", shipping.router)
api.add_router("/orders", notifications.router)
api.add_router("/orders", conversations.router)
api.add_router("/carrier-accounts", shipping.accounts_router)
api.add_router("/products", products.router)
api.add_router("/shipments", shipment_import.router)
api.add_router("", earnings.router)
api.add_router("/metrics", metrics.router)
api.add_router("/notification-templates", notification_templates.router)
api.add_router("/webhooks", webhooks.router)
api.add_router("/deadline-policy", deadline_policy.router)
