"""/api/v1/orders: place, list, read and act on orders. Handlers only parse and call."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import create_model

from sellerdesk.accounts.actors import Actor
from sellerdesk.core.errors import Conflict
from sellerdesk.core.money import fmt
from sellerdesk.earnings.changes import (
    LineEdit,
    line_cancel,
    line_substitute,
    order_change_amount,
    order_edit_lines,
)
from sellerdesk.orders import filters, selectors, services
from sellerdesk.orders.models import Order
from sellerdesk.payments import refunds
from sellerdesk.payments.online import payment_start

from . import auth, serializers
from .idempotency import run_idempotent
from .schemas import (
    CancelIn,
    CustomerChangeIn,
    EventOut,
    ManagerIn,
    MarkPaidBody,
    Money,
    NoteIn,
    NoteOut,
    OrderCreate,
    OrderOut,
    OrderPage,
    PaymentIn,
    RefundIn,
    RefundQuoteOut,
    StaffOrderCreate,
)

router = Router(tags=["orders"])
ERRORS: dict[int, Any] = {}  # error answers are documented from each operation's shape (openapi.py)


def _actor(request: HttpRequest) -> Actor:
    return Actor.integration(auth.api_key(request))


def _seller(request: HttpRequest) -> int:
    return int(auth.api_key(request).seller_id)


def _detail(request: HttpRequest, number: int | str) -> dict[str, Any]:
    order = selectors.order_get(seller_id=_seller(request), number=number)
    return serializers.order_detail(order, _actor(request))


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
            seller=auth.api_key(request).seller, actor=_actor(request), data=_to_input(body, source)
        )
        return 201, serializers.order_detail(order, _actor(request))  # as placed, lines in hand: no re-read

    return run_idempotent(request, auth.api_key(request), handler)


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


def _list_query_schema() -> type[Schema]:
    """The list's query parameters, one per declared filter (orders/filters.py), with their enums."""
    fields: dict[str, Any] = {
        "q": (
            str,
            Field(
                "",
                max_length=200,
                description=(
                    "Free text (customer name, e-mail, part of a phone number, order number) and the "
                    "search syntax of the dashboard: `status:confirmed total:>50 anna`. A malformed "
                    "search is answered 422 `invalid_query`, naming the token."
                ),
            ),
        ),
    }
    for f in filters.FILTERS:
        fields[f.name] = (str, Field("", json_schema_extra=cast(Any, filters.openapi_schema(f))))
    sorts = [s for key in selectors.SORTS for s in (key, f"-{key}")]
    fields["sort"] = (str, Field("-created_at", json_schema_extra=cast(Any, {"enum": sorts})))
    fields["limit"] = (int, Field(50, description=f"Page size, 1 to {selectors.MAX_LIMIT}."))
    fields["cursor"] = (str, Field("", description="The `next_cursor` of the previous page."))
    return create_model("OrderListQuery", __base__=Schema, **fields)


OrderListQuery = _list_query_schema()


def _list_params(request: HttpRequest) -> dict[str, Any]:
    """The query string as the filters read it: a repeated list filter is a list."""
    out: dict[str, Any] = {}
    for key in request.GET:
        values = request.GET.getlist(key)
        out[key] = values if key in filters.LIST_PARAMS and len(values) > 1 else values[-1]
    return filters.apply_syntax(out) if isinstance(out.get("q"), str) else out


