"""Schemathesis against the live app (in process, through WSGI): every operation with generated
input, then stateful sequences that follow the document's links; every check on each answer.

A demo-like seller (the demo loader, fewer orders) and its owner's API key; examples are capped so
that the whole file stays well under a minute.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.stateful import run_state_machine_as_test

from sellerdesk.core.demo import demo_api_key, load_demo
from sellerdesk.wsgi import application

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


def all_checks() -> list[Any]:
    load_all_checks()
    return [c for c in CHECKS.get_all() if callable(c) and not isinstance(c, type)]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():  # type: ignore[no-untyped-def]
    """Requests go through the WSGI handler, whose request signals close the database connection
    (and with it the test's transaction on PostgreSQL); Django's test client detaches them too."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def api_key() -> str:
    load_demo(orders_per_seller=15, out=lambda *a, **k: None)
    return demo_api_key("north")


# Placement's rules reach beyond what a schema can say (the catalog's SKUs and their currency, the
# sum of the lines against the largest amount, a discount against the subtotal), so a schema-valid
# order may be refused with a 422 that names the rule.
CONFIG = """
[[operations]]
include-operation-id-regex = "^sellerdesk_api_orders_place_(order|on_behalf)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# A refund's amount comes from the order's lines and ledger (quantities left to refund, shipping
# left, nothing to refund at all), and like placement it reads whole numbers strictly (519.0 is
# not a quantity): a schema-valid refund may be a 422 that names the rule. An online charge names
# its provider, which may be one that is not configured.
[[operations]]
include-operation-id-regex = "^sellerdesk_api_orders_(refund(_preview)?|pay_online)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# The metrics' as-of day lies between 2000-01-01 and a year after today: a range relative to today
# that a JSON-schema date cannot state (the description says it).
[[operations]]
include-operation-id = "sellerdesk_api_metrics_get_metrics"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# The list's cursor is opaque (only one the API issued is valid), and its filter parameters are
# plain strings in the document until the filters are declared with their parsers: a syntactically
# wrong `total_min` or `created_after` is a 422 the schema does not predict yet.
[[operations]]
include-operation-id = "sellerdesk_api_orders_list_orders"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# Shipping writes (R-FUL) check units against what is left to ship or came back, and whole numbers
# are whole: a JSON 3.0 where an integer is documented is a 422 naming the field.
[[operations]]
include-operation-id-regex = "^sellerdesk_api_shipping_"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422", "502"]

# The shipment import answers 200 with a result per row; a generated Idempotency-Key sent again
# with another body is the 422 `idempotency_key_reused`, as on every write.
[[operations]]
include-operation-id-regex = "^sellerdesk_api_shipment_import_"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "422"]
# Order changes and out of stock (R-PROC-6, R-PROC-7) meet the same catalog rules as placement (the
# SKU must be the seller's, a price in another currency must be given, a total stays within lines plus
# shipping, units within what is left on the line): a schema-valid change may be a 422 naming the rule.
[[operations]]
include-operation-id-regex = "^sellerdesk_api_orders_(change_order|substitute_line|cancel_line)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]
# A customer template is any string to the schema, but it must parse in the template sandbox
# (R-NOTE-2): a schema-valid "{% include %}" or "{{ x|nosuch }}" is a 422 naming the field.
[[operations]]
include-operation-id = "sellerdesk_api_notification_templates_put_template"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "422"]

# Webhooks (R-NOTE-7): a schema-valid URL must also resolve to a public address (422
# `webhook_url_refused` otherwise), and a replay of a disabled webhook's delivery is a 409.
[[operations]]
include-operation-id-regex = "^sellerdesk_api_webhooks_"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]
"""


@pytest.fixture
def api_schema(api_key):  # type: ignore[no-untyped-def]
    config = SchemathesisConfig.from_str(f'[auth.openapi.ApiKeyAuth]\nbearer = "{api_key}"\n' + CONFIG)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)


def test_every_operation_answers_as_documented(api_schema) -> None:  # type: ignore[no-untyped-def]
    checks = all_checks()
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @SETTINGS
        def answers_as_documented(case: Any) -> None:
            case.call_and_validate(checks=checks)

        answers_as_documented()


def test_stateful_sequences_answer_as_documented(api_schema) -> None:  # type: ignore[no-untyped-def]
    checks = all_checks()

    class Machine(api_schema.as_state_machine()):  # type: ignore[misc]
        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kw: Any
        ) -> None:
            case.validate_response(
                response, checks=checks, transport_kwargs=kw or None, recorder=self.recorder
            )

    run_state_machine_as_test(
        Machine,
        settings=settings(SETTINGS, max_examples=25, stateful_step_count=8),
    )
