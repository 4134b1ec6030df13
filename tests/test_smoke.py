"""R-IN-1: the first order through the API, end to end."""

from tests.conftest import order_body


def test_place_and_read_order(api):
    resp = api.post("/orders", order_body())
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["total"] == "29.00"
    assert body["status"] == "pending"
    got = api.get(f"/orders/{body['number']}")
    assert got.status_code == 200
    assert got.json()["lines"][0]["sku"] == "MUG-01"
