"""/api/v1/webhooks: the seller's webhook subscriptions, their deliveries and replays (R-NOTE-7).

Every operation needs the settings permission (owner and administrator keys), reads included: a
subscription's URL and delivery log belong to the integration's configuration. Ids are resolved
within the key's seller; another seller's subscription or delivery is a 404.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool

from sellerdesk.webhooks import services
from sellerdesk.webhooks.models import WebhookDelivery, WebhookSubscription

from . import auth
from .idempotency import run_idempotent
from .orders import _actor, _seller
from .schemas import Strict

router = Router(tags=["webhooks"])
ERRORS: dict[int, Any] = {}

EventType = StrEnum("EventType", {name: name for name in services.event_type_choices()})  # type: ignore[misc]  # members from the event registry
Url = Annotated[
    str,
    Field(
        min_length=1,
        max_length=2000,
        pattern=r"^https?://\S+$",
        description="https URL of a public host (http only for an operator-allowed loopback address).",
    ),
]
EventTypes = Annotated[list[EventType], Field(min_length=1, max_length=100)]  # type: ignore[valid-type]  # EventType is an Enum built at run time
Description = Annotated[str, Field(max_length=200)]


class WebhookIn(Strict):
    url: Url
    event_types: EventTypes
    description: Description = ""


class WebhookPatch(Strict):
    url: Url | None = None
    event_types: EventTypes | None = None
    description: Description | None = None
    is_active: StrictBool | None = Field(None, description="false disables, true enables again.")


class WebhookOut(Schema):
    id: int
    url: str
    event_types: list[str]
    description: str
    is_active: bool
    disabled_reason: str = Field(description="'' while active; manual, gone (410) or failing.")
    disabled_at: dt.datetime | None
    previous_secret_valid_until: dt.datetime | None = Field(
        description="During a rotation: until when the old secret still signs (a second signature)."
    )
    created_at: dt.datetime


class WebhookSecretOut(WebhookOut):
    secret: str = Field(description="The signing secret (whsec_…), shown only in this answer.")


class AttemptOut(Schema):
    started_at: dt.datetime
    duration_ms: int
    status_code: int | None
    response_body: str
    error: str
    manual: bool


class DeliveryOut(Schema):
    id: int
    webhook_id: int
    message_id: str = Field(description="The webhook-id header: the same on every try and replay.")
    event_type: str
    order_number: int | None
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    attempt_log: list[AttemptOut]


def webhook_out(sub: WebhookSubscription) -> dict[str, Any]:
    return {
        "id": sub.pk,
        "url": sub.url,
        "event_types": list(sub.event_types),
        "description": sub.description,
        "is_active": sub.is_active,
        "disabled_reason": sub.disabled_reason,
        "disabled_at": sub.disabled_at,
        "previous_secret_valid_until": sub.rotating_until(timezone.now()),
        "created_at": sub.created_at,
    }


def delivery_out(d: WebhookDelivery, attempts: int = 20) -> dict[str, Any]:
    return {
        "id": d.pk,
        "webhook_id": d.subscription_id,
        "message_id": d.message_id,
        "event_type": d.event_type,
        "order_number": d.order_number,
        "status": d.status,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
        "created_at": d.created_at,
        "delivered_at": d.delivered_at,
        "attempt_log": [
            {
                "started_at": a.started_at,
                "duration_ms": a.duration_ms,
                "status_code": a.status_code,
                "response_body": a.response_body,
                "error": a.error,
                "manual": a.manual,
            }
            for a in d.attempt_log.all()[:attempts]
        ],
    }


@router.get(
    "",
    response={200: list[WebhookOut], **ERRORS},
    summary="The seller's webhooks",
    auth=auth.SETTINGS,
    openapi_extra=auth.SETTINGS_READ,
)
def list_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    return [webhook_out(s) for s in WebhookSubscription.objects.filter(seller_id=_seller(request))]


@router.post(
    "",
    response={201: WebhookSecretOut, **ERRORS},
    summary="Subscribe an endpoint to event types (the secret is in this answer only)",
    auth=auth.SETTINGS,
)
def create_webhook(request: HttpRequest, body: WebhookIn) -> HttpResponse:
    """422 `webhook_url_refused` when the host resolves to a private, loopback or link-local address."""

    def handler() -> tuple[int, Any]:
        created = services.subscription_create(
            seller_id=_seller(request),
            actor=_actor(request),
            url=body.url,
            event_types=[str(t) for t in body.event_types],
            description=body.description,
        )
        return 201, {**webhook_out(created.subscription), "secret": created.secret}

    return run_idempotent(request, auth.api_key(request), handler)


@router.get(
    "/{webhook_id}",
    response={200: WebhookOut, **ERRORS},
    summary="One webhook",
    auth=auth.SETTINGS,
    openapi_extra=auth.SETTINGS_READ,
)
def get_webhook(request: HttpRequest, webhook_id: int) -> dict[str, Any]:
    return webhook_out(services.subscription_get(seller_id=_seller(request), webhook_id=webhook_id))


@router.patch(
    "/{webhook_id}",
    response={200: WebhookOut, **ERRORS},
    summary="Change a webhook's URL, event types or description; disable or enable it",
    auth=auth.SETTINGS,
)
def update_webhook(request: HttpRequest, webhook_id: int, body: WebhookPatch) -> dict[str, Any]:
    changes: dict[str, Any] = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    if "event_types" in changes:
        changes["event_types"] = [str(t) for t in changes["event_types"]]
    sub = services.subscription_update(
        seller_id=_seller(request), actor=_actor(request), webhook_id=webhook_id, **changes
    )
    return webhook_out(sub)


@router.delete(
    "/{webhook_id}",
    response={204: None, **ERRORS},
    summary="Delete a webhook and its log",
    auth=auth.SETTINGS,
)
def delete_webhook(request: HttpRequest, webhook_id: int) -> Status[None]:
    services.subscription_delete(seller_id=_seller(request), actor=_actor(request), webhook_id=webhook_id)
    return Status(204, None)


@router.post(
    "/{webhook_id}/rotate",
    response={200: WebhookSecretOut, **ERRORS},
    summary="A new signing secret; the old one keeps signing for 24 hours",
    auth=auth.SETTINGS,
)
def rotate_webhook(request: HttpRequest, webhook_id: int) -> HttpResponse:
    def handler() -> tuple[int, Any]:
        created = services.subscription_rotate(
            seller_id=_seller(request), actor=_actor(request), webhook_id=webhook_id
        )
        return 200, {**webhook_out(created.subscription), "secret": created.secret}

    return run_idempotent(request, auth.api_key(request), handler)


@router.get(
    "/{webhook_id}/deliveries",
    response={200: list[DeliveryOut], **ERRORS},
    summary="The webhook's latest deliveries with their attempts",
    auth=auth.SETTINGS,
    openapi_extra=auth.SETTINGS_READ,
)
def list_deliveries(request: HttpRequest, webhook_id: int) -> list[dict[str, Any]]:
    sub = services.subscription_get(seller_id=_seller(request), webhook_id=webhook_id)
    rows = WebhookDelivery.objects.filter(subscription=sub).prefetch_related("attempt_log")[:100]
    return [delivery_out(d) for d in rows]


@router.post(
    "/{webhook_id}/deliveries/{webhook_delivery_id}/replay",
    response={202: DeliveryOut, **ERRORS},
    summary="Send a delivery again (same webhook-id); the worker sends it",
    auth=auth.SETTINGS,
)
def replay_delivery(request: HttpRequest, webhook_id: int, webhook_delivery_id: int) -> HttpResponse:
    """409 `webhook_disabled` while the webhook is disabled."""

    def handler() -> tuple[int, Any]:
        delivery = services.delivery_replay(
            seller_id=_seller(request),
            actor=_actor(request),
            webhook_id=webhook_id,
            delivery_id=webhook_delivery_id,
        )
        return 202, delivery_out(delivery)

    return run_idempotent(request, auth.api_key(request), handler)
