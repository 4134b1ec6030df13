"""Customer notifications end to end (R-NOTE-2, R-NOTE-3, R-PROC-4): the services change an order,
the outbox worker runs the customer handler, the deliveries go over real SMTP (aiosmtpd on
loopback), and the test reads the e-mails the customer received."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

import pytest
from django.test import Client

from sellerdesk.custnotify import services as custnotify
from sellerdesk.notifications import deliveries
from sellerdesk.notifications.models import Delivery
from sellerdesk.orders import services
from sellerdesk.orders.models import Order, OrderEvent
from sellerdesk.outbox.worker import OutboxWorker
from sellerdesk.shipping import services as shipping
from tests.conftest import actor, place, staff

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits its jobs

NOTE = "NOTE-7f3a: customer is rude, charge them the 9.99 courier cost"
RU_ADDRESS = {
    "country": "RU",
    "region": "Республика Татарстан",
    "city": "Казань",
    "postal_code": "420111",
    "line1": "ул. Баумана, 1",
}


@pytest.fixture
def shop(make_seller):  # type: ignore[no-untyped-def]
    return make_seller("north", ship_unpaid_allowed=True, country="DE", time_zone="Europe/Berlin")


def run() -> None:
    """What the worker does after a commit: the outbox jobs (and the delivery jobs they queue),
    then whatever delivery is still due."""
    OutboxWorker(batch=True, interval=0).run()
    deliveries.send_due()


def inbox(server: Any, address: str) -> list[EmailMessage]:
    """What reached `address` (the shop's staff get their own new-order e-mails on the same server)."""
    return [m for m in server.messages if str(m["To"]).strip() == address]


def subject(msg: EmailMessage) -> str:
    return str(msg["Subject"]).strip()


def content(msg: EmailMessage) -> str:
    return msg.get_content().replace("\r\n", "\n")


def text(msg: EmailMessage) -> str:
    return subject(msg) + "\n" + content(msg)


def with_note(order: Order) -> Order:
    services.note_add(seller_id=order.seller_id, number=order.number, actor=actor(order.seller), text=NOTE)
    return order


def test_place_confirm_ship_reach_the_customer_in_english(shop, smtp_server) -> None:
    order = with_note(place(shop, name="Jonas Weber", email="jonas@example.com"))
    run()
    (placed,) = inbox(smtp_server, "jonas@example.com")
    assert placed["To"] == "jonas@example.com"
    assert subject(placed) == f"Your order {order.number} at North"
    assert placed["Content-Language"] == "en"
    body = content(placed)
    assert "Hello Jonas," in body and "Mug-01 × 2" in body
    assert f"/track/{order.tracking_token}/" in body

    services.order_confirm(seller_id=shop.pk, number=order.number, actor=actor(shop))
    run()
    assert len(inbox(smtp_server, "jonas@example.com")) == 2
    assert subject(inbox(smtp_server, "jonas@example.com")[-1]) == f"Order {order.number} is confirmed"

    shipping.fulfill_manual(
        seller_id=shop.pk,
        number=order.number,
        actor=actor(shop),
        data=shipping.ManualFulfillment(carrier="DHL", tracking_number="JJD0099887766"),
    )
    run()
    shipped = inbox(smtp_server, "jonas@example.com")[-1]
    assert subject(shipped) == f"Order {order.number} is on its way"
    assert "DHL, tracking number JJD0099887766" in content(shipped)
    assert all(
        NOTE not in text(m) and "NOTE-7f3a" not in text(m) for m in inbox(smtp_server, "jonas@example.com")
    )
    kinds = list(
        Delivery.objects.filter(order_id=order.pk, kind__startswith="customer_")
        .values_list("kind", flat=True)
        .order_by("id")
    )
    assert kinds == ["customer_placed", "customer_confirmed", "customer_shipped"]


def test_a_russian_customer_gets_russian_and_the_cancel_reason(shop, smtp_server) -> None:
    order = with_note(place(shop, name="Анна Петрова", email="anna@example.ru", shipping_address=RU_ADDRESS))
    run()
    services.order_cancel(
        seller_id=shop.pk, number=order.number, actor=actor(shop), reason="out_of_stock", comment=NOTE
    )
    run()
    placed, cancelled = inbox(smtp_server, "anna@example.ru")[-2:]
    assert subject(placed) == f"Ваш заказ {order.number} в магазине North"
    assert placed["Content-Language"] == "ru"
    assert "Здравствуйте, Анна!" in content(placed)
    assert subject(cancelled) == f"Заказ {order.number} отменён"
    assert cancelled["To"] == "anna@example.ru"
    assert "Причина: Нет в наличии." in content(cancelled)
    assert all(
        "NOTE-7f3a" not in text(m) for m in inbox(smtp_server, "anna@example.ru")
    )  # nor the cancel comment


def test_the_sellers_default_language_applies_when_the_country_says_nothing(shop, smtp_server) -> None:
    custnotify.default_language_set(actor(shop, "owner"), seller_id=shop.pk, language="ru")
    order = place(shop)  # a German address
    run()
    assert subject(inbox(smtp_server, "anna@example.com")[-1]) == f"Ваш заказ {order.number} в магазине North"


def test_switching_a_kind_off_sends_nothing_and_sms_is_off_by_default(shop, smtp_server) -> None:
    custnotify.template_switch(
        actor(shop, "owner"), seller_id=shop.pk, kind="placed", channel="email", language="en", enabled=False
    )
    order = place(shop)
    run()
    assert inbox(smtp_server, "anna@example.com") == []
    assert not Delivery.objects.filter(
        order_id=order.pk, kind__startswith="customer_"
    ).exists()  # the SMS is off by default too
    services.order_confirm(seller_id=shop.pk, number=order.number, actor=actor(shop))
    run()
    assert len(inbox(smtp_server, "anna@example.com")) == 1  # other kinds still go


def test_an_sms_switched_on_goes_to_the_customers_phone_in_e164(shop, smtp_server) -> None:
    custnotify.template_switch(
        actor(shop, "owner"), seller_id=shop.pk, kind="placed", channel="sms", language="ru", enabled=True
    )
    order = place(shop, phone="8 (912) 345-67-89", shipping_address=RU_ADDRESS)
    run()
    sms = Delivery.objects.get(order_id=order.pk, channel="sms", kind__startswith="customer_")
    assert sms.to == "+79123456789"
    assert sms.body.startswith(f"North: заказ {order.number} принят, сумма 29,00")
    assert sms.language == "ru"
    assert sms.key.endswith(":customer:sms")


def test_the_sellers_own_template_is_used_and_a_replayed_event_sends_nothing_new(shop, smtp_server) -> None:
    custnotify.template_save(
        actor(shop, "owner"),
        seller_id=shop.pk,
        kind="placed",
        channel="email",
        language="en",
        subject="Thanks, {{ first_name }}! #{{ number }}",
        body="{% for l in lines %}{{ l.quantity }}x {{ l.name|upper }} at {{ l.price }}\n{% endfor %}{{ address }}",
        enabled=True,
    )
    order = place(shop)
    run()
    (msg,) = inbox(smtp_server, "anna@example.com")
    assert subject(msg) == f"Thanks, Anna! #{order.number}"
    assert content(msg).startswith("2x MUG-01 at €12.50\nInvalidenstraße 43, Berlin, 10115, DE")
    # The same event handled again (a retried job) queues nothing: the delivery key is per event.
    from sellerdesk.custnotify.handlers import notify_customer
    from sellerdesk.outbox.models import OutboxEvent

    event = OutboxEvent.objects.get(order_id=order.pk, type="order_placed")
    notify_customer(event, "again")
    run()
    assert len(inbox(smtp_server, "anna@example.com")) == 1


def test_test_orders_notify_nobody(shop, smtp_server) -> None:
    place(shop, is_test=True)
    run()
    assert inbox(smtp_server, "anna@example.com") == []
    assert not Delivery.objects.filter(kind__startswith="customer_").exists()


def test_an_amount_change_and_a_refund_reach_the_customer(shop, smtp_server) -> None:
    from decimal import Decimal

    from sellerdesk.earnings.changes import order_change_amount
    from sellerdesk.payments.refunds import RefundIn, refund_create
    from sellerdesk.payments.services import order_mark_paid

    order = place(shop, payment_method="bank_transfer")
    order_change_amount(
        seller_id=shop.pk, number=order.number, actor=actor(shop), total=Decimal("20.00"), reason=NOTE
    )
    order_mark_paid(seller_id=shop.pk, number=order.number, actor=actor(shop))
    refund_create(
        seller_id=shop.pk,
        number=order.number,
        actor=actor(shop),
        data=RefundIn(shipping=Decimal("4.00"), reason=NOTE),
    )
    run()
    by_subject = {subject(m): content(m) for m in inbox(smtp_server, "anna@example.com")}
    changed = by_subject[f"The amount of order {order.number} has changed"]
    assert "from €29.00 to €20.00" in changed
    refunded = by_subject[f"Refund for order {order.number}"]
    assert "we have refunded €4.00" in refunded and "Refunded in total: €4.00." in refunded
    assert all(
        "NOTE-7f3a" not in text(m) for m in inbox(smtp_server, "anna@example.com")
    )  # the change and refund reasons


def confirmed(shop: Any, email: str) -> Order:
    order = place(shop, email=email)
    services.order_confirm(seller_id=shop.pk, number=order.number, actor=actor(shop))
    return order


def told_shipped(server: Any, order: Order) -> int:
    """How many "order shipped" e-mails the order's customer received."""
    wanted = f"Order {order.number} is on its way"
    return sum(subject(m) == wanted for m in inbox(server, order.customer_email))


@pytest.mark.parametrize("ticked", [True, False])
def test_the_fulfil_forms_notify_box_decides_the_shipped_message(shop, smtp_server, ticked) -> None:  # type: ignore[no-untyped-def]
    order = confirmed(shop, "jonas@example.com")
    client = Client()
    client.force_login(staff(shop, "manager"))
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert re.search(r'<input type="checkbox" name="ship-notify_customer"[^>]* checked', page)
    body = {
        "ship-shipping_point": "local",
        "ship-carrier": "DHL",
        "ship-tracking_number": "JJD0099887766",
        "ship-expected_delivery": "",
        **{f"ship-qty_{line.pk}": str(line.quantity) for line in order.lines.all()},
    }
    if ticked:
        body["ship-notify_customer"] = "on"
    assert client.post(f"/orders/{order.number}/fulfil/", body).status_code == 302
    order.refresh_from_db()
    assert order.status == "shipped"
    run()
    assert told_shipped(smtp_server, order) == (1 if ticked else 0)
    # The confirmation went either way: the handler ran and chose.
    assert any(
        subject(m) == f"Order {order.number} is confirmed" for m in inbox(smtp_server, order.customer_email)
    )


@pytest.mark.parametrize(
    ("flag", "told"), [({}, 1), ({"notify_customer": True}, 1), ({"notify_customer": False}, 0)]
)
def test_the_apis_fulfilment_takes_the_same_flag(shop, smtp_server, api_for, flag, told) -> None:  # type: ignore[no-untyped-def]
    order = confirmed(shop, "jonas@example.com")
    res = api_for(shop).post(
        f"/orders/{order.number}/fulfillments", {"carrier": "DHL", "tracking_number": "JJD1", **flag}
    )
    assert res.status_code == 201, res.content
    run()
    assert told_shipped(smtp_server, order) == told
    shipped = OrderEvent.objects.get(order=order, type="order_shipped")
    assert shipped.data.get("notify_customer", True) is bool(told)


def test_an_unticked_first_part_does_not_silence_the_rest(shop, smtp_server) -> None:  # type: ignore[no-untyped-def]
    """The fulfilment that completes the order decides: its box is what staff chose for "shipped"."""
    order = confirmed(shop, "jonas@example.com")
    (line,) = order.lines.all()
    quiet = shipping.ManualFulfillment(lines={line.pk: 1}, notify_customer=False)
    shipping.fulfill_manual(seller_id=shop.pk, number=order.number, actor=actor(shop), data=quiet)
    rest = shipping.ManualFulfillment(carrier="DHL", tracking_number="JJD2")
    shipping.fulfill_manual(seller_id=shop.pk, number=order.number, actor=actor(shop), data=rest)
    run()
    assert told_shipped(smtp_server, order) == 1
