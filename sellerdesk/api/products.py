from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from sellerdesk.accounts.actors import Actor
from sellerdesk.catalog import selectors, services
from sellerdesk.core.errors import InvalidInput, NotFound

from . import auth, serializers
from .schemas import NO_CONTROL, ProductOut, StockIn

router = Router(tags=["products"])
# The search text refuses control characters (a 422), and the document says so with the pattern
# every text field carries.
SEARCH: Any = Query("", pattern=NO_CONTROL)
ERRORS: dict[int, Any] = {}  # error answers are documented from each operation's shape (openapi.py)


def _sku(sku: str) -> str:
    # PostgreSQL text cannot hold NUL: such a SKU cannot exist, so it is not found.
    if "\x00" in sku or len(sku) > 64:
        raise NotFound("product_not_found", f"There is no product {sku[:64]!r}.")
    return sku


@router.get("", response={200: list[ProductOut], **ERRORS}, summary="Products with stock (R-INV-3)")
def list_products(request: HttpRequest, q: str = SEARCH):  # type: ignore[no-untyped-def]  # ninja takes the response types from the decorator
    if "\x00" in q:
        raise InvalidInput("invalid_character", "q must not contain NUL.", field="q")
    return [
        serializers.product(p)
        for p in selectors.product_list(seller_id=auth.api_key(request).seller_id, q=q[:64])
    ]


@router.get("/{sku}", response={200: ProductOut, **ERRORS}, summary="One product")
def get_product(request: HttpRequest, sku: str):  # type: ignore[no-untyped-def]  # ninja takes the response types from the decorator
    product = selectors.product_get(seller_id=auth.api_key(request).seller_id, sku=_sku(sku))
    if product is None:
        raise NotFound("product_not_found", f"There is no product {sku!r}.")
    return serializers.product(product)


@router.patch(
    "/{sku}", response={200: ProductOut, **ERRORS}, summary="Set stock on hand", auth=auth.STOCK_WRITE
)
def set_stock(request: HttpRequest, sku: str, body: StockIn):  # type: ignore[no-untyped-def]  # ninja takes the response types from the decorator
    product = services.product_set_stock(
        seller_id=auth.api_key(request).seller_id,
        sku=_sku(sku),
        actor=Actor.integration(auth.api_key(request)),
        stock=body.stock,
    )
    return serializers.product(product)
