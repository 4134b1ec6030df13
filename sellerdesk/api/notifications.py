"""The order's delivery log over the API (R-NOTE-3): what was sent to whom, when, the outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from sellerdesk.notifications import deliveries, selectors
from sellerdesk.notifications.models import Delivery

from . import auth

router = Router(tags=["orders"])
ERRORS: dict[int, Any] = {}  # error answers are documented from each operation's shape (openapi.py)


class DeliveryOut(Schema):
    id: int
    channel: str = Field(description="email, sms, inapp or push.")
    to: str = Field(description="The e-mail address, phone number, or the staff user's id (inapp, push).")
    recipient_user_id: int | None = Field(description="The staff member it was for, when it was for staff.")
    kind: str = Field(description="What it is about, e.g. new_order, assigned, deadline_warning.")
    subject: str
    language: str
    status: str = Field(
        description="queued, sending, sent, failed (every try was refused), or unknown (the worker "
        "stopped between the hand-off and the mark; it is not sent again by itself)."
    )
    attempts: int
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    resent_from_id: int | None = Field(description="The delivery this one resends by hand.")


def _out(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "channel": d.channel,
        "to": d.to,
        "recipient_user_id": d.user_id,
        "kind": d.kind,
        "subject": d.subject,
        "language": d.language,
        "status": deliveries.outcome(d),
        "attempts": d.attempts,
        "last_error": d.last_error,
        "created_at": d.created_at,
        "sent_at": d.sent_at,
        "resent_from_id": d.resent_from_id,
    }


@router.get(
    "/{number}/deliveries",
    response={200: list[DeliveryOut], **ERRORS},
    summary="The order's delivery log: notifications sent about it (R-NOTE-3)",
)
def get_deliveries(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    seller_id = int(auth.api_key(request).seller_id)
    return [_out(d) for d in selectors.order_deliveries(seller_id=seller_id, number=number)]
