"""/api/v1/orders: place, list, read and act on orders. Handlers only parse and call."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from sellerdesk.accounts.actors import Actor
from sellerdesk.orders import selectors, services
from sellerdesk.orders.models import Order

from . import auth, serializers
from .idempotency import run_idempotent
from .schemas import (
    CancelIn,
    CustomerChangeIn,
    EventOut,
    ManagerIn,
    MarkPaidBody,
    NoteIn,
    NoteOut,
    OrderCreate,
    OrderOut,
    OrderPage,
    StaffOrderCreate,
)

router = Router(tags=["orders"])
ERRORS: dict[int, Any] = {}  # error answers are documented from each operation's shape (openapi.py)


def _actor(request: HttpRequest) -> Actor:
    return Actor.integration(request.auth)


def _seller(request: HttpRequest) -> int:
    return int(request.auth.seller_id)


def _detail(request: HttpRequest, number: int | str) -> dict[str, Any]:
    return serializers.order_detail(selectors.order_get(seller_id=_seller(request), number=number))


def _to_input(body: OrderCreate, source: str) -> services.OrderIn:
    return services.OrderIn(
        customer=services.CustomerIn(
            name=body.customer.name, email=body.customer.email, phone=body.customer.phone
        ),
        lines=[
            services.LineIn(
                sku=line.sku,
                quantity=line.quantity,
                unit_price=Decimal(line.unit_price) if line.unit_price else None,
            )
            for line in body.lines
        ],
        currency=body.currency,
        shipping_method=body.shipping_method,
        payment_method=body.payment_method,
        shipping_address=body.shipping_address.model_dump() if body.shipping_address else {},
        shipping_price=Decimal(body.shipping_price),
        discount=Decimal(body.discount),
        is_test=body.is_test,
        source=source,
    )


def _place(request: HttpRequest, body: OrderCreate, source: str) -> HttpResponse:
    def handler() -> tuple[int, Any]:
        order = services.order_place(
            seller=request.auth.seller, actor=_actor(request), data=_to_input(body, source)
        )
        return 201, serializers.order_detail(order)  # as placed, lines in hand: no re-read

    return run_idempotent(request, request.auth, handler)


@router.post(
    "", response={201: OrderOut, **ERRORS}, summary="Place an order (R-IN-1, R-IN-3)", auth=auth.PLACE
)
def place_order(request: HttpRequest, body: OrderCreate) -> HttpResponse:
    """Reserves stock; refused with 409 when a SKU is short, and then nothing is written.
    Set `is_test` for a test order. Send `Idempotency-Key` to make retries safe."""
    return _place(request, body, "api")


@router.post(
    "/on-behalf",
    response={201: OrderOut, **ERRORS},
    summary="Add an order on a customer's behalf (R-IN-2)",
    auth=auth.PLACE,
)
def place_on_behalf(request: HttpRequest, body: StaffOrderCreate) -> HttpResponse:
    """A sale agreed with the customer in messages; lands in New orders like any other."""
    return _place(request, body, "staff")


@router.get("", response={200: OrderPage, **ERRORS}, summary="List and search orders (R-LIST-1..4)")
def list_orders(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    payment_status: str = "",
    fulfillment_status: str = "",
    total_min: str = "",
    total_max: str = "",
    created_after: str = "",
    created_before: str = "",
    manager: str = "",
    payment_method: str = "",
    shipping_method: str = "",
    sku: str = "",
    is_test: str = "",
    overdue: str = "",
    sort: str = "-created_at",
    limit: int = 50,
    cursor: str = "",
) -> dict[str, Any]:
    """Newest first. `q` searches customer name, e-mail, phone (any formatting) and order number.
    Comma-separate several statuses. Keyset pagination: pass `next_cursor` back as `cursor`."""
    flt = selectors.parse_filter(dict(request.GET.items()))
    rows, next_cursor = selectors.order_list(
        seller_id=_seller(request),
        flt=flt,
        limit=limit,
        cursor=cursor or None,
        region=request.auth.seller.country,
    )
    return {"items": [serializers.order_summary(o) for o in rows], "next_cursor": next_cursor}


@router.get("/{number}", response={200: OrderOut, **ERRORS}, summary="One order")
def get_order(request: HttpRequest, number: str) -> dict[str, Any]:
    return _detail(request, number)


@router.get(
    "/{number}/events",
    response={200: list[EventOut], **ERRORS},
    summary="The order's timeline (R-AUD-1)",
)
def get_events(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    return [serializers.event(e) for e in selectors.order_events(seller_id=_seller(request), number=number)]


def _action(request: HttpRequest, number: str, fn: Any, **kwargs: Any) -> HttpResponse:
    def handler() -> tuple[int, Any]:
        order: Order = fn(seller_id=_seller(request), number=number, actor=_actor(request), **kwargs)
        return 200, _detail(request, order.number)

    return run_idempotent(request, request.auth, handler)


@router.post(
    "/{number}/confirm", response={200: OrderOut, **ERRORS}, summary="Confirm (irreversible)", auth=auth.ACT
)
def confirm(request: HttpRequest, number: str) -> HttpResponse:
    return _action(request, number, services.order_confirm)


@router.post(
    "/{number}/process",
    response={200: OrderOut, **ERRORS},
    summary="Start processing; deducts stock",
    auth=auth.ACT,
)
def process(request: HttpRequest, number: str) -> HttpResponse:
    return _action(request, number, services.order_process)


@router.post(
    "/{number}/cancel",
    response={200: OrderOut, **ERRORS},
    summary="Cancel with a reason; releases stock",
    auth=auth.ACT,
)
def cancel(request: HttpRequest, number: str, body: CancelIn) -> HttpResponse:
    return _action(request, number, services.order_cancel, reason=body.reason, comment=body.comment)


@router.post(
    "/{number}/deliver",
    response={200: OrderOut, **ERRORS},
    summary="Mark delivered (digital/pickup)",
    auth=auth.ACT,
)
def deliver(request: HttpRequest, number: str) -> HttpResponse:
    return _action(request, number, services.order_deliver)


@router.post(
    "/{number}/close", response={200: OrderOut, **ERRORS}, summary="Close a delivered order", auth=auth.ACT
)
def close(request: HttpRequest, number: str) -> HttpResponse:
    return _action(request, number, services.order_close)


@router.post(
    "/{number}/mark-paid",
    response={200: OrderOut, **ERRORS},
    summary="Record an offline payment (R-PAY-3)",
    auth=auth.ACT,
)
def mark_paid(request: HttpRequest, number: str, body: MarkPaidBody = None) -> HttpResponse:
    """`amount` omitted: the outstanding balance. A partial amount gives partially_paid."""
    amount = Decimal(body.amount) if body and body.amount else None
    return _action(
        request,
        number,
        services.order_mark_paid,
        amount=amount,
        reference=body.reference if body else "",
    )


@router.post(
    "/{number}/manager",
    response={200: OrderOut, **ERRORS},
    summary="Assign a manager (R-PROC-2)",
    auth=auth.ASSIGN,
)
def assign_manager(request: HttpRequest, number: str, body: ManagerIn) -> HttpResponse:
    return _action(request, number, services.order_assign_manager, manager_id=body.manager_id)


@router.post(
    "/{number}/customer",
    response={200: OrderOut, **ERRORS},
    summary="Change the customer (R-PROC-5)",
    auth=auth.ACT,
)
def change_customer(request: HttpRequest, number: str, body: CustomerChangeIn) -> HttpResponse:
    return _action(request, number, services.order_change_customer, customer_id=body.customer_id)


# --- internal notes (R-PROC-4): staff and integrations only; never customer-facing --------


@router.get("/{number}/notes", response={200: list[NoteOut], **ERRORS}, summary="Internal notes")
def list_notes(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    order = selectors.order_get(seller_id=_seller(request), number=number)
    return [serializers.note(n) for n in order.notes.all()]


@router.post(
    "/{number}/notes", response={201: NoteOut, **ERRORS}, summary="Add an internal note", auth=auth.ACT
)
def add_note(request: HttpRequest, number: str, body: NoteIn) -> HttpResponse:
    def handler() -> tuple[int, Any]:
        note = services.note_add(
            seller_id=_seller(request),
            number=number,
            actor=_actor(request),
            text=body.text,
            remind_at=body.remind_at,
        )
        return 201, serializers.note(note)

    return run_idempotent(request, request.auth, handler)


@router.patch(
    "/{number}/notes/{note_id}",
    response={200: NoteOut, **ERRORS},
    summary="Edit an internal note",
    auth=auth.ACT,
)
def edit_note(request: HttpRequest, number: str, note_id: int, body: NoteIn) -> dict[str, Any]:
    note = services.note_edit(
        seller_id=_seller(request),
        number=number,
        actor=_actor(request),
        note_id=note_id,
        text=body.text,
        remind_at=body.remind_at,
    )
    return serializers.note(note)


@router.delete(
    "/{number}/notes/{note_id}",
    response={204: None, **ERRORS},
    summary="Delete an internal note",
    auth=auth.ACT,
)
def delete_note(request: HttpRequest, number: str, note_id: int) -> Status[None]:
    services.note_delete(seller_id=_seller(request), number=number, actor=_actor(request), note_id=note_id)
    return Status(204, None)
