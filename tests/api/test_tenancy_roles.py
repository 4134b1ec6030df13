"""Tenancy and roles on every order endpoint (R-SEC-1, R-SEC-2; docs/requirements.md#api-conventions)."""

from __future__ import annotations

import pytest

from sellerdesk.customers.models import Customer
from tests.conftest import order_body, staff, table_counts

from .conftest import assert_problem, placed

# (method, path under /orders/{n}, body) for every order endpoint
READS = ["", "/events", "/notes"]
WRITES = [
    ("post", "/confirm", None),
    ("post", "/process", None),
    ("post", "/cancel", {"reason": "customer_request"}),
    ("post", "/deliver", None),
    ("post", "/close", None),
    ("post", "/mark-paid", {"amount": "1.00"}),
    ("post", "/mark-paid", None),
    ("post", "/manager", {"manager_id": None}),
    ("post", "/customer", "CUSTOMER"),
    ("post", "/notes", {"text": "hello"}),
    ("patch", "/notes/NOTE", {"text": "edited"}),
    ("delete", "/notes/NOTE", None),
]


def _call(client, method: str, path: str, body):  # type: ignore[no-untyped-def]
    if method == "post":
        return client.post(path, body)
    if method == "patch":
        return client.patch(path, body)
    return client.delete(path)


@pytest.fixture
def theirs(other_seller, api_for):  # type: ignore[no-untyped-def]
    """Another seller's order with a note, and a customer both sellers could use."""
    client = api_for(other_seller)
    number = placed(client)["number"]
    note = client.post(f"/orders/{number}/notes", {"text": "their note"}).json()
    customer = Customer.objects.create(
        marketplace_id=other_seller.marketplace_id, name="Shared Customer", email="shared@example.com"
    )
    return {"client": client, "number": number, "note": note["id"], "customer": customer.pk}


def _resolve(path: str, body, ctx):  # type: ignore[no-untyped-def]
    path = path.replace("NOTE", str(ctx["note"]))
    if body == "CUSTOMER":
        body = {"customer_id": ctx["customer"]}
    return path, body


@pytest.mark.parametrize("suffix", READS)
def test_r_sec_2_another_sellers_order_is_404_on_reads(api, theirs, suffix):
    assert_problem(api.get(f"/orders/{theirs['number']}{suffix}"), 404, "order_not_found")


def test_r_sec_2_same_number_acts_on_own_order_only(api, theirs):
    ours = placed(api)["number"]
    assert ours == theirs["number"]  # numbers are per seller: both have this one
    their_before = theirs["client"].get(f"/orders/{ours}").json()
    their_events = theirs["client"].get(f"/orders/{ours}/events").json()
    assert api.post(f"/orders/{ours}/confirm").status_code == 200
    assert api.post(f"/orders/{ours}/mark-paid").status_code == 200
    assert api.get(f"/orders/{ours}/notes").json() == []
    assert_problem(api.delete(f"/orders/{ours}/notes/{theirs['note']}"), 404, "note_not_found")
    assert_problem(api.patch(f"/orders/{ours}/notes/{theirs['note']}", {"text": "x"}), 404, "note_not_found")
    assert theirs["client"].get(f"/orders/{ours}").json() == their_before
    assert theirs["client"].get(f"/orders/{ours}/events").json() == their_events
    assert theirs["client"].get(f"/orders/{ours}/notes").json()[0]["text"] == "their note"


@pytest.mark.parametrize("method,suffix,body", WRITES)
def test_r_sec_2_order_number_only_the_other_seller_has_is_404(api, theirs, method, suffix, body):
    # give the other seller a second order so its number is one we do not have
    other_number = placed(theirs["client"])["number"]
    ctx = {**theirs, "number": other_number}
    path, body = _resolve(f"/orders/{other_number}{suffix}", body, ctx)
    their_before = theirs["client"].get(f"/orders/{other_number}").json()
    before = table_counts()
    assert_problem(_call(api, method, path, body), 404)
    assert table_counts() == before
    assert theirs["client"].get(f"/orders/{other_number}").json() == their_before


def test_r_sec_2_list_and_search_never_show_another_seller(api, theirs):
    placed(api, customer={"name": "Our Customer", "email": "ours@example.com", "phone": ""})
    items = api.get("/orders").json()["items"]
    assert [o["customer_name"] for o in items] == ["Our Customer"]
    assert api.get("/orders", q="anna").json()["items"] == []
    assert api.get("/orders", q="+7 912 345-67-89").json()["items"] == []


@pytest.mark.parametrize("suffix", READS)
def test_r_sec_1_viewer_reads(seller, api_for, api, suffix):
    number = placed(api)["number"]
    viewer = api_for(seller, "viewer")
    assert viewer.get(f"/orders/{number}{suffix}").status_code == 200
    assert viewer.get("/orders").status_code == 200
    assert viewer.get("/products").status_code == 200


@pytest.mark.parametrize("method,suffix,body", WRITES)
def test_r_sec_1_viewer_gets_403_on_every_action(seller, api_for, api, method, suffix, body):
    number = placed(api)["number"]
    note = api.post(f"/orders/{number}/notes", {"text": "mine"}).json()
    customer = Customer.objects.create(marketplace_id=seller.marketplace_id, name="C", email="c@example.com")
    path, body = _resolve(f"/orders/{number}{suffix}", body, {"note": note["id"], "customer": customer.pk})
    viewer = api_for(seller, "viewer")
    order_before = api.get(f"/orders/{number}").json()
    before = table_counts()
    assert_problem(_call(viewer, method, path, body), 403, "forbidden")
    assert table_counts() == before
    assert api.get(f"/orders/{number}").json() == order_before


@pytest.mark.parametrize("path", ["/orders", "/orders/on-behalf"])
def test_r_sec_1_viewer_cannot_place(seller, api_for, path):
    viewer = api_for(seller, "viewer")
    before = table_counts()
    assert_problem(viewer.post(path, order_body()), 403, "forbidden")
    assert table_counts() == before


@pytest.mark.parametrize("role", ["owner", "administrator", "manager"])
def test_r_sec_1_acting_roles_can_place_and_act(seller, api_for, role):
    client = api_for(seller, role)
    number = placed(client)["number"]
    assert client.post(f"/orders/{number}/confirm").status_code == 200
    assert client.post(f"/orders/{number}/manager", {"manager_id": staff(seller).pk}).status_code == 200
