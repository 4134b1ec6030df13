"""Public endpoints of shipping: carrier webhooks (R-FUL-7) and the customer's tracking page (R-FUL-11)."""

from __future__ import annotations

import json
import logging

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sellerdesk.orders.models import Order

from .accounts import carrier_of
from .carriers.base import CarrierError
from .models import CarrierAccount
from .selectors import customer_view
from .services import apply_tracking

log = logging.getLogger(__name__)
MAX_WEBHOOK_BYTES = 256 * 1024


def _problem(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {
            "type": f"https://sellerdesk.dev/problems/{code}",
            "title": code,
            "status": status,
            "detail": detail,
        },
        status=status,
        content_type="application/problem+json",
    )


@csrf_exempt
@require_POST
def carrier_webhook(request: HttpRequest, token: str) -> HttpResponse:
    """A carrier's status report. The account is found by the secret token in the address it was
    registered with; the adapter checks the token (and a signature, where the carrier signs)."""
    account = CarrierAccount.objects.filter(webhook_token=token, is_active=True).first()
    if account is None:
        return _problem(404, "not_found", "There is no webhook at this address.")
    if len(request.body) > MAX_WEBHOOK_BYTES:
        return _problem(413, "payload_too_large", "The webhook body is too large.")
    headers = {k.lower(): v for k, v in request.headers.items()}
    headers["x-webhook-token"] = token
    try:
        updates = carrier_of(account).parse_webhook(headers, request.body)
    except CarrierError as exc:
        status = 401 if exc.code == "carrier_auth" else 400
        return _problem(status, exc.code, exc.detail)
    moved = apply_tracking(account, updates)
    return JsonResponse({"received": len(updates), "moved": moved})


@require_GET
def tracking_page(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's page (R-FUL-11): status and shipments, nothing internal (no notes, staff, costs)."""
    order = (
        Order.objects.filter(tracking_token=token).select_related("seller").first()
        if len(token) >= 20
        else None
    )
    if order is None:
        raise Http404("No such tracking link.")
    view = customer_view(order)
    if request.GET.get("format") == "json":
        return HttpResponse(json.dumps(view, default=str), content_type="application/json")
    response = render(request, "shipping/track.html", {"view": view, "token": token})
    response["X-Robots-Tag"] = "noindex"
    # No token leaks to other sites; "no-referrer" would make the page's own form (to the
    # conversation) send `Origin: null`, which CSRF protection refuses.
    response["Referrer-Policy"] = "same-origin"
    return response
