"""The customer's e-mails of conversations over real SMTP (aiosmtpd on loopback): a staff message
arrives with its text and the reply link, the feedback reminder with the rating link; nothing
internal (notes, staff surnames) is in them; the outbox and delivery keys send each once."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from sellerdesk.conversations.models import Message, Thread
from sellerdesk.notifications import deliveries
from sellerdesk.orders import services as order_services
from sellerdesk.outbox.models import OutboxJob
from sellerdesk.outbox.worker import OutboxWorker
from tests.conftest import actor, place, staff

from .conftest import delivered, logged_in, staff_writes

pytestmark = pytest.mark.django_db(transaction=True)


def drain() -> None:
    """Run the outbox's ready jobs (the worker also sends what they queued), then anything still due."""
    for _ in range(100):
        OutboxWorker(batch=True, interval=0).run()
        if not OutboxJob.objects.exclude(status__in=["done", "failed"]).exists():
            break
        time.sleep(0.02)
    deliveries.send_due()


def to(smtp_server, address: str) -> list:  # type: ignore[no-untyped-def, type-arg]
    """The conversation's e-mails one recipient received: those carrying a thread link (staff get
    their own: new order, new message; customers also get the order's status notifications)."""
    return [m for m in smtp_server.messages if m["To"] == address and "/m/" in m.get_content()]


def link_in(body: str) -> str:
    match = re.search(r"https?://\S+/m/[A-Za-z0-9_-]+/\S*", body)
    assert match, body
    return match.group(0)


def test_a_staff_message_reaches_the_customer_with_a_working_reply_link(
    seller, smtp_server, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_URL = "https://desk.example.test"
    order = place(seller, email="anna@example.com")
    olga = staff(seller, "manager")
    olga.first_name, olga.last_name = "Olga", "Hiddensurname"
    olga.save()
    order_services.note_add(
        seller_id=seller.pk, number=order.number, actor=actor(seller), text="NOTE: VIP, 5% cost"
    )
    staff_writes(seller, order, "Your parcel leaves tomorrow.")
    drain()
    (mail,) = to(smtp_server, "anna@example.com")
    body = mail.get_content()
    assert str(order.number) in mail["Subject"] and seller.name in mail["Subject"]
    assert "Your parcel leaves tomorrow." in body and "Olga" in body
    assert "Hiddensurname" not in body and "NOTE" not in body and "cost" not in body
    link = link_in(body)
    thread = Thread.objects.get(order=order)
    assert link == f"https://desk.example.test/m/{thread.token}/"
    # The link's path works for the customer, who replies through it.
    path = link.split("desk.example.test", 1)[1]
    client = Client()
    assert "Your parcel leaves tomorrow." in client.get(path).content.decode()
    client.post(path, {"text": "Great, thanks"})
    assert Message.objects.filter(thread=thread, author_kind="customer").count() == 1
    # Running everything again sends nothing twice (the reply itself e-mails no customer), and the
    # reply's event reaches the seller's staff (the notifications app's handler of
    # customer_message_received: the owners and administrators, no manager being assigned).
    drain()
    about_reply = [m for m in smtp_server.messages if "new message from the customer" in m["Subject"]]
    assert about_reply and {m["To"] for m in about_reply} <= {"owner@north.test", "administrator@north.test"}
    assert sum("Your parcel leaves tomorrow." in m.get_content() for m in smtp_server.messages) == 1
    assert len(to(smtp_server, "anna@example.com")) == 1


def test_a_customer_without_email_gets_nothing_and_nothing_fails(seller, smtp_server) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, email="")
    staff_writes(seller, order, "Hello?")
    drain()
    assert not [m for m in smtp_server.messages if "Hello?" in m.get_content()]
    assert not OutboxJob.objects.filter(status="failed").exists()


def test_the_one_feedback_reminder_arrives_with_the_rating_link(seller, smtp_server) -> None:  # type: ignore[no-untyped-def]
    order = delivered(seller, email="boris@example.com")
    manager = logged_in(staff(seller, "manager"))
    manager.post(f"/orders/{order.number}/feedback/remind/")
    manager.post(f"/orders/{order.number}/feedback/remind/")  # refused: only one
    drain()
    (mail,) = to(smtp_server, "boris@example.com")
    assert str(order.number) in mail["Subject"]
    link = link_in(mail.get_content())
    assert link.endswith("#feedback")
    path = "/" + link.split("/", 3)[3].split("#")[0]
    assert "Rate your order" in Client().get(path).content.decode()


def test_the_emails_speak_the_customers_language(make_seller, smtp_server) -> None:  # type: ignore[no-untyped-def]
    """The one language rule of customer notifications (custnotify's `customer_language`): an
    order delivered to Russia is written to in Russian, one to Germany in the language of the
    seller's customers (a German seller: English)."""
    seller = make_seller("west", country="DE")
    moscow = {"country": "RU", "city": "Москва", "postal_code": "101000", "line1": "ул. Тверская, 1"}
    russian = place(seller, email="ivan@example.com", shipping_address=moscow)
    german = place(seller, email="hans@example.com")
    staff_writes(seller, russian, "Посылка уйдёт завтра.")
    staff_writes(seller, german, "Your parcel leaves tomorrow.")
    drain()
    (ivan,) = to(smtp_server, "ivan@example.com")
    (hans,) = to(smtp_server, "hans@example.com")
    assert str(ivan["Subject"]).strip() == f"Заказ {russian.number}: сообщение от {seller.name}"
    assert "Прочитать переписку и ответить можно здесь:" in ivan.get_content()
    assert str(hans["Subject"]).strip() == f"Order {german.number}: a message from {seller.name}"
    assert "Read the conversation and reply here:" in hans.get_content()
    languages = dict(deliveries.Delivery.objects.filter(kind="message").values_list("to", "language"))
    assert languages == {"ivan@example.com": "ru", "hans@example.com": "en"}
