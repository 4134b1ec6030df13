"""Helpers of the conversation tests: orders in the states the features need, files of each kind."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sellerdesk.accounts.models import Seller, User
from sellerdesk.conversations import services
from sellerdesk.conversations.models import Thread
from sellerdesk.orders import services as order_services
from sellerdesk.orders.models import Order
from tests.conftest import actor, place, staff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def delivered(seller: Seller, **kw: Any) -> Order:
    """A digital order, confirmed and delivered by hand (feedback is open)."""
    order = place(seller, shipping_method="digital", payment_method="cash_on_delivery", **kw)
    order_services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    order_services.order_deliver(seller_id=seller.pk, number=order.number, actor=actor(seller))
    return Order.objects.get(pk=order.pk)


def staff_writes(seller: Seller, order: Order, text: str = "Hello from the shop", **kw: Any) -> Thread:
    """Staff send one message (the way the order page does); the order's thread."""
    services.message_send(
        seller_id=seller.pk, number=order.number, actor=actor(seller), text=text, files=kw.pop("files", [])
    )
    return Thread.objects.get(order=order)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager_client(seller: Seller) -> Client:
    return logged_in(staff(seller, "manager"))
