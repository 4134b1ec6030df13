"""Reads of customers for a seller's staff.

A customer is one identity across the marketplace (R-PROC-8). A seller finds only the
customers who have ordered from it, and sees marketplace-wide *counts* — never another
seller's orders.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from sellerdesk.core import phones
from sellerdesk.orders.models import Order

from .models import Customer


def _ordered_from(seller_id: int) -> Exists:
    return Exists(Order.objects.filter(seller_id=seller_id, customer_id=OuterRef("pk")))


def customer_search(*, seller_id: int, q: str, limit: int = 10, region: str = "RU") -> list[Customer]:
    """Customers of this seller whose name, e-mail or phone matches `q` (any phone formatting)."""
    q = (q or "").strip()[:100]
    if not q:
        return []
    match = Q(name__icontains=q) | Q(email__icontains=q)
    digits = phones.digits(q)
    if len(digits) >= 3:
        match |= Q(phone_digits__contains=digits)
        if phones.looks_like_phone(q):
            match |= Q(phone_digits__contains=phones.normalize(q, region))
    return list(
        Customer.objects.filter(match).filter(_ordered_from(seller_id)).order_by("name", "id")[:limit]
    )


def customer_get(*, seller_id: int, customer_id: int) -> Customer | None:
    """The customer if it has ordered from this seller, else None (others are not this seller's to see)."""
    return Customer.objects.filter(pk=customer_id).filter(_ordered_from(seller_id)).first()


@dataclass(frozen=True)
class CustomerPanel:
    customer: Customer
    closed_orders: int
    cancelled_orders: int


def customer_panel(*, customer: Customer) -> CustomerPanel:
    """Marketplace-wide counts of the customer's closed and cancelled orders (test orders excluded)."""
    counts = Order.objects.filter(customer_id=customer.pk, is_test=False).aggregate(
        closed=Count("id", filter=Q(status="closed")),
        cancelled=Count("id", filter=Q(status="cancelled")),
    )
    return CustomerPanel(
        customer=customer, closed_orders=counts["closed"] or 0, cancelled_orders=counts["cancelled"] or 0
    )
