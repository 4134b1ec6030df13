"""Input and output shapes of the public API (docs/requirements.md#api-conventions). Amounts are decimal strings."""

from __future__ import annotations

import datetime as dt
import unicodedata
from enum import StrEnum
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sellerdesk.orders.methods import CancelReason, PaymentMethod, ShippingMethod
from sellerdesk.orders.selectors import OFFERED_ACTIONS
from sellerdesk.orders.states import FulfillmentStatus, PaymentStatus, Status

Money = Annotated[
    str,
    Field(
        # ASCII digits only: "١٢٣" is not read as 123.
        pattern=r"^[0-9]{1,12}(\.[0-9]{1,4})?$",
        examples=["12.50"],
        description="A decimal string in ASCII digits, at most the currency's decimals",
    ),
]
Text = Annotated[str, Field(max_length=200)]

# Text that may span lines (notes, comments) keeps tab and line breaks; every other string
# refuses control and bidirectional-override characters outright.
MULTILINE_FIELDS = frozenset({"text", "comment"})
LINE_BREAKS = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
EARLIEST_REMINDER_YEAR, LATEST_REMINDER_YEAR = 2000, 2099


def _control_character(value: str, multiline: bool) -> str | None:
    for ch in value:
        if ch in LINE_BREAKS and multiline:
            continue
        if unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS:
            return ch
    return None


# The same refusal, said in the OpenAPI document as a pattern on every free-text string.
NO_CONTROL = "^[^\\x00-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]*$"
NO_CONTROL_MULTILINE = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]*$"


_EMAIL_CHAR = r"[^@\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
EMAIL = rf"^$|^{_EMAIL_CHAR}+@{_EMAIL_CHAR}+\.{_EMAIL_CHAR}+$"


_CONTROL_CHARS = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069"
# A note's text must say something: not only spaces.
NON_BLANK_MULTILINE = f"^[^{_CONTROL_CHARS}]*[^\\s{_CONTROL_CHARS}][^{_CONTROL_CHARS}]*$"
NON_BLANK_FIELDS = frozenset({"text"})


def _document_text_patterns(schema: dict[str, Any]) -> None:
    for name, prop in schema.get("properties", {}).items():
        for variant in [prop, *prop.get("anyOf", [])]:
            if variant.get("type") == "string" and not {"pattern", "enum", "format"} & set(variant):
                if name in NON_BLANK_FIELDS:
                    variant["pattern"] = NON_BLANK_MULTILINE
                else:
                    variant["pattern"] = NO_CONTROL_MULTILINE if name in MULTILINE_FIELDS else NO_CONTROL


# The actions the API has an endpoint for (orders.selectors.OFFERED_ACTIONS), as an enum.
OfferedAction = StrEnum("OfferedAction", {a.name: a.value for a in OFFERED_ACTIONS})  # type: ignore[misc]  # members built from OFFERED_ACTIONS, which mypy cannot read


class Strict(Schema):
    model_config = ConfigDict(str_max_length=2000, json_schema_extra=_document_text_patterns)

    @model_validator(mode="wrap")
    @classmethod
    def _object_only(cls, value: Any, handler: Any) -> Any:
        # A body is a JSON object: `false`, `[]`, `"x"` or a string holding JSON are not read as {}.
        if not isinstance(value, dict | Schema):
            raise ValueError("must be a JSON object")
        return handler(value)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object, info: ValidationInfo) -> object:
        # PostgreSQL text cannot hold NUL, and control characters in a name only hide or garble it.
        if isinstance(value, str):
            ch = _control_character(value, multiline=info.field_name in MULTILINE_FIELDS)
            if ch is not None:
                raise ValueError(f"must not contain the control character U+{ord(ch):04X}")
        return value


def _iso_datetime(value: Any) -> Any:
    """A date-time is an ISO 8601 string; a number is not read as seconds since 1970."""
    if value is not None and not isinstance(value, str | dt.datetime):
        raise ValueError("must be an ISO 8601 date-time string, e.g. 2030-05-01T09:00:00+03:00")
    return value


