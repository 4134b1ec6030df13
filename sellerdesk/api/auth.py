"""Who may call what: the API key scheme and one permission object per kind of operation.

Every operation names its permission here (`auth=auth.ACT`, …). The key is authenticated and
its role checked before the body is read, so a viewer's malformed write is a 403, not a 422.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import ApiKey
from sellerdesk.accounts.selectors import apikey_authenticate


class ApiKeyAuth(HttpBearer):
    openapi_description = (
        "A seller's API key: `Authorization: Bearer sd_…` (create one with `sellerdesk apikey create`)."
    )

    def __init__(self, permission: str) -> None:
        super().__init__()
        self.permission = permission

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        if len(token) > 200 or "\x00" in token:
            return None
        key = apikey_authenticate(token)
        if key is not None:
            Actor.integration(key).require(self.permission)  # raises Forbidden (403)
        return key


READ = ApiKeyAuth("order.read")
PLACE = ApiKeyAuth("order.place")
ACT = ApiKeyAuth("order.act")
ASSIGN = ApiKeyAuth("order.assign")
STOCK_WRITE = ApiKeyAuth("stock.write")
SETTINGS = ApiKeyAuth("settings.manage")  # the seller's settings: templates, webhooks
# A read that needs more than order.read names its permission (the OpenAPI 403 follows from it).
SETTINGS_READ = {"x-permission": "settings.manage"}


def api_key(request: HttpRequest) -> ApiKey:
    """The key that authenticated this request (ninja stores `authenticate`'s answer on it)."""
    key = getattr(request, "auth", None)
    if not isinstance(key, ApiKey):
        raise RuntimeError("api_key() called on an operation without an ApiKeyAuth")
    return key
