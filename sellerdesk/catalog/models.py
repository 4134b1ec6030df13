from __future__ import annotations

from decimal import Decimal

from django.db import models


class StockState(models.TextChoices):
    """What an order (and each of its lines) holds of the seller's stock (R-INV-1, R-INV-2).

    reserved: units set aside (`Product.reserved`); deducted: units gone from `Product.stock`;
    released: nothing held any more (reservation dropped, or units put back on cancel).
    """

    RESERVED = "reserved", "reserved"
    DEDUCTED = "deducted", "deducted"
    RELEASED = "released", "released"


class Product(models.Model):
    """A seller's SKU with its stock. `reserved` is held by open orders (R-INV-1)."""

    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="products")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=14, decimal_places=4, default=Decimal("0"))
    currency = models.CharField(max_length=3)
    stock = models.IntegerField(default=0, help_text="units on hand")
    reserved = models.IntegerField(default=0, help_text="units held by orders not yet processing")
    image_url = models.URLField(blank=True)
    # The product's category: a marketplace tariff plan may charge it its own commission (R-PAY-8).
    category = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "sku"], name="product_unique_sku"),
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="product_stock_not_negative"),
            models.CheckConstraint(condition=models.Q(reserved__gte=0), name="product_reserved_not_negative"),
            models.CheckConstraint(
                condition=models.Q(reserved__lte=models.F("stock")),
                name="product_reserved_le_stock",
            ),
        ]
        ordering = ["sku"]

    def __str__(self) -> str:
        return self.sku

    @property
    def available(self) -> int:
        return self.stock - self.reserved
