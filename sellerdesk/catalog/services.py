"""The writers of stock (R-INV-1..3): setting units on hand, and the moves orders make.

Lock order: an order writer has locked its order row before it calls a move; every move locks
the product rows it touches in ascending id order, then writes them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

from sellerdesk.accounts.actors import Actor
from sellerdesk.core.errors import Conflict, InvalidInput, NotFound

from .models import Product, StockState


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


# How a move changes each product's counters, per unit: (from, to) → (reserved, stock).
MOVES: dict[tuple[StockState, StockState], tuple[int, int]] = {
    (StockState.RESERVED, StockState.DEDUCTED): (-1, -1),  # deduct: the reserved units leave
    (StockState.RESERVED, StockState.RELEASED): (-1, 0),  # release: the reservation is dropped
    (StockState.DEDUCTED, StockState.RELEASED): (0, +1),  # restock: the units come back
}


def stock_reserve(*, seller_id: int, wanted: Mapping[str, int]) -> dict[str, Product]:
    """Reserve units per SKU for a new order (R-INV-1), or refuse: unknown SKU 422, short 409.

    Locks the SKUs' rows in id order first; returns the products by SKU with their new counts.
    """
    products = {
        p.sku: p
        for p in Product.objects.select_for_update()
        .filter(seller_id=seller_id, sku__in=list(wanted))
        .order_by("id")
    }
    unknown = sorted(set(wanted) - set(products))
    if unknown:
        raise InvalidInput("unknown_sku", f"Unknown SKU: {', '.join(unknown)}.", skus=unknown, field="lines")
    short = [
        {"sku": sku, "requested": qty, "available": products[sku].available}
        for sku, qty in wanted.items()
        if products[sku].available < qty
    ]
    if short:
        names = ", ".join(f"{s['sku']} ({s['available']} available, {s['requested']} asked)" for s in short)
        raise Conflict("out_of_stock", f"Not enough stock: {names}.", lines=short)
    for sku, qty in wanted.items():
        products[sku].reserved += qty
    # The rows are locked: write the new counts in one plain statement (bulk_update's CASE
    # expressions cost more Python than the database takes to run them).
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {Product._meta.db_table} SET reserved = CASE id "
            + " ".join("WHEN %s THEN %s" for _ in products)
            + " END WHERE id IN ("
            + ", ".join("%s" for _ in products)
            + ")",
            [v for p in products.values() for v in (p.pk, p.reserved)] + [p.pk for p in products.values()],
        )
    return products


def stock_move(*, current: str, to: StockState, quantities: Mapping[int, int]) -> StockState:
    """Move an order's units (product id → quantity) from `current` to `to`; returns the new state.

    reserved → deducted (deduct), reserved → released (release), deducted → released (restock).
    Moving to the state it is in, or out of released, changes nothing.
    """
    state = StockState(current)
    delta = MOVES.get((state, to))
    if delta is None:
        return state
    d_reserved, d_stock = delta
    reserved = Counter({pid: d_reserved * qty for pid, qty in quantities.items()})
    stock = Counter({pid: d_stock * qty for pid, qty in quantities.items()})
    pending = _batched.get()
    if pending is not None:  # inside `stock_moves_batched`: written once at its end
        pending[0].update(reserved)
        pending[1].update(stock)
        return to
    _write_moves(reserved, stock)
    return to


def _write_moves(reserved: Counter[int], stock: Counter[int]) -> None:
    ids = sorted(set(reserved) | set(stock))
    if not ids:
        return
    # Lock the rows in id order (the global lock order), then one UPDATE of them all: a CASE per
    # column keyed by id (the values are ints from the counters above, written into the statement).
    list(Product.objects.select_for_update().filter(id__in=ids).order_by("id").only("id"))
    table = connection.ops.quote_name(Product._meta.db_table)

    def case(column: str, moves: Counter[int]) -> str:
        whens = " ".join(f"WHEN {int(pid)} THEN {int(moves[pid])}" for pid in ids if moves[pid])
        return f"{column} = {column} + (CASE id {whens} ELSE 0 END)" if whens else ""

    sets = ", ".join(part for part in (case("reserved", reserved), case("stock", stock)) if part)
    if sets:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {sets} WHERE id IN ({', '.join(str(int(i)) for i in ids)})")


_batched: ContextVar[tuple[Counter[int], Counter[int]] | None] = ContextVar("stock_moves", default=None)


@contextmanager
def stock_moves_batched() -> Iterator[None]:
    """Collect the stock moves made inside and write them at the end with one lock and one
    UPDATE (for set-based writers that move many orders in one transaction, e.g. the deadline
    sweep). The lock order holds: the orders are locked first, the products after."""
    pending: tuple[Counter[int], Counter[int]] = (Counter(), Counter())
    token = _batched.set(pending)
    try:
        yield
    finally:
        _batched.reset(token)
    _write_moves(*pending)


def stock_deduct(*, current: str, quantities: Mapping[int, int]) -> StockState:
    """The order's reserved units leave the warehouse (processing, shipped or delivered)."""
    return stock_move(current=current, to=StockState.DEDUCTED, quantities=quantities)


def stock_release(*, current: str, quantities: Mapping[int, int]) -> StockState:
    """Give back what the order holds (R-INV-2): its reservation, or its units (restock)."""
    return stock_move(current=current, to=StockState.RELEASED, quantities=quantities)


def stock_restock(*, quantities: Mapping[int, int]) -> None:
    """Returned units (product id → quantity) go back on hand (R-FUL-10, R-INV-2).

    For units that had left the warehouse (a delivered order's return): the order's own stock
    state does not change, only the products' counts.
    """
    products = list(Product.objects.select_for_update().filter(id__in=list(quantities)).order_by("id"))
    for product in products:
        product.stock += quantities[product.pk]
    Product.objects.bulk_update(products, ["stock"])
