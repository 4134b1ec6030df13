"""An order as its packing slip sees it (R-FUL-8): what the customer may read, nothing internal.

The one place that turns an `Order` into `documents.SlipData`. It reads the seller's name, the
order's number, date, ship-to address and lines — never its notes, staff, costs or timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from django.utils import timezone

from sellerdesk.orders.models import Order

from .carriers.base import Party
from .documents import SlipData, SlipLine, packing_slip_pdf


def ship_to(order: Order) -> Party:
    """The order's recipient: the customer's name and phone at the shipping address."""
    address = order.shipping_address or {}
    return Party(
        name=order.customer_name,
        phone=order.customer_phone,
        country=address.get("country", ""),
        postcode=address.get("postal_code", ""),
        region=address.get("region", ""),
        city=address.get("city", ""),
        line1=address.get("line1", ""),
        line2=address.get("line2", ""),
    )


def slip_for_order(
    order: Order, *, quantities: Mapping[int, int] | None = None, reference: str = ""
) -> SlipData:
    """The packing slip of `order`. `quantities` (order line id → quantity) is what this shipment
    packs; without it, every line's ordered quantity less what was cancelled. Lines with nothing
    to pack are left out. `reference`: the shipment's tracking number or reference."""
    seller = order.seller
    lines = []
    for line in order.lines.all():
        ordered = line.quantity - line.quantity_cancelled
        pack = quantities.get(line.pk, 0) if quantities is not None else ordered
        if pack > 0:
            lines.append(SlipLine(sku=line.sku, name=line.name, quantity=pack, ordered=line.quantity))
    return SlipData(
        seller_name=seller.name,
        order_number=str(order.number),
        order_date=timezone.localtime(order.created_at, ZoneInfo(seller.time_zone)).date(),
        ship_to=ship_to(order),
        lines=tuple(lines),
        shipment_reference=reference,
    )


def packing_slips(orders: Iterable[Order]) -> bytes:
    """One PDF with the packing slips of `orders` (prefetch `lines` and select `seller` for many)."""
    return packing_slip_pdf([slip_for_order(order) for order in orders])
