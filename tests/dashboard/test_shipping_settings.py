"""Shipping settings (owner and administrator): ship-from details, the R-PAY-7 policy, carrier
accounts with their secrets stored encrypted and never shown again, and their webhook addresses."""

from __future__ import annotations

import pytest
from django.test import Client

from sellerdesk.core import secrets
from sellerdesk.shipping.accounts import config_of, sandbox_account
from sellerdesk.shipping.models import CarrierAccount
from sellerdesk.shipping.services import ManualFulfillment, fulfill_manual
from tests.conftest import actor, staff
from tests.shipping.conftest import ready_to_ship

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t-Shh-do-not-echo"
ACCOUNT = {
    "account-name": "CDEK main",
    "account-base_url": "https://api.edu.cdek.ru",
    "account-client_id": "EMscd6r9JnFiQ3bLoyjJY6eM78JrJceI",
    "account-client_secret": SECRET,
}
SHIP_FROM = {
    "name": "North Crafts warehouse",
    "phone": "+7 495 123-45-67",
    "email": "ship@north.example",
    "country": "ru",
    "postcode": "101000",
    "city": "Moscow",
    "line1": "Myasnitskaya 10",
}


def login(seller, role: str = "owner") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


@pytest.mark.parametrize("role", ["owner", "administrator"])
def test_owner_and_administrator_save_ship_from_and_the_policy(seller, role):  # type: ignore[no-untyped-def]
    client = login(seller, role)
    page = client.get("/settings/shipping/")
    assert page.status_code == 200
    assert "Shipping settings" in page.content.decode()
    response = client.post("/settings/shipping/", {**SHIP_FROM, "ship_unpaid_allowed": "on"})
    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.ship_from == {**SHIP_FROM, "country": "RU"}
    assert seller.ship_unpaid_allowed is True
    client.post("/settings/shipping/", SHIP_FROM)
    seller.refresh_from_db()
    assert seller.ship_unpaid_allowed is False


def test_the_policy_lets_an_unpaid_order_ship(seller):  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller, payment_method="bank_transfer")
    data = ManualFulfillment(carrier="DHL", tracking_number="X1")
    with pytest.raises(Exception, match="paid"):
        fulfill_manual(seller_id=seller.pk, number=order.number, actor=actor(seller), data=data)
    login(seller).post("/settings/shipping/", {**SHIP_FROM, "ship_unpaid_allowed": "on"})
    shipment = fulfill_manual(seller_id=seller.pk, number=order.number, actor=actor(seller), data=data)
    assert shipment.tracking_number == "X1"


def test_bad_ship_from_is_a_form_error(seller):  # type: ignore[no-untyped-def]
    response = login(seller).post("/settings/shipping/", {**SHIP_FROM, "country": "Russia", "email": "nope"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Two letters, e.g. RU or DE." in html and "valid email" in html
    seller.refresh_from_db()
    assert seller.ship_from == {}


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_manager_and_viewer_are_refused(seller, role):  # type: ignore[no-untyped-def]
    client = login(seller, role)
    account = sandbox_account(seller.pk)
    assert client.get("/settings/shipping/").status_code == 403
    assert client.post("/settings/shipping/", {**SHIP_FROM, "ship_unpaid_allowed": "on"}).status_code == 403
    assert client.post("/settings/shipping/accounts/", ACCOUNT).status_code == 403
    assert client.post(f"/settings/shipping/accounts/{account.pk}/deactivate/").status_code == 403
    seller.refresh_from_db()
    account.refresh_from_db()
    assert seller.ship_from == {} and not seller.ship_unpaid_allowed
    assert account.is_active and CarrierAccount.objects.filter(seller=seller).count() == 1
    assert "Shipping settings" not in client.get("/").content.decode()


def test_add_a_cdek_account_the_secret_is_encrypted_and_never_echoed(seller):  # type: ignore[no-untyped-def]
    client = login(seller)
    response = client.post("/settings/shipping/accounts/", ACCOUNT, follow=True)
    assert response.status_code == 200
    account = CarrierAccount.objects.get(seller=seller, carrier="cdek")
    assert account.name == "CDEK main" and account.base_url == "https://api.edu.cdek.ru"
    assert SECRET not in account.client_secret_encrypted
    assert secrets.decrypt(account.client_secret_encrypted) == SECRET
    assert config_of(account).client_secret == SECRET
    html = response.content.decode()
    assert SECRET not in html
    assert "secret: set" in html
    assert f"http://testserver/webhooks/carriers/{account.webhook_token}" in html
    # A refused form does not echo the secret either.
    bad = client.post("/settings/shipping/accounts/", {**ACCOUNT, "account-base_url": "not a url"})
    assert bad.status_code == 422
    assert SECRET not in bad.content.decode()
    assert CarrierAccount.objects.filter(seller=seller, carrier="cdek").count() == 1


def test_deactivate_an_account(seller):  # type: ignore[no-untyped-def]
    client = login(seller)
    client.post("/settings/shipping/accounts/", ACCOUNT)
    account = CarrierAccount.objects.get(seller=seller, carrier="cdek")
    response = client.post(f"/settings/shipping/accounts/{account.pk}/deactivate/")
    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.is_active
    assert (
        client.post(f"/webhooks/carriers/{account.webhook_token}", b"{}", "application/json").status_code
        == 404
    )


def test_another_sellers_account_is_not_found(seller, other_seller):  # type: ignore[no-untyped-def]
    theirs = sandbox_account(other_seller.pk)
    response = login(seller).post(f"/settings/shipping/accounts/{theirs.pk}/deactivate/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active
    page = login(seller).get("/settings/shipping/").content.decode()
    assert theirs.webhook_token not in page