@router.get("", response={200: OrderPage, **ERRORS}, summary="List and search orders (R-LIST-1..4)")
def list_orders(request: HttpRequest, query: Query[OrderListQuery]) -> dict[str, Any]:  # type: ignore[valid-type]  # ninja's Query[...] is a marker read at runtime, not a type
    """Newest first. `q` searches customer name, e-mail, phone (any formatting, or part of it) and
    order number, and takes the search syntax (`status:pending total:>50`). Several values of a
    status filter: comma-separated or repeated. Keyset pagination: pass `next_cursor` back as `cursor`."""
    flt = selectors.parse_filter(_list_params(request))
    rows, next_cursor = selectors.order_list(
        seller_id=_seller(request),
        flt=flt,
        limit=query.limit,  # type: ignore[attr-defined]  # a field of the generated schema
        cursor=query.cursor or None,  # type: ignore[attr-defined]  # as above
        region=auth.api_key(request).seller.country,
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

    return run_idempotent(request, auth.api_key(request), handler)


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


def _refund_data(body: RefundIn) -> refunds.RefundIn:
    quantities: dict[int, int] = {}
    for line in body.lines:
        quantities[line.line_id] = quantities.get(line.line_id, 0) + line.quantity
    return refunds.RefundIn(
        lines=quantities,
        restock=body.restock,
        shipping=Decimal(body.shipping),
        adjustment_refund=Decimal(body.adjustment_refund),
        adjustment_fee=Decimal(body.adjustment_fee),
        reason=body.reason,
        everything=body.everything,
    )


@router.post(
    "/{number}/payments",
    response={201: OrderOut, **ERRORS},
    summary="Charge the customer online (R-PAY-2, R-PAY-5)",
    auth=auth.ACT,
)
def pay_online(request: HttpRequest, number: str, body: PaymentIn) -> HttpResponse:
    """Charges `source` through the provider. The ledger row is succeeded or failed at once, or
    pending until the provider's webhook settles it; `payment_status` follows. A declined charge is
    a failed row, not an error; an amount above what is outstanding is 409."""

    def handler() -> tuple[int, Any]:
        payment_start(
            seller_id=_seller(request),
            number=number,
            actor=_actor(request),
            source=body.source,
            provider=body.provider,
            amount=Decimal(body.amount) if body.amount else None,
        )
        return 201, _detail(request, number)

    return run_idempotent(request, auth.api_key(request), handler)


@router.post(
    "/{number}/refunds",
    response={201: OrderOut, **ERRORS},
    summary="Refund (R-PAY-4)",
    auth=auth.ACT,
)
def refund(request: HttpRequest, number: str, body: RefundIn) -> HttpResponse:
    """Returned quantities per line, shipping, an adjustment refund and an adjustment fee give the
    amount; it may not exceed what was paid and not yet refunded (409 `refund_exceeds_paid`).
    Online payments are refunded through their provider, offline ones recorded as manual refunds.
    A provider that cannot be reached leaves its part `pending` on the ledger; it is retried."""

    def handler() -> tuple[int, Any]:
        order = refunds.refund_create(
            seller_id=_seller(request), number=number, actor=_actor(request), data=_refund_data(body)
        )
        return 201, _detail(request, order.number)

    return run_idempotent(request, auth.api_key(request), handler)


@router.post(
    "/{number}/refunds/preview",
    response={200: RefundQuoteOut, **ERRORS},
    summary="Compute a refund without making it",
    auth=auth.ACT,
)
def refund_preview(request: HttpRequest, number: str, body: RefundIn) -> dict[str, Any]:
    quote = refunds.refund_preview(seller_id=_seller(request), number=number, data=_refund_data(body))
    return quote.json()


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


class LineEditIn(Schema):
    line_id: int | None = Field(None, description="An existing line; omit to add a line.")
    sku: str | None = Field(None, max_length=64, description="The product of a new line.")
    quantity: int | None = Field(None, ge=0, le=100000, description="Live units; 0 removes the line.")
    unit_price: Money | None = Field(None, description="A new unit price (decimal string).")


class OrderChangeIn(Schema):
    reason: str = Field(max_length=500, description="Why the order changes (kept on the timeline).")
    total: str | None = Field(
        None, description="A new order total: applied now, or requested from the marketplace."
    )
    lines: list[LineEditIn] | None = Field(None, description="Line edits (pending or confirmed orders).")
    discount: Money | None = Field(None, description="A new order discount (with line edits).")


class AmountRequestOut(Schema):
    request_id: int
    state: str
    total_requested: str


@router.post(
    "/{number}/changes",
    response={200: OrderOut, 202: AmountRequestOut, **ERRORS},
    summary="Change lines, discount or amount (R-PROC-6); a later amount change is a request to the marketplace",
    auth=auth.ACT,
)
def change_order(request: HttpRequest, number: str, body: OrderChangeIn) -> HttpResponse:
    def handler() -> tuple[int, Any]:
        if body.lines is not None or body.discount is not None:
            order = order_edit_lines(
                seller_id=_seller(request),
                number=number,
                actor=_actor(request),
                edits=[LineEdit(e.line_id, e.sku, e.quantity, e.unit_price) for e in body.lines or []],  # type: ignore[arg-type]  # a decimal string; the service parses it
                discount=body.discount,
                reason=body.reason,
            )
            return 200, _detail(request, order.number)
        if body.total is None:
            raise Conflict("nothing_changed", "Nothing to change: send lines, a discount or a total.")
        done = order_change_amount(
            seller_id=_seller(request),
            number=number,
            actor=_actor(request),
            total=body.total,
            reason=body.reason,
        )
        if isinstance(done, Order):
            return 200, _detail(request, done.number)
        return 202, {
            "request_id": done.pk,
            "state": done.state,
            "total_requested": fmt(done.amount_after, done.currency),
        }

    return run_idempotent(request, auth.api_key(request), handler)


class SubstituteIn(Schema):
    sku: str = Field(max_length=64, description="The product that replaces the line.")
    agreement: str = Field(max_length=500, description="How the customer agreed.")
    unit_price: Money | None = Field(None, description="Its unit price; default the product's price.")


class LineCancelIn(Schema):
    quantity: int = Field(ge=1, le=100000, description="Units to cancel.")
    reason: str = Field("out_of_stock", description="A cancel reason.")


@router.post(
    "/{number}/lines/{line_id}/substitute",
    response={200: OrderOut, **ERRORS},
    summary="Out of stock: substitute a line with the customer's agreement (R-PROC-7)",
    auth=auth.ACT,
)
def substitute_line(request: HttpRequest, number: str, line_id: str, body: SubstituteIn) -> HttpResponse:
    return _action(
        request,
        number,
        line_substitute,
        line_id=line_id,
        sku=body.sku,
        agreement=body.agreement,
        unit_price=body.unit_price,
    )


@router.post(
    "/{number}/lines/{line_id}/cancel",
    response={200: OrderOut, **ERRORS},
    summary="Out of stock: cancel units of one line; a paid order shows the refund due (R-PROC-7)",
    auth=auth.ACT,
)
def cancel_line(request: HttpRequest, number: str, line_id: str, body: LineCancelIn) -> HttpResponse:
    return _action(request, number, line_cancel, line_id=line_id, quantity=body.quantity, reason=body.reason)


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

    return run_idempotent(request, auth.api_key(request), handler)


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
