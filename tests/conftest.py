"""Shared fixtures: sellers, staff, products, API clients — real database, real HTTP layer."""

from __future__ import annotations

import itertools
import os
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Marketplace, Seller, User
from sellerdesk.accounts.roles import Role
from sellerdesk.accounts.services import apikey_create
from sellerdesk.catalog.models import Product
from sellerdesk.orders import services

_seq = itertools.count(1)


def uses_database(item: pytest.Item) -> bool:
    """Whether a test can reach the database: pytest-django refuses every query of a test without
    the `django_db` mark or a fixture built on `django_db_setup` (db, transactional_db, live_server)."""
    return item.get_closest_marker("django_db") is not None or "django_db_setup" in getattr(
        item, "fixturenames", ()
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL leg of make test)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
    if os.environ.get("SELLERDESK_DB_TESTS_ONLY") == "1":
        # make test's PostgreSQL leg: a test that cannot reach the database answers the same on every
        # database, and the first leg runs it already.
        kept = [item for item in items if uses_database(item)]
        if len(kept) < len(items):
            config.hook.pytest_deselected(items=[item for item in items if not uses_database(item)])
            items[:] = kept


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Test users get a cheap hash: Argon2 costs up to a second per user on a busy machine, and every
    seller fixture makes four users. Argon2 stays in the list, so an Argon2 hash still checks; a test
    about the production hashing drops the first one again (`production_hashers`)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


def production_hashers(settings: Any) -> None:
    """Undo `_fast_password_hashing` for one test: passwords set from now on are hashed as in production."""
    settings.PASSWORD_HASHERS = [h for h in settings.PASSWORD_HASHERS if not h.endswith(".MD5PasswordHasher")]


@pytest.fixture
def marketplace(db: Any) -> Marketplace:
    return Marketplace.objects.create(name="Test Market", slug=f"m{next(_seq)}")


@pytest.fixture
def make_seller(marketplace: Marketplace):  # type: ignore[no-untyped-def]
    def make(slug: str | None = None, **kw: Any) -> Seller:
        slug = slug or f"seller{next(_seq)}"
        seller = Seller.objects.create(marketplace=marketplace, name=slug.title(), slug=slug, **kw)
        for sku, price, stock in [
            ("MUG-01", "12.50", 100),
            ("BOWL-01", "24.90", 50),
            ("EBOOK-01", "5.00", 1000),
        ]:
            Product.objects.create(
                seller=seller,
                sku=sku,
                name=sku.title(),
                price=Decimal(price),
                currency="EUR",
                stock=stock,
            )
        for role in Role:
            User.objects.create_user(
                email=f"{role.value}@{slug}.test", password="pw", seller=seller, role=role.value
            )
        return seller

    return make


@pytest.fixture
def seller(make_seller) -> Seller:  # type: ignore[no-untyped-def]
    return make_seller("north")


@pytest.fixture
def other_seller(make_seller) -> Seller:  # type: ignore[no-untyped-def]
    return make_seller("south")


def staff(seller: Seller, role: str = "manager") -> User:
    return User.objects.get(seller=seller, role=role)


def actor(seller: Seller, role: str = "manager") -> Actor:
    return Actor.staff(staff(seller, role))


class ApiClient:
    """The Django test client speaking to /api/v1/ with a seller's API key."""

    def __init__(self, key: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, **params: Any):  # type: ignore[no-untyped-def]
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(
        self,
        path: str,
        body: Any = None,
        *,
        raw: str | None = None,
        headers: dict[str, str] | None = None,
    ):  # type: ignore[no-untyped-def]
        import json

        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return self.client.post(
            f"/api/v1{path}",
            data,
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def patch(self, path: str, body: Any):  # type: ignore[no-untyped-def]
        import json

        return self.client.patch(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )

    def delete(self, path: str):  # type: ignore[no-untyped-def]
        return self.client.delete(f"/api/v1{path}", headers=self.headers)


@pytest.fixture
def api_for():  # type: ignore[no-untyped-def]
    def make(seller: Seller, role: str = "manager") -> ApiClient:
        _, key = apikey_create(seller=seller, name=f"test-{role}", role=role)
        return ApiClient(key)

    return make


@pytest.fixture
def api(seller: Seller, api_for) -> ApiClient:  # type: ignore[no-untyped-def]
    return api_for(seller)


def order_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer": {
            "name": "Anna Petrova",
            "email": "anna@example.com",
            "phone": "+7 912 345-67-89",
        },
        "lines": [{"sku": "MUG-01", "quantity": 2, "unit_price": "12.50"}],
        "shipping_address": {
            "country": "RU",
            "region": "Республика Татарстан",
            "city": "Казань",
            "postal_code": "420111",
            "line1": "ул. Баумана, 1",
        },
        "shipping_method": "carrier",
        "shipping_price": "4.00",
        "payment_method": "online",
        "currency": "EUR",
    }
    body.update(overrides)
    return body


def place(seller: Seller, *, role: str = "manager", **kw: Any):  # type: ignore[no-untyped-def]
    """Place an order through the service layer (for tests that are not about placement)."""
    data = services.OrderIn(
        customer=services.CustomerIn(
            name=kw.pop("name", "Anna Petrova"),
            email=kw.pop("email", "anna@example.com"),
            phone=kw.pop("phone", "+7 912 345-67-89"),
        ),
        lines=kw.pop("lines", [services.LineIn(sku="MUG-01", quantity=2)]),
        currency=kw.pop("currency", "EUR"),
        shipping_method=kw.pop("shipping_method", "carrier"),
        payment_method=kw.pop("payment_method", "online"),
        shipping_address=kw.pop(
            "shipping_address",
            {
                "country": "DE",
                "city": "Berlin",
                "postal_code": "10115",
                "line1": "Invalidenstraße 43",
            },
        ),
        shipping_price=kw.pop("shipping_price", Decimal("4.00")),
        **kw,
    )
    return services.order_place(seller=seller, actor=actor(seller, role), data=data)


def table_counts() -> dict[str, int]:
    """Row counts of every table that a write could touch (to prove nothing was written)."""
    tables = [
        "orders_order",
        "orders_orderline",
        "orders_orderevent",
        "customers_customer",
        "payments_payment",
        "orders_ordernote",
    ]
    out = {}
    with connection.cursor() as cur:
        for t in tables:
            cur.execute(f"SELECT COUNT(*) FROM {t}")  # noqa: S608 (fixed table names)
            out[t] = cur.fetchone()[0]
    out["reserved"] = sum(Product.objects.values_list("reserved", flat=True))
    return out


class SmtpServer:
    """A real SMTP server (aiosmtpd) on loopback; `.messages` are the e-mails it accepted.

    `stop()` / `start()` take it down and bring it back on the same port; `quit_delay` makes it
    answer QUIT that many seconds late (after it accepted the message); `refuse` answers DATA
    with that SMTP reply instead of accepting.
    """

    def __init__(self) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.host = "127.0.0.1"
        self.messages: list[Any] = []
        self.quit_delay = 0.0
        self.refuse = ""
        self._controller: Any = None

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd hook)
        import email
        import email.policy

        if self.refuse:
            return self.refuse
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(msg)
        return "250 OK"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd hook)
        import asyncio

        if self.quit_delay:
            await asyncio.sleep(self.quit_delay)
        return "221 Bye"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server(settings: Any):  # type: ignore[no-untyped-def]
    """A running SMTP server on loopback; settings send Django's mail to it for the test."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield server
    finally:
        server.stop()
