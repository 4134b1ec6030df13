"""/api/v1/orders/{number}/…: fulfillments, shipments, rates, returns and shipping documents (R-FUL).

Handlers only parse and call the shipping writers; every id in the path or the body is looked up
within the caller's seller (and the order), so another seller's is a 404 or an unknown line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from pydantic import StrictBool, StrictInt

from sellerdesk.orders import selectors as order_selectors
from sellerdesk.shipping import printing as docs
from sellerdesk.shipping import services
from sellerdesk.shipping.carriers.base import Package, Party
from sellerdesk.shipping.models import CarrierAccount, Shipment, ShippingPoint
from sellerdesk.shipping.selectors import shipment_get, shipments_of
from sellerdesk.shipping.states import ShipmentStatus

from . import auth, serializers
from .idempotency import run_idempotent
from .orders import _actor, _seller
from .schemas import Money, Strict, Text

router = Router(tags=["shipping"])
accounts_router = Router(tags=["shipping"])
ERRORS: dict[int, Any] = {}

Units = Annotated[StrictInt, Field(ge=1, le=1_000_000)]


class LineQtyIn(Strict):
    line_id: StrictInt = Field(description="The id of one of this order's lines (`lines[].id` of the order).")
    quantity: Annotated[StrictInt, Field(ge=0, le=1_000_000)]


class FulfillmentIn(Strict):
    lines: list[LineQtyIn] | None = Field(
        None, max_length=500, description="Lines and units to ship; omitted: every unit still to ship."
    )
    shipping_point: ShippingPoint = ShippingPoint.LOCAL
    carrier: Text = ""
    tracking_number: Annotated[str, Field(max_length=100)] = ""
    expected_delivery: dt.date | None = None
    notify_customer: StrictBool = Field(
        True, description="false: the customer is not told that the order left (its shipped notification)."
    )


class PackageIn(Strict):
    weight_g: Units
    length_cm: Annotated[StrictInt, Field(ge=1, le=1000)]
    width_cm: Annotated[StrictInt, Field(ge=1, le=1000)]
    height_cm: Annotated[StrictInt, Field(ge=1, le=1000)]


class PartyIn(Strict):
    name: Text
    phone: Annotated[str, Field(max_length=40)] = ""
    email: Annotated[str, Field(max_length=254)] = ""
    company: Text = ""
    country: Annotated[str, Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")]
    postcode: Annotated[str, Field(max_length=20)] = ""
    region: Text = ""
    city: Text = ""
    line1: Text = ""
    line2: Text = ""


class ParcelIn(Strict):
    account_id: StrictInt = Field(description="One of the seller's carrier accounts (GET /carrier-accounts).")
    packages: list[PackageIn] = Field(min_length=1, max_length=20)
    recipient: PartyIn | None = Field(None, description="Omitted: the order's customer and shipping address.")
    shipper: PartyIn | None = Field(None, description="Omitted: the seller's ship-from details.")
    lines: list[LineQtyIn] | None = Field(None, max_length=500)
    declared_value: Money = "0"
    insurance: StrictBool = False
    dangerous_goods: StrictBool = False
    signature: StrictBool = False
    drop_off_date: dt.date | None = None


class LabelIn(ParcelIn):
    service_code: Annotated[str, Field(min_length=1, max_length=40)]


class RateOut(Schema):
    service_code: str
    service_name: str
    price: str
    currency: str
    days_min: int
    days_max: int
    estimated_delivery: dt.date | None


class ShipmentLineOut(Schema):
    line_id: int
    sku: str
    name: str
    quantity: int


class TrackingOut(Schema):
    raw_code: str
    status: str
    occurred_at: dt.datetime
    description: str
    location: str


class ShipmentOut(Schema):
    id: int = Field(description="The shipment's number within the order (the {shipment} of its paths).")
    kind: str
    status: ShipmentStatus
    shipping_point: str
    carrier: str
    service_code: str
    service_name: str
    tracking_number: str
    registration: str = Field(
        description="Carrier shipments: waiting (for the carrier's waybill), registered, invalid."
    )
    registration_errors: list[str]
    expected_delivery: dt.date | None
    price: str
    charged: str
    seller_cost: str
    currency: str
    lines: list[ShipmentLineOut]
    tracking: list[TrackingOut]
    created_at: dt.datetime
    handed_over_at: dt.datetime | None
    delivered_at: dt.datetime | None
    has_label: bool


class ShipmentPatch(Strict):
    carrier: Text | None = None
    tracking_number: Annotated[str, Field(max_length=100)] | None = None
    status: ShipmentStatus | None = None
    expected_delivery: dt.date | None = None
    notify_customer: StrictBool = False


class ReturnIn(Strict):
    lines: list[LineQtyIn] = Field(min_length=1, max_length=500)
    restock: StrictBool = False
    reason: Annotated[str, Field(max_length=500)] = ""


class ReturnOut(Schema):
    id: int
    restock: bool
    reason: str
    lines: list[ShipmentLineOut]
    created_at: dt.datetime


def _lines(items: list[LineQtyIn] | None) -> dict[int, int] | None:
    if items is None:
        return None
    out: dict[int, int] = {}
    for item in items:
        out[item.line_id] = out.get(item.line_id, 0) + item.quantity
    return out


def shipment_out(s: Shipment) -> dict[str, Any]:
    # One query per relation, whatever the number of lines (a no-op where they are prefetched).
    prefetch_related_objects([s], "lines__line", "tracking")
    return serializers.shipment(s)


def _party(p: PartyIn | None) -> Party | None:
    return Party(**p.model_dump()) if p else None


def _parcel(request: HttpRequest, number: str, body: ParcelIn) -> services.Parcel:
    order = order_selectors.order_get(seller_id=_seller(request), number=number)
    return services.Parcel(
        account_id=body.account_id,
        packages=tuple(Package(**p.model_dump()) for p in body.packages),
        recipient=_party(body.recipient) or docs.recipient_of(order),
        shipper=_party(body.shipper) or docs.shipper_of(order.seller),
        declared_value=Decimal(body.declared_value),
        insurance=body.insurance,
        dangerous_goods=body.dangerous_goods,
        signature=body.signature,
        drop_off_date=body.drop_off_date,
        lines=_lines(body.lines),
    )


@router.get(
    "/{number}/shipments", response={200: list[ShipmentOut], **ERRORS}, summary="The order's shipments"
)
def list_shipments(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    order = order_selectors.order_get(seller_id=_seller(request), number=number)
    return [shipment_out(s) for s in shipments_of(order)]


@router.post(
    "/{number}/fulfillments",
    response={201: ShipmentOut, **ERRORS},
    summary="Fulfill by hand: local, international or in-store pickup (R-FUL-1, R-FUL-2)",
    auth=auth.ACT,
)
def fulfill(request: HttpRequest, number: str, body: FulfillmentIn) -> HttpResponse:
    """Puts the chosen units (or every unit still to ship) in a new shipment. International needs
    `carrier` and `tracking_number`. Refused (409 `payment_required`) before payment unless the
    order is paid on delivery or the seller's policy allows it (R-PAY-7)."""

    def handler() -> tuple[int, Any]:
        shipment = services.fulfill_manual(
            seller_id=_seller(request),
            number=number,
            actor=_actor(request),
            data=services.ManualFulfillment(
                lines=_lines(body.lines),
                shipping_point=body.shipping_point.value,
                carrier=body.carrier,
                tracking_number=body.tracking_number,
                expected_delivery=body.expected_delivery,
                notify_customer=body.notify_customer,
            ),
        )
        return 201, shipment_out(shipment)

    return run_idempotent(request, auth.api_key(request), handler)


