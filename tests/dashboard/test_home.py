"""The dashboard home (R-LIST-5): today's counts and revenue per currency, roles."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from sellerdesk.orders import services
from tests.conftest import actor, place, staff

pytestmark = pytest.mark.django_db


def test_revenue_today_is_shown_per_currency_and_leaves_out_cancelled_and_test(make_seller) -> None:  # type: ignore[no-untyped-def]
    seller = make_seller("rouble", currency="RUB")
    place(seller, lines=[services.LineIn(sku="MUG-01", quantity=2)])  # 25.00 + 4.00 shipping, EUR
    place(
        seller, currency="RUB", lines=[services.LineIn(sku="BOWL-01", quantity=1, unit_price=Decimal("990"))]
    )
    gone = place(seller, lines=[services.LineIn(sku="MUG-01", quantity=1)])
    services.order_cancel(
        seller_id=seller.pk, number=gone.number, actor=actor(seller), reason="customer_request"
    )
    client = Client()
    client.force_login(staff(seller, "viewer"))
    html = client.get("/").content.decode()
    card = html[html.index("Revenue today") :].split("</div></div>", 1)[0]
    assert "RUB994.00" in card  # the seller's currency first
    assert "€29.00" in card  # the EUR order counted in its own currency, the cancelled one not
    assert card.index("RUB") < card.index("€")


def test_revenue_today_shows_zero_in_the_seller_currency_on_a_quiet_day(seller) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, "viewer"))
    html = client.get("/").content.decode()
    card = html[html.index("Revenue today") :].split("</div></div>", 1)[0]
    assert seller.currency == "RUB"
    assert '<span class="stat-money">RUB0.00</span>' in card and "€" not in card


def test_role_chip_is_translated(seller) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, "viewer"))
    assert 'class="role-chip">Viewer<' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    html = client.get("/", headers={"Accept-Language": "ru"}).content.decode()
    assert 'class="role-chip">Наблюдатель<' in html
