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


def _doc() -> dict:  # type: ignore[type-arg]
    return json.loads(Client().get("/api/v1/openapi.json").content)


def test_errors_are_documented_as_problem_json_with_the_statuses_each_operation_answers(db):
    doc = _doc()
    assert {"type", "title", "status", "detail", "code"} <= set(
        doc["components"]["schemas"]["Problem"]["properties"]
    )
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            errors = {int(s): r for s, r in op["responses"].items() if int(s) >= 400}
            for status, response in errors.items():
                assert list(response["content"]) == ["application/problem+json"], (method, path, status)
                assert response["content"]["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }
            assert 401 in errors
            # writes, and every operation on the seller's webhooks (owner and administrator keys)
            assert (403 in errors) == (method != "get" or "/webhooks" in path), (method, path)
            assert (404 in errors) == ("{" in path), (method, path)
            assert (400 in errors) == ("requestBody" in op), (method, path)
    read = doc["paths"]["/api/v1/orders/{number}"]["get"]["responses"]
    assert set(read) == {"200", "401", "404"}  # a read cannot conflict, nor be forbidden


def test_enums_say_which_values_the_server_takes(db):
    doc = _doc()
    schemas = doc["components"]["schemas"]
    create = schemas["OrderCreate"]["properties"]

    def enum_of(schema: dict) -> list[str]:  # type: ignore[type-arg]
        return schemas[schema["$ref"].rsplit("/", 1)[1]]["enum"] if "$ref" in schema else schema["enum"]

    assert enum_of(create["shipping_method"]) == ["carrier", "pickup", "digital", "local"]
    assert "cash_on_delivery" in enum_of(create["payment_method"])
    assert "customer_request" in enum_of(schemas["CancelIn"]["properties"]["reason"])
    assert "pending" in enum_of(schemas["OrderOut"]["properties"]["status"])
    params = {p["name"]: p for p in doc["paths"]["/api/v1/orders"]["get"]["parameters"]}
    assert "-created_at" in params["sort"]["schema"]["enum"] and "total" in params["sort"]["schema"]["enum"]
    assert params["status"]["schema"]["items"]["enum"][0] == "pending"
    assert params["status"]["explode"] is False  # comma-separated
    assert "digital" in params["shipping_method"]["schema"]["enum"]


def test_every_post_declares_the_idempotency_key_header(db):
    doc = _doc()
    for path, ops in doc["paths"].items():
        if "post" in ops:
            headers = [p["name"] for p in ops["post"]["parameters"] if p["in"] == "header"]
            assert headers == ["Idempotency-Key"], path
