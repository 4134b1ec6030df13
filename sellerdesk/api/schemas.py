"""Input and output shapes of the public API (SPEC §4). Amounts are decimal strings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, field_validator

Money = Annotated[
    str,
    Field(
        pattern=r"^\d{1,12}(\.\d{1,4})?$",
        examples=["12.50"],
        description="A decimal string, at most 4 decimals",
    ),
]
Text = Annotated[str, Field(max_length=200)]
ShippingMethod = Literal["carrier", "pickup", "digital", "local"]
PaymentMethod = Literal["online", "cash_on_delivery", "bank_transfer", "pos_on_delivery"]


class Strict(Schema):
    model_config = ConfigDict(str_max_length=2000)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_nul(cls, value: object) -> object:
        # PostgreSQL text cannot hold NUL; refuse it here rather than fail at the database.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain the NUL character")
        return value


class CustomerIn(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    email: Annotated[str, Field(max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")] = ""
    phone: Annotated[str, Field(max_length=40)] = ""


class LineIn(Strict):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    quantity: Annotated[StrictInt, Field(ge=1, le=100_000)]
    unit_price: Money | None = None


class AddressIn(Strict):
    country: Annotated[str, Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")]
    region: Text = ""
    city: Text = ""
    city_area: Text = ""
    postal_code: Annotated[str, Field(max_length=20)] = ""
    line1: Text = ""
    line2: Text = ""
    name: Text = ""
    phone: Annotated[str, Field(max_length=40)] = ""


class OrderCreate(Strict):
    customer: CustomerIn
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=200)]
    shipping_address: AddressIn | None = None
    shipping_method: ShippingMethod
    shipping_price: Money = "0"
    discount: Money = "0"
    payment_method: PaymentMethod
    currency: Annotated[str, Field(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$")]
    is_test: StrictBool = False


class StaffOrderCreate(OrderCreate):
    """An order a staff member adds on a customer's behalf (R-IN-2)."""


class CancelIn(Strict):
    reason: Annotated[str, Field(max_length=40)]
    comment: Annotated[str, Field(max_length=1000)] = ""


class MarkPaidIn(Strict):
    amount: Money | None = None
    reference: Annotated[str, Field(max_length=200)] = ""


class ManagerIn(Strict):
    manager_id: StrictInt | None = Field(description="a staff member's id, or null to unassign")


class CustomerChangeIn(Strict):
    customer_id: StrictInt


class NoteIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=5000)]
    remind_at: dt.datetime | None = None


class StockIn(Strict):
    stock: Annotated[StrictInt, Field(ge=0, le=10_000_000)]


# --- outputs -----------------------------------------------------------------


class CustomerOut(Schema):
    id: int
    name: str
    email: str
    phone: str


class StaffOut(Schema):
    id: int
    name: str
    email: str


class LineOut(Schema):
    sku: str
    name: str
    quantity: int
    unit_price: str
    total: str
    quantity_fulfilled: int
    quantity_cancelled: int
    quantity_returned: int


class OrderOut(Schema):
    number: str
    status: str
    payment_status: str
    fulfillment_status: str
    currency: str
    subtotal: str
    discount: str
    shipping_price: str
    total: str
    paid: str
    refunded: str
    customer: CustomerOut
    lines: list[LineOut]
    shipping_address: dict[str, str]
    address_valid: bool
    address_errors: dict[str, str]
    shipping_method: str
    payment_method: str
    manager: StaffOut | None
    is_test: bool
    source: str
    available_actions: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime
    confirm_by: dt.datetime | None
    ship_by: dt.datetime | None
    confirmed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: str
    cancel_comment: str


class OrderSummary(Schema):
    number: str
    status: str
    payment_status: str
    fulfillment_status: str
    currency: str
    total: str
    customer_name: str
    customer_email: str
    customer_phone: str
    manager: StaffOut | None
    is_test: bool
    address_valid: bool
    created_at: dt.datetime
    confirm_by: dt.datetime | None
    ship_by: dt.datetime | None


class OrderPage(Schema):
    items: list[OrderSummary]
    next_cursor: str | None


class EventOut(Schema):
    id: int
    type: str = Field(description="The event type (docs/events.md lists each with its payload).")
    version: int = Field(description="The version of the payload schema of this event type.")
    description: str = Field(description="The timeline sentence, in the request's language.")
    actor: dict[str, str | None]
    data: dict
    created_at: dt.datetime


class NoteOut(Schema):
    id: int
    text: str
    author: str
    remind_at: dt.datetime | None
    reminder_done_at: dt.datetime | None  # set when the author marked the reminder done in the dashboard
    created_at: dt.datetime
    updated_at: dt.datetime


class ProductOut(Schema):
    sku: str
    name: str
    price: str
    currency: str
    stock: int
    reserved: int
    available: int


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str
