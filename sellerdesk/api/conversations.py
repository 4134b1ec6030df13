"""/api/v1/orders/{number}/messages and /feedback: the order's thread with the customer
(R-NOTE-4) and the customer's feedback (R-NOTE-5). Handlers only parse and call."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from sellerdesk.conversations import selectors, services
from sellerdesk.conversations.models import Message
from sellerdesk.orders import selectors as order_selectors

from . import auth
from .idempotency import run_idempotent
from .orders import _actor, _seller
from .schemas import Strict

router = Router(tags=["conversations"])
ERRORS: dict[int, Any] = {}


class MessageIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=5000, description="The message to the customer.")]


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class MessageOut(Schema):
    id: int
    author: str = Field(description="staff or customer")
    sender: str = Field(
        description="The name the customer sees: a staff member's first name, or the store's name."
    )
    staff_label: str = Field(description="Who wrote it, as staff see it.")
    text: str
    created_at: dt.datetime
    files: list[FileOut]


class FeedbackOut(Schema):
    rating: int | None = Field(description="1 to 5; null while the customer has left none.")
    review: str
    left_at: dt.datetime | None
    updated_at: dt.datetime | None
    open: bool = Field(description="True once the order is delivered or closed (the customer may rate it).")
    reminder_sent_at: dt.datetime | None = Field(description="When the seller's one reminder went out.")


def _message(m: Message) -> dict[str, Any]:
    return {
        "id": m.pk,
        "author": m.author_kind,
        "sender": m.sender_name,
        "staff_label": m.staff_label,
        "text": m.text,
        "created_at": m.created_at,
        "files": [
            {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size}
            for a in m.attachments.all()
        ],
    }


@router.get(
    "/{number}/messages",
    response={200: list[MessageOut], **ERRORS},
    summary="The order's messages with the customer (R-NOTE-4)",
)
def list_messages(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    order = order_selectors.order_get(seller_id=_seller(request), number=number)
    return [_message(m) for m in selectors.messages_of(selectors.thread_of(order))]


@router.post(
    "/{number}/messages",
    response={201: MessageOut, **ERRORS},
    summary="Write to the customer; they get it by e-mail with a reply link (R-NOTE-4)",
    auth=auth.ACT,
)
def send_message(request: HttpRequest, number: str, body: MessageIn) -> HttpResponse:
    def handler() -> tuple[int, Any]:
        message = services.message_send(
            seller_id=_seller(request), number=number, actor=_actor(request), text=body.text, files=[]
        )
        return 201, _message(message)

    return run_idempotent(request, auth.api_key(request), handler)


@router.get(
    "/{number}/feedback",
    response={200: FeedbackOut, **ERRORS},
    summary="The customer's feedback on the order (R-NOTE-5)",
)
def get_feedback(request: HttpRequest, number: str) -> dict[str, Any]:
    order = order_selectors.order_get(seller_id=_seller(request), number=number)
    state = selectors.feedback_state(order, selectors.thread_of(order))
    fb = state.feedback
    return {
        "rating": fb.rating if fb else None,
        "review": fb.review if fb else "",
        "left_at": fb.created_at if fb else None,
        "updated_at": fb.updated_at if fb else None,
        "open": state.is_open,
        "reminder_sent_at": state.reminded_at,
    }
