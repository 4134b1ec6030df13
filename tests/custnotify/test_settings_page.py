"""The "Customer notifications" settings (R-NOTE-2): roles, tenancy, switches, the editor, the preview."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sellerdesk.custnotify import services
from sellerdesk.custnotify.catalogue import KINDS
from sellerdesk.custnotify.models import CustomerTemplate
from tests.conftest import place, staff

pytestmark = pytest.mark.django_db

LIST = "/settings/customer-notifications/"
EDIT = LIST + "shipped/email/en/"


def client_for(seller: Any, role: str = "owner") -> Client:
    client = Client()
    client.force_login(staff(seller, role))
    return client


@pytest.mark.parametrize("role", ["owner", "administrator"])
def test_owner_and_admin_see_every_kind_with_a_switch_per_channel_and_language(seller, role) -> None:
    page = client_for(seller, role).get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    for kind in KINDS:
        assert f'data-kind="{kind.code}"' in html
        for cell in ("email-en", "email-ru", "sms-en", "sms-ru"):
            assert f'data-cell="{kind.code}-{cell}"' in html
    # e-mail on and SMS off by default
    assert 'data-cell="placed-email-en"' in html
    assert services.effective(seller.pk, KINDS[0], "email", "en").enabled is True
    assert services.effective(seller.pk, KINDS[0], "sms", "en").enabled is False


@pytest.mark.parametrize("role", ["manager", "viewer"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", LIST),
        ("get", EDIT),
        ("post", EDIT),
        ("post", EDIT + "preview/"),
        ("post", EDIT + "switch/"),
        ("post", EDIT + "reset/"),
    ],
)
def test_managers_and_viewers_are_refused_and_nothing_is_written(seller, role, method, path) -> None:
    client = client_for(seller, role)
    response = getattr(client, method)(path, {"enabled": "1", "subject": "x", "body": "y"})
    assert response.status_code == 403
    assert not CustomerTemplate.objects.exists()


def test_the_settings_index_links_it_for_admins_only(seller) -> None:
    assert LIST in client_for(seller, "administrator").get("/settings/").content.decode()
    assert LIST not in client_for(seller, "manager").get("/settings/").content.decode()


def test_a_switch_changes_one_cell_of_ones_own_seller_only(seller, other_seller) -> None:
    response = client_for(seller).post(LIST + "shipped/sms/ru/switch/", {"enabled": "1"})
    assert response.status_code == 302
    shipped = next(k for k in KINDS if k.code == "shipped")
    assert services.effective(seller.pk, shipped, "sms", "ru").enabled is True
    assert services.effective(seller.pk, shipped, "sms", "en").enabled is False
    assert services.effective(other_seller.pk, shipped, "sms", "ru").enabled is False
    client_for(seller).post(LIST + "shipped/sms/ru/switch/", {"enabled": "0"})
    assert services.effective(seller.pk, shipped, "sms", "ru").enabled is False


def test_templates_are_per_seller(seller, other_seller) -> None:
    client_for(seller).post(EDIT, {"enabled": "on", "subject": "North {{ number }}", "body": "Hi"})
    shipped = next(k for k in KINDS if k.code == "shipped")
    assert services.effective(seller.pk, shipped, "email", "en").subject == "North {{ number }}"
    other = services.effective(other_seller.pk, shipped, "email", "en")
    assert other.subject == "Order {{ number }} is on its way" and not other.custom
    assert "North" not in client_for(other_seller).get(EDIT).content.decode()


@pytest.mark.parametrize(
    "path",
    [
        LIST + "nosuch/email/en/",
        LIST + "shipped/fax/en/",
        LIST + "shipped/email/de/",
        LIST + "shipped/email/de/switch/",
        LIST + "nosuch/email/en/reset/",
        LIST + "nosuch/email/en/preview/",
    ],
)
def test_an_unknown_kind_channel_or_language_is_404(seller, path) -> None:
    client = client_for(seller)
    response = (
        client.post(path, {"enabled": "1", "body": "x"})
        if "/switch/" in path or "/reset/" in path or "/preview/" in path
        else client.get(path)
    )
    assert response.status_code == 404
    assert not CustomerTemplate.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "{% include 'x.html' %}",
        "{% load static %}{% static 'a' %}",
        "{% extends 'dashboard/base.html' %}",
        "{{ order.__class__ }}",
        "{% debug %}",
        "{% if %}",
        "{{ number|safe }}",
        "{% for x in lines %}",
        "{% url 'dashboard:home' %}",
        "{% csrf_token %}",
    ],
)
def test_a_template_that_does_not_parse_is_a_form_error_and_nothing_is_saved(seller, body) -> None:
    response = client_for(seller).post(EDIT, {"enabled": "on", "subject": "Hi", "body": body})
    assert response.status_code == 422
    html = response.content.decode()
    assert "This template cannot be read" in html
    assert 'class="error-summary' in html or "error-text" in html
    assert not CustomerTemplate.objects.exists()


def test_a_broken_subject_is_a_form_error_too(seller) -> None:
    response = client_for(seller).post(
        EDIT, {"enabled": "on", "subject": "{{ number|nosuch }}", "body": "ok"}
    )
    assert response.status_code == 422
    assert not CustomerTemplate.objects.exists()


def test_save_then_reset_keeps_the_switch_and_brings_back_the_default_text(seller) -> None:
    client = client_for(seller)
    assert client.post(EDIT, {"subject": "Mine {{ number }}", "body": "Body {{ total }}"}).status_code == 302
    shipped = next(k for k in KINDS if k.code == "shipped")
    saved = services.effective(seller.pk, shipped, "email", "en")
    assert saved.custom and saved.subject == "Mine {{ number }}" and saved.enabled is False
    assert client.post(EDIT + "reset/").status_code == 302
    reset = services.effective(seller.pk, shipped, "email", "en")
    assert not reset.custom and reset.subject == "Order {{ number }} is on its way"
    assert reset.enabled is False  # the switch is kept


def test_the_russian_default_comes_from_the_catalogue(seller) -> None:
    shipped = next(k for k in KINDS if k.code == "shipped")
    ru = services.effective(seller.pk, shipped, "email", "ru")
    en = services.effective(seller.pk, shipped, "email", "en")
    assert ru.subject != en.subject
    assert "{{ number }}" in ru.subject
    assert "Заказ" in ru.subject


def test_the_preview_uses_a_labelled_sample_before_the_first_order(seller) -> None:
    response = client_for(seller).post(
        EDIT + "preview/", {"subject": "S {{ number }}", "body": "Hi {{ first_name }}"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sample order" in html
    assert "S 1001" in html and "Hi Anna" in html


def test_the_preview_uses_the_latest_real_order_and_shows_a_parse_error_without_saving(seller) -> None:
    order = place(seller, name="Boris Ivanov")
    client = client_for(seller)
    html = client.post(
        EDIT + "preview/", {"subject": "S {{ number }}", "body": "Hi {{ first_name }}"}
    ).content.decode()
    assert f"S {order.number}" in html and "Hi Boris" in html and "Sample order" not in html
    broken = client.post(EDIT + "preview/", {"subject": "S", "body": "{% include 'x' %}"})
    assert broken.status_code == 200
    assert "This template cannot be read" in broken.content.decode()
    assert not CustomerTemplate.objects.exists()


def test_the_editor_page_renders_with_its_preview(seller) -> None:
    place(seller)
    html = client_for(seller).get(EDIT).content.decode()
    assert 'id="cn-preview"' in html
    assert "Order " in html and "is on its way" in html


def test_the_default_language_is_saved_and_an_unknown_one_is_a_form_error(seller) -> None:
    client = client_for(seller)
    assert client.post(LIST, {"default_language": "xx"}).status_code == 422
    assert client.post(LIST, {"default_language": "ru"}).status_code == 302
    assert services.seller_default_language(seller) == "ru"


def test_the_documentation_lists_every_kind_and_every_variable() -> None:
    from pathlib import Path

    from sellerdesk.custnotify.context import VARIABLE_NAMES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "customer-notifications.md").read_text()
    for kind in KINDS:
        assert f"| `{kind.code}` |" in doc, kind.code
        for event in kind.events:
            assert f"`{event}`" in doc, event
    for name in VARIABLE_NAMES:
        assert f"`{name}`" in doc, name