@router.post(
    "/{number}/rates",
    response={200: list[RateOut], **ERRORS},
    summary="Get rates for a parcel (R-FUL-3)",
    auth=auth.ACT,
)
def rates(request: HttpRequest, number: str, body: ParcelIn) -> list[dict[str, Any]]:
    """Each service's price and estimated delivery date for these packages. Writes nothing."""
    found = services.quote_rates(
        seller_id=_seller(request),
        number=number,
        actor=_actor(request),
        parcel=_parcel(request, number, body),
    )
    return [serializers.rate(r) for r in found]


@router.post(
    "/{number}/shipments",
    response={201: ShipmentOut, **ERRORS},
    summary="Buy a carrier label (R-FUL-3, R-FUL-5)",
    auth=auth.ACT,
)
def buy_label(request: HttpRequest, number: str, body: LabelIn) -> HttpResponse:
    """Re-quotes the parcel, registers it with the carrier and records the shipment; the
    difference from what the customer paid for shipping is the seller's cost. A carrier that
    registers asynchronously answers with `registration: waiting` until its waybill number arrives."""

    def handler() -> tuple[int, Any]:
        shipment = services.buy_label(
            seller_id=_seller(request),
            number=number,
            actor=_actor(request),
            parcel=_parcel(request, number, body),
            service_code=body.service_code,
        )
        return 201, shipment_out(shipment)

    return run_idempotent(request, auth.api_key(request), handler)


def _one(request: HttpRequest, number: str, shipment: int) -> Shipment:
    return shipment_get(seller_id=_seller(request), number=number, shipment_no=shipment)


@router.get("/{number}/shipments/{shipment}", response={200: ShipmentOut, **ERRORS}, summary="One shipment")
def get_shipment(request: HttpRequest, number: str, shipment: int) -> dict[str, Any]:
    return shipment_out(_one(request, number, shipment))