def _plausible_reminder(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and not EARLIEST_REMINDER_YEAR <= value.year <= LATEST_REMINDER_YEAR:
        raise ValueError(f"must be in the years {EARLIEST_REMINDER_YEAR} to {LATEST_REMINDER_YEAR}")
    return value


ReminderTime = Annotated[
    dt.datetime | None,
    BeforeValidator(_iso_datetime),
    AfterValidator(_plausible_reminder),
    Field(
        description="ISO 8601 date-time in the years 2000 to 2099; null for no reminder",
        json_schema_extra={"pattern": "^20[0-9]{2}-"},
    ),
]


class CustomerIn(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    email: Annotated[str, Field(max_length=254, pattern=EMAIL)] = ""
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


def _cancel_schema(schema: dict[str, Any]) -> None:
    _document_text_patterns(schema)
    # the reason "other" needs a comment that says why
    schema["if"] = {"properties": {"reason": {"const": CancelReason.OTHER.value}}, "required": ["reason"]}
    schema["then"] = {"properties": {"comment": {"pattern": "\\S"}}, "required": ["comment"]}


class CancelIn(Strict):
    model_config = ConfigDict(json_schema_extra=_cancel_schema)

    reason: CancelReason
    comment: Annotated[str, Field(max_length=1000)] = ""


class MarkPaidIn(Strict):
    amount: Money | None = None
    reference: Annotated[str, Field(max_length=200)] = ""


def _object_or_absent(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError("must be a JSON object, or no body at all to pay the balance")
    return value


# No body (or `null`) pays the outstanding balance; any other body must be an object.
MarkPaidBody = Annotated[MarkPaidIn | None, BeforeValidator(_object_or_absent)]


class RefundLineIn(Strict):
    line_id: StrictInt
    quantity: StrictInt = Field(ge=0, le=1_000_000)


class PaymentIn(Strict):
    """An online charge (R-PAY-2, R-PAY-5): the provider settles it, now or by its webhook."""

    source: Annotated[str, Field(min_length=1, max_length=200)] = Field(
        description="What to charge: a card number for the sandbox provider, a PaymentMethod id for Stripe"
    )
    provider: Annotated[str, Field(max_length=32)] | None = Field(
        None, description="sandbox or stripe; omitted: the configured online provider"
    )
    amount: Money | None = Field(None, description="Omitted: what is still outstanding")


class RefundIn(Strict):
    """What is given back (R-PAY-4); the amount is computed from it."""

    lines: list[RefundLineIn] = Field(
        default_factory=list, max_length=500, description="Returned units per line"
    )
    restock: StrictBool = Field(False, description="Put the returned units back in stock")
    shipping: Money = Field("0", description="Shipping to refund")
    adjustment_refund: Money = Field("0", description="An extra amount to refund")
    adjustment_fee: Money = Field("0", description="A fee kept back (e.g. restocking)")
    reason: Annotated[str, Field(max_length=500)] = ""
    everything: StrictBool = Field(
        False, description="Refund all money still held (the other fields are ignored)"
    )


class RefundQuoteLineOut(Schema):
    line_id: int
    sku: str
    quantity: int
    amount: str


class RefundQuoteOut(Schema):
    currency: str
    lines: list[RefundQuoteLineOut]
    shipping: str
    adjustment_refund: str
    adjustment_fee: str
    amount: str
    refundable: str


class ManagerIn(Strict):
    manager_id: StrictInt | None = Field(description="a staff member's id, or null to unassign")


class CustomerChangeIn(Strict):
    customer_id: StrictInt


class NoteIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=5000)]
    remind_at: ReminderTime = None


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
    id: int = Field(description="The line's id (refunds name lines by it)")
    sku: str
    name: str
    quantity: int
    unit_price: str
    total: str
    quantity_fulfilled: int
    quantity_cancelled: int
    quantity_returned: int


class PaymentOut(Schema):
    id: int
    kind: Literal["authorize", "capture", "offline", "refund"]
    state: Literal["pending", "succeeded", "failed"]
    amount: str
    currency: str
    provider: str
    reference: str
    refund_of: int | None = Field(description="For a refund: the id of the payment it gives money back from")
    by: str | None = Field(description="Who recorded it (staff member, API key, or the system)")
    error: str | None
    created_at: dt.datetime
    settled_at: dt.datetime | None


class BalanceOut(Schema):
    outstanding: str = Field(description="Still to be paid by the customer")
    refund_due: str = Field(description="Received money that must go back (cancelled or overpaid order)")
    refund_pending: str = Field(description="Refunds sent to the provider, not yet answered")
    refundable: str = Field(description="The most a new refund may be")


class OrderOut(Schema):
    number: str
    status: Status
    payment_status: PaymentStatus
    fulfillment_status: FulfillmentStatus
    currency: str
    subtotal: str
    discount: str
    shipping_price: str
    total: str
    paid: str
    refunded: str
    balance: BalanceOut
    payments: list[PaymentOut] = Field(description="The payment ledger (R-PAY-1), oldest first")
    customer: CustomerOut
    lines: list[LineOut]
    shipping_address: dict[str, str]
    address_valid: bool
    address_errors: dict[str, str]
    shipping_method: ShippingMethod
    payment_method: PaymentMethod
    manager: StaffOut | None
    is_test: bool
    source: str
    available_actions: list[OfferedAction] = Field(
        description="What the caller may do to the order now; each is a POST /orders/{number}/<action>."
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    confirm_by: dt.datetime | None
    ship_by: dt.datetime | None
    confirmed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: CancelReason | Literal[""]
    cancel_comment: str


class OrderSummary(Schema):
    number: str
    status: Status
    payment_status: PaymentStatus
    fulfillment_status: FulfillmentStatus
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


class ProblemFieldError(Schema):
    field: str
    message: str
    type: str


class Problem(Schema):
    """An error (RFC 9457, `application/problem+json`); problems may carry more members."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str = Field(description="stable, for programs: validation_error, not_found, forbidden, …")
    field: str | None = Field(default=None, description="where the problem is, when one field is")
    errors: list[ProblemFieldError] | None = Field(default=None, description="each schema violation")
