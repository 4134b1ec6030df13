"""Log in and out (R-SEC-3): session, CSRF, throttling; the dashboard home (R-LIST-5)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sellerdesk.dashboard.services import LOGIN_MAX_FAILURES
from tests.conftest import place, production_hashers, staff

pytestmark = pytest.mark.django_db


def test_login_page_and_success_redirects_to_next(seller):  # type: ignore[no-untyped-def]
    client = Client()
    page = client.get("/login/?next=/orders/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'for="id_email"' in html and 'for="id_password"' in html
    response = client.post("/login/", {"email": "Manager@North.test", "password": "pw", "next": "/orders/"})
    assert response.status_code == 302 and response["Location"] == "/orders/"
    assert client.get("/orders/").status_code == 200


def test_login_refuses_offsite_next(seller):  # type: ignore[no-untyped-def]
    response = Client().post(
        "/login/", {"email": "manager@north.test", "password": "pw", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_wrong_password_is_a_form_error_with_summary(seller):  # type: ignore[no-untyped-def]
    response = Client().post("/login/", {"email": "manager@north.test", "password": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and "The e-mail or the password is wrong." in html
    assert "_auth_user_id" not in Client().session


def test_bad_input_is_a_form_error_not_500(seller):  # type: ignore[no-untyped-def]
    response = Client().post("/login/", {"email": "not an e-mail", "password": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_email"' in html and 'href="#id_password"' in html


def test_login_is_throttled_per_email_and_ip(seller):  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(LOGIN_MAX_FAILURES):
        assert client.post("/login/", {"email": "owner@north.test", "password": "x"}).status_code == 400
    # Even the right password is refused now, with a clear message.
    response = client.post("/login/", {"email": "owner@north.test", "password": "pw"})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    # Another e-mail from the same address is not blocked.
    ok = client.post("/login/", {"email": "administrator@north.test", "password": "pw"})
    assert ok.status_code == 302
    # Nor is the same e-mail from another address.
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.post("/login/", {"email": "owner@north.test", "password": "pw"}).status_code == 302


def test_login_needs_csrf(seller):  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"email": "manager@north.test", "password": "pw"})
    assert response.status_code == 403
    page = client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(
        "/login/", {"email": "manager@north.test", "password": "pw", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_logout_is_post_only(seller):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller))
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_staff_without_seller_cannot_log_in(db):  # type: ignore[no-untyped-def]
    from sellerdesk.accounts.models import User

    User.objects.create_user(email="loose@example.com", password="pw")
    response = Client().post("/login/", {"email": "loose@example.com", "password": "pw"})
    assert response.status_code == 400


def test_passwords_are_argon2(make_seller, settings):  # type: ignore[no-untyped-def]
    production_hashers(settings)
    assert staff(make_seller()).password.startswith("argon2")


# --- the home page -----------------------------------------------------------------


def test_home_shows_shell_counts_new_and_due(seller, other_seller):  # type: ignore[no-untyped-def]
    mine = place(seller, name="Vera Home")
    theirs = place(other_seller, name="Not Mine")
    client = Client()
    client.force_login(staff(seller, "viewer"))
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    # the shell: seller, user, role, language switch, logout, nav
    assert "North" in html and "viewer@north.test" in html and "Viewer" in html
    assert 'name="language" value="ru"' in html and 'action="/logout/"' in html
    for href in ('href="/orders/"', 'href="/stock/"'):
        assert href in html
    assert 'href="/orders/new/"' not in html  # a viewer places no orders
    assert 'aria-current="page"' in html
    assert f"#{mine.number}" in html and "Vera Home" in html
    assert "Not Mine" not in html and theirs.customer_name not in html
    assert 'hx-trigger="every 10s"' in html


def test_alerts_return_only_newer_orders_of_the_seller(seller, other_seller):  # type: ignore[no-untyped-def]
    first = place(seller, name="Before")
    client = Client()
    client.force_login(staff(seller))
    quiet = client.get(f"/alerts/?after={first.pk}")
    assert quiet.status_code == 200 and "Before" not in quiet.content.decode()
    new = place(seller, name="Fresh Order")
    place(other_seller, name="Someone Else")
    html = client.get(f"/alerts/?after={first.pk}").content.decode()
    assert "Fresh Order" in html and f"#{new.number}" in html and "Someone Else" not in html
    assert f"after={new.pk}" in html  # the poller moves its mark
    assert client.get("/alerts/?after=junk").status_code == 200
