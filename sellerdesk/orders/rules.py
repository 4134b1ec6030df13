"""The placement rules: one set for every way an order comes in (R-IN-1..4).

The API, the dashboard's new-order form and the CSV import all accept and refuse the same
orders because all three ask these functions. An entry point only parses its own format
(JSON, form fields, CSV cells) and reports the refusals in its own way; it adds no rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from sellerdesk.core.money import known_currencies, quantize

from . import methods

MAX_LINES = 200
MAX_QUANTITY = 100_000
# The largest amount (a price, the shipping price, the subtotal) an order may carry; the money
# columns hold more (14 digits, 4 decimals), so sums of amounts up to this still fit.
MAX_AMOUNT = Decimal("1000000000")
MAX_NAME = 200
# The address fields an order that needs an address must fill in.
REQUIRED_ADDRESS_FIELDS = ("country", "city", "line1")


@dataclass(frozen=True)
class Refusal:
    code: str  # stable, for programs
    field: str  # where the problem is: "shipping_address.city", "lines[0].unit_price"
    message: str  # for people


def missing_address_fields(shipping_method: str, address: Mapping[str, object]) -> list[str]:
    """The required address fields left blank, or [] when the method needs no address."""
    if not methods.needs_address(shipping_method):
        return []
    return [name for name in REQUIRED_ADDRESS_FIELDS if not str(address.get(name) or "").strip()]


def amount_refusal(amount: Decimal, currency: str, field: str) -> Refusal | None:
    """A money amount must be finite, zero or more, at most MAX_AMOUNT, and use no more decimals
    than the currency has (12.345 USD is refused, not rounded)."""
    if not amount.is_finite() or amount < 0:
        return Refusal("invalid_amount", field, "An amount must be a number of zero or more.")
    if amount > MAX_AMOUNT:
        return Refusal("amount_too_large", field, f"An amount is at most {MAX_AMOUNT}.")
    if currency in known_currencies() and quantize(amount, currency) != amount:
        return Refusal(
            "too_many_decimals",
            field,
            f"{amount} has more decimals than {currency} has minor units.",
        )
    return None


def order_refusals(
    *,
    customer_name: str,
    lines: Iterable[tuple[int, Decimal | None]],
    currency: str,
    shipping_method: str,
    payment_method: str,
    shipping_address: Mapping[str, object],
    shipping_price: Decimal,
    discount: Decimal,
) -> list[Refusal]:
    """Every rule that needs no catalog: the order as it was sent. [] means acceptable so far."""
    out: list[Refusal] = []
    if shipping_method not in methods.ShippingMethod.__members__.values():
        known = ", ".join(m.value for m in methods.ShippingMethod)
        out.append(
            Refusal("invalid_shipping_method", "shipping_method", f"Shipping method is one of: {known}.")
        )
    if payment_method not in methods.PaymentMethod.__members__.values():
        known = ", ".join(m.value for m in methods.PaymentMethod)
        out.append(Refusal("invalid_payment_method", "payment_method", f"Payment method is one of: {known}."))
    if not customer_name.strip():
        out.append(Refusal("customer_name_required", "customer.name", "The customer needs a name."))
    elif len(customer_name) > MAX_NAME:
        out.append(Refusal("name_too_long", "customer.name", f"A name is at most {MAX_NAME} characters."))
    currency = (currency or "").upper()
    if currency not in known_currencies():
        out.append(Refusal("unknown_currency", "currency", f"{currency!r} is not an ISO 4217 currency code."))
    lines = list(lines)
    if not lines:
        out.append(Refusal("no_lines", "lines", "An order needs at least one line."))
    if len(lines) > MAX_LINES:
        out.append(Refusal("too_many_lines", "lines", f"An order has at most {MAX_LINES} lines."))
    for i, (quantity, unit_price) in enumerate(lines):
        if isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
            out.append(
                Refusal("invalid_quantity", f"lines[{i}].quantity", f"Quantity must be 1 to {MAX_QUANTITY}.")
            )
        if unit_price is not None and (r := amount_refusal(unit_price, currency, f"lines[{i}].unit_price")):
            out.append(r)
    for name, amount in (("shipping_price", shipping_price), ("discount", discount)):
        if r := amount_refusal(amount, currency, name):
            out.append(r)
    missing = missing_address_fields(shipping_method, shipping_address)
    if missing:
        out.append(
            Refusal(
                "address_required",
                "shipping_address." + missing[0],
                f"A {shipping_method} order needs a shipping address with {', '.join(missing)}.",
            )
        )
    return out


def priced_refusals(
    *, unit_prices: Iterable[Decimal], subtotal: Decimal, shipping: Decimal, discount: Decimal
) -> list[Refusal]:
    """The rules that need the catalog's prices: the order's amounts once priced."""
    out: list[Refusal] = []
    if max([subtotal + shipping, *unit_prices]) > MAX_AMOUNT:
        out.append(Refusal("amount_too_large", "lines", f"The order's amounts are larger than {MAX_AMOUNT}."))
    if discount > subtotal:
        out.append(
            Refusal(
                "discount_too_large",
                "discount",
                f"The discount ({discount}) is larger than the lines' subtotal ({subtotal}).",
            )
        )
    return out