@router.patch(
    "/{number}/shipments/{shipment}",
    response={200: ShipmentOut, **ERRORS},
    summary="Edit a manual shipment (R-FUL-6)",
    auth=auth.ACT,
)
def edit_shipment(request: HttpRequest, number: str, shipment: int, body: ShipmentPatch) -> dict[str, Any]:
    """Carrier, tracking number, status (forward only) and expected delivery date of a manual
    shipment; `notify_customer` asks for the customer to be told. A carrier's shipment is 409."""
    sent = body.model_fields_set
    edited = services.shipment_edit(
        seller_id=_seller(request),
        number=number,
        shipment_no=shipment,
        actor=_actor(request),
        data=services.ShipmentEdit(
            carrier=body.carrier,
            tracking_number=body.tracking_number,
            status=body.status.value if body.status else None,
            expected_delivery=body.expected_delivery,
            clear_expected_delivery="expected_delivery" in sent and body.expected_delivery is None,
            notify_customer=body.notify_customer,
        ),
    )
    return shipment_out(edited)


def _shipment_action(request: HttpRequest, number: str, shipment: int, fn: Any) -> HttpResponse:
    def handler() -> tuple[int, Any]:
        # The answer is the shipment the writer returns, as it wrote it (no second read of it).
        done = fn(seller_id=_seller(request), number=number, shipment_no=shipment, actor=_actor(request))
        return 200, shipment_out(done)

    return run_idempotent(request, auth.api_key(request), handler)


@router.post(
    "/{number}/shipments/{shipment}/deliver",
    response={200: ShipmentOut, **ERRORS},
    summary="Mark a manual shipment delivered (R-FUL-6)",
    auth=auth.ACT,
)
def deliver_shipment(request: HttpRequest, number: str, shipment: int) -> HttpResponse:
    """409 `carrier_tracked` while a carrier tracks the parcel: its report delivers it."""
    return _shipment_action(request, number, shipment, services.shipment_deliver)


@router.post(
    "/{number}/shipments/{shipment}/void",
    response={200: ShipmentOut, **ERRORS},
    summary="Void a shipment before the carrier has it (R-FUL-6)",
    auth=auth.ACT,
)
def void_shipment(request: HttpRequest, number: str, shipment: int) -> HttpResponse:
    return _shipment_action(request, number, shipment, services.shipment_void)


@router.post(
    "/{number}/shipments/{shipment}/track",
    response={200: ShipmentOut, **ERRORS},
    summary="Ask the carrier for news now (R-FUL-7)",
    auth=auth.ACT,
)
def track_shipment(request: HttpRequest, number: str, shipment: int) -> HttpResponse:
    return _shipment_action(request, number, shipment, services.track_now)


@router.get(
    "/{number}/shipments/{shipment}/label",
    response={200: None, **ERRORS},
    summary="The shipment's label or waybill as PDF (R-FUL-8)",
    openapi_extra={"responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def label(request: HttpRequest, number: str, shipment: int) -> HttpResponse:
    document = docs.shipment_label(_one(request, number, shipment))
    return docs.pdf_response(document.content, document.filename)


@router.get(
    "/{number}/packing-slip",
    response={200: None, **ERRORS},
    summary="The order's packing slip as PDF (R-FUL-8)",
    openapi_extra={"responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def packing_slip(request: HttpRequest, number: str) -> HttpResponse:
    order = order_selectors.order_get(seller_id=_seller(request), number=number)
    return docs.pdf_response(docs.packing_slips([order]), f"packing-slip-{order.number}.pdf")


@router.get("/{number}/returns", response={200: list[ReturnOut], **ERRORS}, summary="The order's returns")
def list_returns(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    order = order_selectors.order_get(seller_id=_seller(request), number=number)
    return [serializers.return_(r) for r in order.returns.prefetch_related("lines__line")]


@router.post(
    "/{number}/returns",
    response={201: ReturnOut, **ERRORS},
    summary="Record returned units, with or without restock (R-FUL-10)",
    auth=auth.ACT,
)
def add_return(request: HttpRequest, number: str, body: ReturnIn) -> HttpResponse:
    """Only delivered units can come back; partial → partially_returned."""

    def handler() -> tuple[int, Any]:
        ret = services.order_return(
            seller_id=_seller(request),
            number=number,
            actor=_actor(request),
            quantities=_lines(body.lines) or {},
            restock=body.restock,
            reason=body.reason,
        )
        return 201, serializers.return_(ret)

    return run_idempotent(request, auth.api_key(request), handler)


class CarrierAccountOut(Schema):
    id: int
    carrier: str
    name: str
    is_active: bool
    has_credentials: bool = Field(description="Whether a client secret is stored (it is never shown).")


@accounts_router.get(
    "", response={200: list[CarrierAccountOut], **ERRORS}, summary="The seller's carrier accounts"
)
def list_carrier_accounts(request: HttpRequest) -> list[dict[str, Any]]:
    """The `account_id`s that rates and labels take. Every seller has a sandbox account."""
    return [
        {
            "id": a.pk,
            "carrier": a.carrier,
            "name": a.name,
            "is_active": a.is_active,
            "has_credentials": bool(a.client_secret_encrypted),
        }
        for a in CarrierAccount.objects.filter(seller_id=_seller(request)).order_by("id")
    ]
