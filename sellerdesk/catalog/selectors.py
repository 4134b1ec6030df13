from __future__ import annotations

from django.db.models import QuerySet

from .models import Product


def product_list(*, seller_id: int, q: str = "") -> QuerySet[Product]:
    qs = Product.objects.filter(seller_id=seller_id)
    if q:
        qs = qs.filter(sku__icontains=q) | qs.filter(name__icontains=q)
    return qs.order_by("sku")


def product_get(*, seller_id: int, sku: str) -> Product | None:
    return Product.objects.filter(seller_id=seller_id, sku=sku).first()


def product_images(*, seller_id: int, product_ids: list[int]) -> dict[int, str]:
    """Image URLs of the given products (those without an image are absent)."""
    rows = Product.objects.filter(seller_id=seller_id, id__in=product_ids).exclude(image_url="")
    return dict(rows.values_list("id", "image_url"))
