"""One "what can this actor do to this order" selector (issue 8): the API's `available_actions` and
the order page's buttons are the same list for every role and status, and every action the API
advertises has an endpoint (today's defect: it listed `ship`, and POST …/ship answered 404)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from sellerdesk.accounts.roles import Role
from sellerdesk.accounts.services import apikey_create
from sellerdesk.api.api import api as ninja_api
from sellerdesk.orders import selectors, services
from sellerdesk.orders.models import Order
from sellerdesk.orders.states import Action, Status
from tests.conftest import ApiClient, actor, place, staff

pytestmark = pytest.mark.django_db

STATUSES = [
    Status.PENDING,
    Status.CONFIRMED,
    Status.PROCESSING,
    Status.SHIPPED,
    Status.DELIVERED,
    Status.CLOSED,
    Status.CANCELLED,
]


def _in_status(seller: Any, status: Status) -> Order:
    """An order in `status`, reached through the services (shipped: set directly, no writer yet)."""
    order = place(seller, shipping_method="pickup", payment_method="cash_on_delivery")
    a, n, sid = actor(seller), order.number, seller.pk
    if status == Status.CANCELLED:
        services.order_cancel(seller_id=sid, number=n, actor=a, reason="customer_request")
    if status not in (Status.PENDING, Status.CANCELLED):
        services.order_confirm(seller_id=sid, number=n, actor=a)
    if status in (Status.PROCESSING, Status.SHIPPED, Status.DELIVERED, Status.CLOSED):
        services.order_process(seller_id=sid, number=n, actor=a)
    if status == Status.SHIPPED:
        Order.objects.filter(pk=order.pk).update(status=Status.SHIPPED)
    if status in (Status.DELIVERED, Status.CLOSED):
        services.order_deliver(seller_id=sid, number=n, actor=a)
    if status == Status.CLOSED:
        services.order_mark_paid(seller_id=sid, number=n, actor=a)
        services.order_close(seller_id=sid, number=n, actor=a)
    order = Order.objects.get(pk=order.pk)
    assert order.status == status
    return order


def test_every_action_the_desk_offers_has_an_api_endpoint_and_a_dashboard_route() -> None:
    paths = ninja_api.get_openapi_schema()["paths"]
    for action in selectors.OFFERED_ACTIONS:
        assert "post" in paths[f"/api/v1/orders/{{number}}/{action.value}"], action
        assert reverse(f"dashboard:order_{action.value}", args=[1])
    # The table knows `ship`, but it is derived from the shipments (fulfilment has its own routes):
    # it must never be offered as an action.
    assert Action.SHIP not in selectors.OFFERED_ACTIONS
    assert "/api/v1/orders/{number}/ship" not in paths
    with pytest.raises(NoReverseMatch):
        reverse("dashboard:order_ship", args=[1])


@pytest.mark.parametrize("status", STATUSES)
def test_buttons_equal_available_actions_for_each_role(seller, status) -> None:  # type: ignore[no-untyped-def]
    order = _in_status(seller, status)
    for role in Role:
        _, key = apikey_create(seller=seller, name=f"k-{role.value}", role=role.value)
        advertised = ApiClient(key).get(f"/orders/{order.number}").json()["available_actions"]
        client = Client()
        client.force_login(staff(seller, role.value))
        html = client.get(f"/orders/{order.number}/").content.decode()
        buttons = re.findall(r'data-action="(\w+)"', html)  # only the order's action buttons carry it
        assert buttons == advertised, (status, role)
        if role == Role.VIEWER:
            assert advertised == []
        assert "ship" not in advertised


def test_shipping_is_not_advertised_although_the_table_allows_it(seller) -> None:  # type: ignore[no-untyped-def]
    from sellerdesk.orders.services.lifecycle import facts_of
    from sellerdesk.orders.states import available_actions

    order = _in_status(seller, Status.PROCESSING)
    order.shipping_method = "carrier"
    assert Action.SHIP in available_actions(facts_of(order))  # the table allows it
    assert Action.SHIP not in selectors.order_actions(order, actor(seller))


@pytest.mark.parametrize("status", [Status.PENDING, Status.CONFIRMED, Status.PROCESSING, Status.DELIVERED])
def test_every_advertised_action_is_answered_by_its_endpoint(seller, api, status) -> None:  # type: ignore[no-untyped-def]
    advertised = api.get(f"/orders/{_in_status(seller, status).number}").json()["available_actions"]
    assert advertised
    for action in advertised:
        number = _in_status(seller, status).number  # a fresh order per action
        body = {"reason": "customer_request"} if action == "cancel" else None
        resp = api.post(f"/orders/{number}/{action}", body)
        assert resp.status_code == 200, (status, action, resp.content[:300])


def test_the_openapi_document_lists_exactly_the_offered_actions_each_with_its_route() -> None:
    schema = ninja_api.get_openapi_schema()
    enum = schema["components"]["schemas"]["OfferedAction"]["enum"]
    assert enum == [a.value for a in selectors.OFFERED_ACTIONS]
    for action in enum:
        assert "post" in schema["paths"][f"/api/v1/orders/{{number}}/{action}"]
