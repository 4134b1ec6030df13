"""The OpenAPI document and the interactive docs (docs/requirements.md#api-conventions)."""

from __future__ import annotations

import json

from django.test import Client

EXPECTED_PATHS = {
    "/api/v1/orders": {"get", "post"},
    "/api/v1/orders/on-behalf": {"post"},
    "/api/v1/orders/{number}": {"get"},
    "/api/v1/orders/{number}/events": {"get"},
    "/api/v1/orders/{number}/confirm": {"post"},
    "/api/v1/orders/{number}/process": {"post"},
    "/api/v1/orders/{number}/cancel": {"post"},
    "/api/v1/orders/{number}/deliver": {"post"},
    "/api/v1/orders/{number}/close": {"post"},
    "/api/v1/orders/{number}/mark-paid": {"post"},
    "/api/v1/orders/{number}/manager": {"post"},
    "/api/v1/orders/{number}/customer": {"post"},
    "/api/v1/orders/{number}/notes": {"get", "post"},
    "/api/v1/orders/{number}/notes/{note_id}": {"patch", "delete"},
    "/api/v1/products": {"get"},
    "/api/v1/products/{sku}": {"get", "patch"},
}


def test_openapi_document_is_valid_json_listing_every_path(db):
    resp = Client().get("/api/v1/openapi.json")
    assert resp.status_code == 200
    doc = json.loads(resp.content)
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "SellerDesk API"
    for path, methods in EXPECTED_PATHS.items():
        assert path in doc["paths"], path
        assert methods <= set(doc["paths"][path]), (path, set(doc["paths"][path]))
    # the field names of the API conventions (docs/requirements.md) are in the placement schema
    schemas = doc["components"]["schemas"]
    order_create = schemas["OrderCreate"]["properties"]
    assert {"customer", "lines", "shipping_address", "shipping_method", "payment_method", "currency"} <= set(
        order_create
    )
    assert {"number", "status", "payment_status", "fulfillment_status", "total"} <= set(
        schemas["OrderOut"]["properties"]
    )
    # every operation documents its errors and needs the API key
    assert any("bearer" in str(v).lower() for v in doc["components"]["securitySchemes"].values())
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert "401" in op["responses"], (method, path)


def test_docs_page_answers(db):
    resp = Client().get("/api/v1/docs")
    assert resp.status_code == 200
    assert b"openapi.json" in resp.content
