"""POST /webhooks/payments/<provider>: the providers' notifications (R-PAY-2).

No session, no CSRF token: the provider's signature is the authentication. Answers 200 for an
applied, repeated or ignored event (the provider stops resending), 400 for a bad signature, a
stale timestamp or an unreadable body, 404 for an unknown provider.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sellerdesk.core.errors import NotFound

from .online import webhook_receive
from .providers import WebhookRefused


@csrf_exempt
@require_POST
def payment_webhook(request: HttpRequest, provider: str) -> JsonResponse:
    try:
        result = webhook_receive(provider, request.body, request.headers)
    except WebhookRefused as refused:
        return JsonResponse({"error": "webhook_refused", "detail": str(refused)}, status=400)
    except NotFound as missing:
        return JsonResponse({"error": missing.code, "detail": missing.detail}, status=404)
    return JsonResponse({"result": result})
