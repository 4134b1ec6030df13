"""What the OpenAPI document adds to django-ninja's so that it says what the server does.

- Every error answer is `application/problem+json` with the Problem schema.
- Each operation lists exactly the error statuses it can answer, derived from its shape by the
  table `ERROR_STATUSES` below (a body can be malformed, a path can name nothing, …).
- Every POST declares the `Idempotency-Key` header.
- The list's query parameters carry their enums (sort keys, status values, methods).
- Links say where an answer's ids lead (a placed order's number to every action on it, a new
  note's id to editing it), so clients and stateful tests can follow them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sellerdesk.orders.filters import FILTERS, Kind
from sellerdesk.orders.selectors import SORTS

from .idempotency import HEADER as IDEMPOTENCY_HEADER
from .idempotency import MAX_KEY_LENGTH
from .schemas import Problem

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _writes(method: str, op: dict[str, Any]) -> bool:
    return method != "get"


def _forbids(method: str, op: dict[str, Any]) -> bool:
    # writes, and every operation on the seller's settings (webhooks: owner and administrator keys)
    return method != "get" or "webhooks" in op.get("tags", [])


def _has_body(method: str, op: dict[str, Any]) -> bool:
    return "requestBody" in op


def _names_something(method: str, op: dict[str, Any]) -> bool:
    return any(p["in"] == "path" for p in op.get("parameters", []))


def _validates_input(method: str, op: dict[str, Any]) -> bool:
    # a body, a query parameter, or an Idempotency-Key reused with another body
    return (
        _has_body(method, op) or method == "post" or any(p["in"] == "query" for p in op.get("parameters", []))
    )


def _always(method: str, op: dict[str, Any]) -> bool:
    return True


def _calls_carrier(method: str, op: dict[str, Any]) -> bool:
    return "shipping" in op.get("tags", []) and (
        method != "get" or op.get("summary", "").endswith("PDF (R-FUL-8)")
    )


# status -> (description, which operations can answer it)
ERROR_STATUSES: dict[int, tuple[str, Callable[[str, dict[str, Any]], bool]]] = {
    400: ("The body is not valid JSON.", _has_body),
    401: ("No API key, or not a valid one.", _always),
    403: ("The key's role may not do this.", _forbids),
    404: (
        "Nothing of this seller's at this address (another seller's id is not found either).",
        _names_something,
    ),
    409: (
        "The order's state refuses the action, stock is short, or the same Idempotency-Key is in flight.",
        _writes,
    ),
    413: ("The body is too large.", _has_body),
    422: ("The input breaks a rule; `detail` says which, `field` where.", _validates_input),
    502: (
        "The carrier refused or could not be reached; nothing was recorded. `detail` says why.",
        _calls_carrier,
    ),
}


def _csv_of(values: list[str]) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string", "enum": values}, "uniqueItems": True}


# query parameter -> (schema, style): the values the list accepts
QUERY_VALUES: dict[str, dict[str, Any]] = {
    "sort": {
        "type": "string",
        "enum": [s for key in SORTS for s in (key, "-" + key)],
        "default": "-created_at",
    },
    # the list's filters, from their one declaration (orders/filters.py)
    **{
        f.name: _csv_of(f.values)
        if f.kind is Kind.CHOICES
        else {"type": "string", "enum": f.values, "description": f.description}
        for f in FILTERS
        if f.values
    },
}


def describe(doc: dict[str, Any]) -> dict[str, Any]:
    """Complete ninja's document in place (and return it)."""
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for ops in doc.get("paths", {}).values():
        for method, op in ops.items():
            responses = op.setdefault("responses", {})
            for status in [s for s in responses if int(s) >= 400]:
                del responses[status]  # the table below decides
            for status, (description, applies) in ERROR_STATUSES.items():
                if applies(method, op):
                    responses[status] = {
                        "description": description,
                        "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
                    }
            params = op.setdefault("parameters", [])
            for param in params:
                schema = QUERY_VALUES.get(param["name"]) if param["in"] == "query" else None
                if schema is not None:
                    param["schema"] = {**schema, "title": param["schema"].get("title", param["name"])}
                    if schema.get("type") == "array":
                        param["style"], param["explode"] = "form", False
            if method == "post":
                params.append(
                    {
                        "in": "header",
                        "name": IDEMPOTENCY_HEADER,
                        "required": False,
                        "description": "Makes a retry safe: the same key and body replay the first answer.",
                        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
                    }
                )
            if not params:
                del op["parameters"]
    _link(doc)
    return doc


def _path_names(path: str) -> set[str]:
    return {part[1:-1] for part in path.split("/") if part.startswith("{")}


def _link(doc: dict[str, Any]) -> None:
    """Links from the answers that carry an order's number or a note's id to what takes them."""
    operations = [(path, method, op) for path, ops in doc["paths"].items() for method, op in ops.items()]
    by_number = [(p, m, op) for p, m, op in operations if _path_names(p) == {"number"}]
    by_note = [(p, m, op) for p, m, op in operations if _path_names(p) == {"number", "note_id"}]
    for path, method, op in operations:
        for status, response in op["responses"].items():
            if int(status) >= 300:
                continue
            schema = response.get("content", {}).get("application/json", {}).get("schema", {})
            ref = schema.get("$ref", "")
            targets: list[tuple[str, str, dict[str, Any], dict[str, str]]] = []
            if ref.endswith("/OrderOut"):
                targets = [(p, m, o, {"number": "$response.body#/number"}) for p, m, o in by_number]
            elif ref.endswith("/NoteOut") and method == "post":
                params = {"number": "$request.path.number", "note_id": "$response.body#/id"}
                targets = [(p, m, o, params) for p, m, o in by_note]
            links = {
                f"{m.upper()} {p}": {"operationId": o["operationId"], "parameters": params}
                for p, m, o, params in targets
                if not (p == path and m == method)
            }
            if links:
                response["links"] = links
