"""The benchmark's generator at a tiny size: the data it loads is what the services would write."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.db.models import Sum

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Seller, User
from sellerdesk.bench import generate
from sellerdesk.catalog.models import Product
from sellerdesk.core import phones
from sellerdesk.orders import selectors, services
from sellerdesk.orders.models import Order, OrderEvent, OrderLine
from sellerdesk.orders.states import LineQty, Status, derive_fulfillment_status, derive_payment_status
from sellerdesk.payments.ledger import ledger_of


@pytest.mark.django_db(transaction=True)
def test_generator_at_a_tiny_size() -> None:
    """One load (it is the slow part), three checks."""
    dataset = generate.generate(orders=300, customers=60, seed=3, out=io.StringIO())
    check_counts_and_spread(dataset)
    check_derived_statuses_stock_and_phones()
    check_the_app_works_on_the_generated_data()


def check_counts_and_spread(dataset) -> None:  # type: ignore[no-untyped-def]
    assert dataset["orders"] == 300 == generate.existing_orders()
    assert Order.objects.count() == 300
    # A unique column the generator does not know gets a fresh default per row (a tracking token).
    assert Order.objects.values("tracking_token").distinct().count() == 300
    assert OrderLine.objects.count() == dataset["lines"] >= 300
    assert OrderEvent.objects.filter(type="order_placed").count() == 300
    per_order = OrderLine.objects.values("order_id").annotate(n=Sum(1)).values_list("n", flat=True)
    assert min(per_order) >= 1 and max(per_order) <= 5
    statuses = set(Order.objects.values_list("status", flat=True))
    assert {"closed", "cancelled"} <= statuses and len(statuses) >= 3
    assert Order.objects.values("seller_id").distinct().count() == 2
    first, last = Order.objects.order_by("created_at")[0], Order.objects.order_by("-created_at")[0]
    assert (last.created_at - first.created_at).days > 300


def check_derived_statuses_stock_and_phones() -> None:
    reserved: dict[int, int] = defaultdict(int)
    for line in OrderLine.objects.filter(order__stock_state="reserved"):
        reserved[line.product_id] += line.quantity - line.quantity_cancelled
    for product in Product.objects.all():
        assert product.reserved == reserved.get(product.pk, 0), product.sku
    for order in Order.objects.select_related("seller").prefetch_related("lines"):
        assert order.payment_status == derive_payment_status(ledger_of(order)).value
        lines = [
            LineQty(x.quantity, x.quantity_fulfilled, x.quantity_cancelled, x.quantity_returned)
            for x in order.lines.all()
        ]
        expected = derive_fulfillment_status(Status(order.status), order.shipping_method, lines)
        assert order.fulfillment_status == expected.value
        assert order.total == order.subtotal + order.shipping_price - order.discount
        assert order.stock_state == (
            "released"
            if order.status == "cancelled"
            else "reserved"
            if order.status in ("pending", "confirmed")
            else "deducted"
        )
        if order.customer_phone:
            assert order.customer_phone_digits == phones.normalize(order.customer_phone, order.seller.country)


def check_the_app_works_on_the_generated_data() -> None:
    seller = Seller.objects.get(slug="bench-north")
    sample = Order.objects.filter(seller=seller).exclude(customer_phone="").order_by("-id")[0]
    surname = sample.customer_name.split()[-1]
    rows, _ = selectors.order_list(seller_id=seller.pk, flt=selectors.parse_filter({"q": surname}), limit=200)
    assert sample.pk in {o.pk for o in rows}
    rows, _ = selectors.order_list(
        seller_id=seller.pk, flt=selectors.parse_filter({"q": sample.customer_phone_digits}), limit=200
    )
    assert sample.pk in {o.pk for o in rows}
    # the sequences were moved past the loaded ids: the services can write next to the data set
    manager = User.objects.filter(seller=seller, role="manager").first()
    order = services.order_place(
        seller=seller,
        actor=Actor.staff(manager),
        data=services.OrderIn(
            customer=services.CustomerIn(name="Анна Петрова", email="anna.bench@example.com"),
            lines=[services.LineIn(sku=Product.objects.filter(seller=seller).first().sku, quantity=1)],
            currency="RUB",
            shipping_method="digital",
            payment_method="online",
        ),
    )
    assert order.number == Order.objects.filter(seller=seller).count() + 1000
    pending = Order.objects.filter(seller=seller, status="pending").exclude(pk=order.pk).first()
    if pending is not None:
        confirmed = services.order_confirm(
            seller_id=seller.pk, number=pending.number, actor=Actor.staff(manager)
        )
        assert confirmed.status == "confirmed"
