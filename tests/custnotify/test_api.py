"""GET/PUT /api/v1/notification-templates (R-NOTE-2): roles, tenancy, refused templates."""

from __future__ import annotations

import json

import pytest

from sellerdesk.custnotify import services
from sellerdesk.custnotify.catalogue import KIND_BY_CODE, KINDS
from sellerdesk.custnotify.models import CustomerTemplate

pytestmark = pytest.mark.django_db

ONE = "/notification-templates/shipped/email/en"


def put(client, path: str, body: dict) -> object:  # type: ignore[no-untyped-def]
    return client.client.put(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=client.headers
    )


def test_an_admin_key_lists_every_template_with_its_default(seller, api_for) -> None:
    response = api_for(seller, "administrator").get("/notification-templates")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == len(KINDS) * 2 * 2
    shipped = next(r for r in rows if (r["kind"], r["channel"], r["language"]) == ("shipped", "email", "en"))
    assert shipped == {
        "kind": "shipped",
        "channel": "email",
        "language": "en",
        "enabled": True,
        "subject": "Order {{ number }} is on its way",
        "body": shipped["body"],
        "custom": False,
    }


def test_put_stores_the_sellers_text_for_that_seller_only(seller, other_seller, api_for) -> None:
    owner = api_for(seller, "owner")
    response = put(owner, ONE, {"enabled": False, "subject": "S {{ number }}", "body": "B {{ total }}"})
    assert response.status_code == 200
    assert response.json()["custom"] is True and response.json()["enabled"] is False
    assert owner.get(ONE).json()["subject"] == "S {{ number }}"
    other = api_for(other_seller, "owner").get(ONE).json()
    assert other["custom"] is False and other["enabled"] is True
    saved = services.effective(seller.pk, KIND_BY_CODE["shipped"], "email", "en")
    assert (saved.subject, saved.body, saved.enabled) == ("S {{ number }}", "B {{ total }}", False)


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_managers_and_viewers_keys_are_refused(seller, api_for, role) -> None:
    client = api_for(seller, role)
    assert client.get("/notification-templates").status_code == 403
    assert client.get(ONE).status_code == 403
    assert put(client, ONE, {"enabled": True, "body": "x"}).status_code == 403
    assert not CustomerTemplate.objects.exists()


@pytest.mark.parametrize(
    "body",
    ["{% include 'x.html' %}", "{% load static %}", "{{ order.__class__ }}", "{{ number|safe }}", "{% if %}"],
)
def test_a_template_that_does_not_parse_is_a_422_naming_the_field(seller, api_for, body) -> None:
    response = put(api_for(seller, "owner"), ONE, {"enabled": True, "subject": "ok", "body": body})
    assert response.status_code == 422
    problem = response.json()
    assert "template_invalid" in json.dumps(problem)
    assert problem["field"] == "body" and "body" in problem["errors"]
    assert not CustomerTemplate.objects.exists()


@pytest.mark.parametrize(
    "path", ["/notification-templates/nosuch/email/en", "/notification-templates/shipped/fax/en"]
)
def test_an_unknown_kind_or_channel_is_refused(seller, api_for, path) -> None:
    client = api_for(seller, "owner")
    assert client.get(path).status_code in (404, 422)
    assert put(client, path, {"enabled": True, "body": "x"}).status_code in (404, 422)
    assert not CustomerTemplate.objects.exists()
