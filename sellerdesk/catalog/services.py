from __future__ import annotations

from django.db import transaction

from sellerdesk.accounts.actors import Actor
from sellerdesk.core.errors import Conflict, InvalidInput, NotFound

from .models import Product


def product_set_stock(*, seller_id: int, sku: str, actor: Actor, stock: int) -> Product:
    """Set units on hand (R-INV-3). Refused below what open orders hold reserved."""
    actor.require("stock.write")
    if isinstance(stock, bool) or not isinstance(stock, int) or not 0 <= stock <= 10_000_000:
        raise InvalidInput(
            "invalid_stock", "Stock must be a whole number from 0 to 10,000,000.", field="stock"
        )
    with transaction.atomic():
        product = Product.objects.select_for_update().filter(seller_id=seller_id, sku=sku).first()
        if product is None:
            raise NotFound("product_not_found", f"There is no product {sku!r}.")
        if stock < product.reserved:
            raise Conflict(
                "stock_below_reserved",
                f"{product.reserved} units of {sku} are reserved by open orders; stock cannot go below that.",
                reserved=product.reserved,
            )
        product.stock = stock
        product.save(update_fields=["stock"])
    return product
