"""Who can be an order's manager (R-PROC-2): only staff who can act on orders. Viewers are neither offered
(order page, bulk assign) nor accepted (422 manager_cannot_act); another seller's user is unknown (404)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sellerdesk.accounts.models import User
from sellerdesk.accounts.selectors import assignable_managers
from sellerdesk.core.errors import InvalidInput, NotFound
from sellerdesk.orders import services
from sellerdesk.orders.models import Order
from tests.conftest import actor, place, staff, table_counts

pytestmark = pytest.mark.django_db


def login(seller, role: str = "manager") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def options(html: str, select_id: str) -> set[str]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert select, select_id
    return set(re.findall(r'<option value="(\d+)"', select.group(1)))


def test_assignable_managers_are_the_active_staff_who_can_act(seller, other_seller):  # type: ignore[no-untyped-def]
    owner, admin, manager = staff(seller, "owner"), staff(seller, "administrator"), staff(seller, "manager")
    staff(seller, "viewer")
    staff(other_seller, "manager")
    User.objects.create_user(
        email="gone@north.test", password="pw", seller=seller, role="manager", is_active=False
    )
    assert {u.pk for u in assignable_managers(seller_id=seller.pk)} == {owner.pk, admin.pk, manager.pk}


def test_order_page_and_bulk_assign_offer_no_viewer(seller):  # type: ignore[no-untyped-def]
    order = place(seller)
    viewer, manager = staff(seller, "viewer"), staff(seller, "manager")
    client = login(seller)
    page = client.get(f"/orders/{order.number}/").content.decode()
    offered = options(page, "id_mgr-manager")
    assert str(manager.pk) in offered and str(viewer.pk) not in offered
    listing = client.get("/orders/").content.decode()
    offered = options(listing, "bulk-manager")
    assert str(manager.pk) in offered and str(viewer.pk) not in offered


def test_order_page_refuses_a_viewer_as_manager_with_a_form_error(seller):  # type: ignore[no-untyped-def]
    order = place(seller)
    viewer = staff(seller, "viewer")
    before = table_counts()
    response = login(seller).post(f"/orders/{order.number}/manager/", {"mgr-manager": viewer.pk})
    assert 400 <= response.status_code < 500
    assert "error-summary" in response.content.decode()
    assert table_counts() == before


def test_bulk_assign_of_a_viewer_is_refused_per_order(seller):  # type: ignore[no-untyped-def]
    order = place(seller)
    viewer = staff(seller, "viewer")
    html = (
        login(seller)
        .post("/orders/bulk/", {"action": "assign", "manager_id": viewer.pk, "numbers": [order.number]})
        .content.decode()
    )
    assert "1 refused" in html
    assert Order.objects.get(pk=order.pk).manager_id is None


def test_writer_refuses_viewer_422_and_stranger_404(seller, other_seller):  # type: ignore[no-untyped-def]
    order = place(seller)
    kw = {"seller_id": seller.pk, "number": order.number, "actor": actor(seller)}
    with pytest.raises(InvalidInput) as refused:
        services.order_assign_manager(manager_id=staff(seller, "viewer").pk, **kw)
    assert refused.value.code == "manager_cannot_act"
    for manager_id in (staff(other_seller, "manager").pk, 10**9):
        with pytest.raises(NotFound) as unknown:
            services.order_assign_manager(manager_id=manager_id, **kw)
        assert unknown.value.code == "manager_not_found"
    assert Order.objects.get(pk=order.pk).manager_id is None
