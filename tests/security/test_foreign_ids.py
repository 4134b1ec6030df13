"""Another seller's ids are unknown ids (R-SEC-2), on every API operation and every dashboard URL.

Each row of the two tables below names an operation and the id-bearing fields it takes (in the
path, the query or the body). For every such field the test sends the *other* seller's id, then an
id that exists nowhere, and expects:

- the status the table names (404 wherever the id names something to act on), the same status
  (and problem code, on the API) for both — a foreign id is answered exactly like an unknown one;
- nothing written anywhere;
- none of the other seller's data in the answer.

The guard tests fail when an API operation or a dashboard URL has no row here, or when a row
leaves out a path parameter or an id-bearing body property of the operation.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from sellerdesk.api.api import api as ninja_api
from sellerdesk.catalog.models import Product
from sellerdesk.conversations import services as conversations
from sellerdesk.conversations.models import Attachment, Complaint, Feedback, Message, Thread
from sellerdesk.conversations.services import FileIn
from sellerdesk.core.secrets import encrypt
from sellerdesk.customers.models import Customer
from sellerdesk.dashboard.models import SavedView
from sellerdesk.earnings.models import AmountChangeRequest, Payout, SellerPlan, TariffPlan
from sellerdesk.notifications import deliveries
from sellerdesk.notifications.models import Alert, Delivery, DeliveryStatus
from sellerdesk.orders import services
from sellerdesk.orders.models import Order, OrderEvent, OrderLine, OrderNote
from sellerdesk.payments.models import Payment
from sellerdesk.shipping.accounts import sandbox_account
from sellerdesk.shipping.models import CarrierAccount, Return, Shipment
from sellerdesk.shipping.services import ManualFulfillment, fulfill_manual
from sellerdesk.webhooks.models import WebhookDelivery, WebhookSubscription
from sellerdesk.webhooks.signing import new_secret
from tests.conftest import actor, order_body, place, staff
from tests.shipping.conftest import ready_to_ship

pytestmark = pytest.mark.django_db

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Probe:
    """One id-bearing field: where it goes, and the status a foreign or unknown id gets."""

    field: str  # "path:number", "query:manager", "body:customer_id", "body:lines[].sku"
    status: int
    code: str | None = None  # the API's problem code, when it has one


@dataclass(frozen=True)
class Row:
    path: str  # with {number}, {note_id}, {sku}, {view_id} placeholders
    probes: tuple[Probe, ...] = ()
    body: Any = None  # $placeholders are filled with own ids, or the probed one
    query: dict[str, str] = field(default_factory=dict)
    why_no_ids: str = ""  # a row without probes says why


NUMBER_404 = Probe("path:number", 404, "order_not_found")
# Path parts that name an entry of a fixed catalogue, the same for every seller (not a stored id).
CATALOGUE_PARTS = frozenset({"kind", "channel", "language"})
CATALOGUE_NAMES = "a kind, channel and language of the catalogue; the template read is the caller's own"
WEBHOOK_404 = Probe("path:webhook_id", 404, "webhook_not_found")
MANAGER_ORDER = {"manager_id": "$manager_id"}
SHIPMENT_404 = (NUMBER_404, Probe("path:shipment", 404, "shipment_not_found"))
PARCEL = {
    "account_id": "$account_id",
    "packages": [{"weight_g": 500, "length_cm": 20, "width_cm": 15, "height_cm": 10}],
    "lines": [{"line_id": "$line_id", "quantity": 1}],
}

# --- the API: one row per (method, path) of the OpenAPI document ------------------------------

API: dict[tuple[str, str], Row] = {
    ("POST", "/orders"): Row(
        "/orders",
        (Probe("body:lines[].sku", 422, "unknown_sku"),),
        body={"$order": True},
    ),
    ("POST", "/orders/on-behalf"): Row(
        "/orders/on-behalf",
        (Probe("body:lines[].sku", 422, "unknown_sku"),),
        body={"$order": True},
    ),
    ("GET", "/orders"): Row(
        "/orders",
        (Probe("query:manager", 200), Probe("query:sku", 200)),
        query={"manager": "$manager_id", "sku": "$sku"},
    ),
    ("GET", "/orders/{number}"): Row("/orders/{number}", (NUMBER_404,)),
    ("GET", "/orders/{number}/events"): Row("/orders/{number}/events", (NUMBER_404,)),
    ("POST", "/orders/{number}/confirm"): Row("/orders/{number}/confirm", (NUMBER_404,)),
    ("POST", "/orders/{number}/process"): Row("/orders/{number}/process", (NUMBER_404,)),
    ("POST", "/orders/{number}/cancel"): Row(
        "/orders/{number}/cancel", (NUMBER_404,), body={"reason": "out_of_stock"}
    ),
    ("POST", "/orders/{number}/deliver"): Row("/orders/{number}/deliver", (NUMBER_404,)),
    ("POST", "/orders/{number}/close"): Row("/orders/{number}/close", (NUMBER_404,)),
    ("POST", "/orders/{number}/mark-paid"): Row("/orders/{number}/mark-paid", (NUMBER_404,)),
    ("POST", "/orders/{number}/payments"): Row(
        "/orders/{number}/payments", (NUMBER_404,), body={"source": "4242424242424242", "provider": "sandbox"}
    ),
    ("POST", "/orders/{number}/refunds"): Row(
        "/orders/{number}/refunds",
        (NUMBER_404, Probe("body:lines[].line_id", 404, "line_not_found")),
        body={"lines": [{"line_id": "$line_id", "quantity": 1}]},
    ),
    ("POST", "/orders/{number}/refunds/preview"): Row(
        "/orders/{number}/refunds/preview",
        (NUMBER_404, Probe("body:lines[].line_id", 404, "line_not_found")),
        body={"lines": [{"line_id": "$line_id", "quantity": 1}]},
    ),
    ("POST", "/orders/{number}/manager"): Row(
        "/orders/{number}/manager",
        (NUMBER_404, Probe("body:manager_id", 404, "manager_not_found")),
        body=MANAGER_ORDER,
    ),
    ("POST", "/orders/{number}/customer"): Row(
        "/orders/{number}/customer",
        (NUMBER_404, Probe("body:customer_id", 404, "customer_not_found")),
        body={"customer_id": "$customer_id"},
    ),
    ("GET", "/orders/{number}/notes"): Row("/orders/{number}/notes", (NUMBER_404,)),
    ("POST", "/orders/{number}/notes"): Row("/orders/{number}/notes", (NUMBER_404,), body={"text": "hi"}),
    ("PATCH", "/orders/{number}/notes/{note_id}"): Row(
        "/orders/{number}/notes/{note_id}",
        (NUMBER_404, Probe("path:note_id", 404, "note_not_found")),
        body={"text": "changed"},
    ),
    ("DELETE", "/orders/{number}/notes/{note_id}"): Row(
        "/orders/{number}/notes/{note_id}",
        (NUMBER_404, Probe("path:note_id", 404, "note_not_found")),
    ),
    ("GET", "/orders/{number}/messages"): Row("/orders/{number}/messages", (NUMBER_404,)),
    ("POST", "/orders/{number}/messages"): Row(
        "/orders/{number}/messages", (NUMBER_404,), body={"text": "hi"}
    ),
    ("GET", "/orders/{number}/feedback"): Row("/orders/{number}/feedback", (NUMBER_404,)),
    ("POST", "/orders/{number}/changes"): Row(
        "/orders/{number}/changes",
        (
            NUMBER_404,
            Probe("body:lines[].line_id", 404, "line_not_found"),
            Probe("body:lines[].sku", 422, "unknown_sku"),
        ),
        body={
            "reason": "agreed",
            "lines": [{"line_id": "$line_id", "quantity": 1}, {"sku": "$sku", "quantity": 1}],
        },
    ),
    ("POST", "/orders/{number}/lines/{line_id}/substitute"): Row(
        "/orders/{number}/lines/{line_id}/substitute",
        (
            NUMBER_404,
            Probe("path:line_id", 404, "line_not_found"),
            Probe("body:sku", 422, "unknown_sku"),
        ),
        body={"sku": "$sku", "agreement": "by phone"},
    ),
    ("POST", "/orders/{number}/lines/{line_id}/cancel"): Row(
        "/orders/{number}/lines/{line_id}/cancel",
        (NUMBER_404, Probe("path:line_id", 404, "line_not_found")),
        body={"quantity": 1},
    ),
    ("GET", "/balance"): Row("/balance", why_no_ids="this seller's own balance"),
    ("GET", "/payouts"): Row("/payouts", why_no_ids="this seller's own payouts"),
    ("GET", "/payouts/{payout_id}"): Row(
        "/payouts/{payout_id}", (Probe("path:payout_id", 404, "payout_not_found"),)
    ),
    # Shipping (R-FUL): shipments are numbered within their order; lines and carrier accounts by id.
    ("GET", "/orders/{number}/shipments"): Row("/orders/{number}/shipments", (NUMBER_404,)),
    ("GET", "/orders/{number}/deliveries"): Row("/orders/{number}/deliveries", (NUMBER_404,)),
    ("POST", "/orders/{number}/fulfillments"): Row(
        "/orders/{number}/fulfillments",
        (NUMBER_404, Probe("body:lines[].line_id", 422, "line_not_found")),
        body={"lines": [{"line_id": "$line_id", "quantity": 1}], "shipping_point": "pickup"},
    ),
    ("POST", "/orders/{number}/rates"): Row(
        "/orders/{number}/rates",
        (
            NUMBER_404,
            Probe("body:account_id", 404, "carrier_account_not_found"),
            Probe("body:lines[].line_id", 422, "line_not_found"),
        ),
        body=PARCEL,
    ),
    ("POST", "/orders/{number}/shipments"): Row(
        "/orders/{number}/shipments",
        (
            NUMBER_404,
            Probe("body:account_id", 404, "carrier_account_not_found"),
            Probe("body:lines[].line_id", 422, "line_not_found"),
        ),
        body={**PARCEL, "service_code": "economy"},
    ),
    ("GET", "/orders/{number}/shipments/{shipment}"): Row(
        "/orders/{number}/shipments/{shipment}", SHIPMENT_404
    ),
    ("PATCH", "/orders/{number}/shipments/{shipment}"): Row(
        "/orders/{number}/shipments/{shipment}", SHIPMENT_404, body={"tracking_number": "X1"}
    ),
    ("POST", "/orders/{number}/shipments/{shipment}/deliver"): Row(
        "/orders/{number}/shipments/{shipment}/deliver", SHIPMENT_404
    ),
    ("POST", "/orders/{number}/shipments/{shipment}/void"): Row(
        "/orders/{number}/shipments/{shipment}/void", SHIPMENT_404
    ),
    ("POST", "/orders/{number}/shipments/{shipment}/track"): Row(
        "/orders/{number}/shipments/{shipment}/track", SHIPMENT_404
    ),
    ("GET", "/orders/{number}/shipments/{shipment}/label"): Row(
        "/orders/{number}/shipments/{shipment}/label", SHIPMENT_404
    ),
    ("GET", "/orders/{number}/packing-slip"): Row("/orders/{number}/packing-slip", (NUMBER_404,)),
    ("GET", "/orders/{number}/returns"): Row("/orders/{number}/returns", (NUMBER_404,)),
    ("POST", "/orders/{number}/returns"): Row(
        "/orders/{number}/returns",
        (NUMBER_404, Probe("body:lines[].line_id", 422, "line_not_found")),
        body={"lines": [{"line_id": "$line_id", "quantity": 1}]},
    ),
    ("GET", "/carrier-accounts"): Row("/carrier-accounts", why_no_ids="lists this seller's own accounts"),
    ("GET", "/products"): Row("/products", why_no_ids="a text search over this seller's own products"),
    # Outgoing webhooks (R-NOTE-7): subscriptions by id, deliveries by id within their subscription.
    ("GET", "/webhooks"): Row("/webhooks", why_no_ids="lists this seller's own webhooks"),
    ("POST", "/webhooks"): Row("/webhooks", why_no_ids="a new subscription's URL and event types"),
    ("GET", "/webhooks/{webhook_id}"): Row("/webhooks/{webhook_id}", (WEBHOOK_404,)),
    ("PATCH", "/webhooks/{webhook_id}"): Row(
        "/webhooks/{webhook_id}", (WEBHOOK_404,), body={"description": "changed", "is_active": False}
    ),
    ("DELETE", "/webhooks/{webhook_id}"): Row("/webhooks/{webhook_id}", (WEBHOOK_404,)),
    ("POST", "/webhooks/{webhook_id}/rotate"): Row("/webhooks/{webhook_id}/rotate", (WEBHOOK_404,)),
    ("GET", "/webhooks/{webhook_id}/deliveries"): Row("/webhooks/{webhook_id}/deliveries", (WEBHOOK_404,)),
    ("POST", "/webhooks/{webhook_id}/deliveries/{webhook_delivery_id}/replay"): Row(
        "/webhooks/{webhook_id}/deliveries/{webhook_delivery_id}/replay",
        (WEBHOOK_404, Probe("path:webhook_delivery_id", 404, "delivery_not_found")),
    ),
    ("GET", "/metrics"): Row("/metrics", query={"window": "7"}, why_no_ids="this seller's own metrics"),
    ("GET", "/notification-templates"): Row(
        "/notification-templates", why_no_ids="lists this seller's own customer templates"
    ),
    ("GET", "/notification-templates/{kind}/{channel}/{language}"): Row(
        "/notification-templates/shipped/email/en", why_no_ids=CATALOGUE_NAMES
    ),
    ("PUT", "/notification-templates/{kind}/{channel}/{language}"): Row(
        "/notification-templates/shipped/email/en", why_no_ids=CATALOGUE_NAMES
    ),
    ("GET", "/deadline-policy"): Row("/deadline-policy", why_no_ids="this seller's own deadline policy"),
    ("GET", "/products/{sku}"): Row("/products/{sku}", (Probe("path:sku", 404, "product_not_found"),)),
    ("PATCH", "/products/{sku}"): Row(
        "/products/{sku}", (Probe("path:sku", 404, "product_not_found"),), body={"stock": 7}
    ),
    ("POST", "/shipments/import"): Row(
        "/shipments/import",
        # Answered 200 whatever the rows say: a foreign order is the row's "not_found", like an unknown one.
        (Probe("body:rows[].order_number", 200),),
        body={"rows": [{"order_number": "$number", "carrier": "DHL", "tracking_number": "JD1"}]},
    ),
}

# --- the dashboard: one row per URL name ------------------------------------------------------

D_NUMBER = Probe("path:number", 404)
D_NOTE = Probe("path:note_id", 404)
NO_IDS = "takes no id"
D_SHIPMENT = (D_NUMBER, Probe("path:shipment", 404))
# The carrier label form: its account is a choice among the seller's own (another's is invalid).
D_PARCEL = {
    "lbl-account": "$account_id",
    "pkg-TOTAL_FORMS": "1",
    "pkg-INITIAL_FORMS": "0",
    "pkg-0-weight_g": "500",
    "pkg-0-length_cm": "20",
    "pkg-0-width_cm": "15",
    "pkg-0-height_cm": "10",
}
OPERATOR_ONLY = "the operator's area: seller staff are refused (403)"

DASHBOARD: dict[str, tuple[str, Row]] = {
    "login": ("GET", Row("/login/", why_no_ids=NO_IDS)),
    "logout": ("POST", Row("/logout/", why_no_ids=NO_IDS)),
    "set_language": ("POST", Row("/i18n/setlang/", why_no_ids="Django's language switch")),
    "home": ("GET", Row("/", why_no_ids=NO_IDS)),
    "alerts": ("GET", Row("/alerts/", why_no_ids="counts of this seller's new orders")),
    "orders": (
        "GET",
        Row(
            "/orders/",
            (Probe("query:manager", 200), Probe("query:sku", 200), Probe("query:view", 200)),
            query={"manager": "$manager_id", "sku": "$sku", "view": "$view_id"},
        ),
    ),
    "columns": ("POST", Row("/orders/columns/", why_no_ids="column keys, not ids")),
    "export_csv": (
        "GET",
        Row(
            "/orders/export.csv",
            (Probe("query:manager", 200), Probe("query:sku", 200)),
            query={"manager": "$manager_id", "sku": "$sku"},
        ),
    ),
    "export_xlsx": (
        "GET",
        Row(
            "/orders/export.xlsx",
            (Probe("query:manager", 200), Probe("query:sku", 200)),
            query={"manager": "$manager_id", "sku": "$sku"},
        ),
    ),
    "bulk": (
        "POST",
        Row(
            "/orders/bulk/",
            (Probe("body:numbers", 404), Probe("body:manager_id", 404)),
            body={"action": "assign", "numbers": "$number", "manager_id": "$manager_id"},
        ),
    ),
    "view_create": ("POST", Row("/views/", why_no_ids="a name and a filter")),
    "view": ("GET", Row("/views/{view_id}/", (Probe("path:view_id", 404),))),
    "view_update": (
        "POST",
        Row("/views/{view_id}/update/", (Probe("path:view_id", 404),), body={"name": "Mine now"}),
    ),
    "view_delete": ("POST", Row("/views/{view_id}/delete/", (Probe("path:view_id", 404),))),
    "order_new": (
        "POST",
        Row(
            "/orders/new/",
            (Probe("body:customer_id", 404), Probe("body:lines-0-sku", 422)),
            body={"$form": True},
        ),
    ),
    "order_new_customers": (
        "GET",
        Row("/orders/new/customers/", (Probe("query:pick", 404),), query={"pick": "$customer_id"}),
    ),
    "order_new_products": ("GET", Row("/orders/new/products/", why_no_ids="a text search over own products")),
    "order_test": ("POST", Row("/orders/test/", why_no_ids="sample data of this seller")),
    "order_import": (
        "POST",
        Row(
            "/orders/import/",
            why_no_ids="its SKUs: test_import.py::test_preview_checks_skus_of_this_seller_only",
        ),
    ),
    "order_import_confirm": (
        "POST",
        Row("/orders/import/confirm/", why_no_ids="a token of this user's upload"),
    ),
    "order": ("GET", Row("/orders/{number}/", (D_NUMBER,))),
    "payment_webhook_sandbox": (
        "POST",
        Row("/webhooks/payments/sandbox", why_no_ids="signed by the provider; no session, no seller"),
    ),
    "payment_webhook_stripe": (
        "POST",
        Row("/webhooks/payments/stripe", why_no_ids="signed by the provider; no session, no seller"),
    ),
    "order_confirm": ("POST", Row("/orders/{number}/confirm/", (D_NUMBER,))),
    "order_process": ("POST", Row("/orders/{number}/process/", (D_NUMBER,))),
    "order_deliver": ("POST", Row("/orders/{number}/deliver/", (D_NUMBER,))),
    "order_close": ("POST", Row("/orders/{number}/close/", (D_NUMBER,))),
    "order_cancel": (
        "POST",
        Row("/orders/{number}/cancel/", (D_NUMBER,), body={"cancel-reason": "out_of_stock"}),
    ),
    "order_mark_paid": ("POST", Row("/orders/{number}/mark-paid/", (D_NUMBER,), body={"paid-amount": ""})),
    "order_refund": ("POST", Row("/orders/{number}/refund/", (D_NUMBER,))),
    "order_refund_preview": ("POST", Row("/orders/{number}/refund/preview/", (D_NUMBER,))),
    "order_manager": (
        "POST",
        Row(
            "/orders/{number}/manager/",
            (D_NUMBER, Probe("body:mgr-manager", 404)),
            body={"mgr-manager": "$manager_id"},
        ),
    ),
    "order_customer": (
        "POST",
        Row(
            "/orders/{number}/customer/",
            (D_NUMBER, Probe("body:customer_id", 404)),
            body={"customer_id": "$customer_id"},
        ),
    ),
    "order_customers": ("GET", Row("/orders/{number}/customers/", (D_NUMBER,), query={"q": "a"})),
    "order_note_add": ("POST", Row("/orders/{number}/notes/", (D_NUMBER,), body={"note-text": "hi"})),
    "order_note_edit": (
        "POST",
        Row("/orders/{number}/notes/{note_id}/", (D_NUMBER, D_NOTE), body={"note{note_id}-text": "changed"}),
    ),
    "order_note_delete": ("POST", Row("/orders/{number}/notes/{note_id}/delete/", (D_NUMBER, D_NOTE))),
    "order_note_reminder_done": (
        "POST",
        Row("/orders/{number}/notes/{note_id}/reminder-done/", (D_NUMBER, D_NOTE)),
    ),
    # Shipping on the order page (R-FUL): shipments by their number within the order.
    "order_fulfil": (
        "POST",
        Row("/orders/{number}/fulfil/", (D_NUMBER,), body={"ship-shipping_point": "pickup"}),
    ),
    "order_ship_rates": ("POST", Row("/orders/{number}/ship/rates/", (D_NUMBER,), body=D_PARCEL)),
    "order_ship_label": (
        "POST",
        Row("/orders/{number}/ship/label/", (D_NUMBER,), body={**D_PARCEL, "service_code": "economy"}),
    ),
    "order_packing_slip": ("GET", Row("/orders/{number}/packing-slip.pdf", (D_NUMBER,))),
    "order_return": ("POST", Row("/orders/{number}/returns/", (D_NUMBER,), body={"ret-reason": "x"})),
    "shipment_label": ("GET", Row("/orders/{number}/shipments/{shipment}/label.pdf", D_SHIPMENT)),
    "shipment_track": ("POST", Row("/orders/{number}/shipments/{shipment}/track/", D_SHIPMENT)),
    "shipment_deliver": ("POST", Row("/orders/{number}/shipments/{shipment}/deliver/", D_SHIPMENT)),
    "shipment_void": ("POST", Row("/orders/{number}/shipments/{shipment}/void/", D_SHIPMENT)),
    "shipment_edit": (
        "POST",
        Row("/orders/{number}/shipments/{shipment}/edit/", D_SHIPMENT, body={"s{shipment}-carrier": "X"}),
    ),
    "stock": ("GET", Row("/stock/", why_no_ids="a text search over own products")),
    "shipment_import": (
        "POST",
        Row(
            "/orders/shipments/import/",
            why_no_ids="its order numbers: test_shipment_import.py::test_preview_gives_every_row_its_result_and_writes_nothing",
        ),
    ),
    "shipment_import_confirm": (
        "POST",
        Row("/orders/shipments/import/confirm/", why_no_ids="the checked rows of this user's upload"),
    ),
    "settings": ("GET", Row("/settings/", why_no_ids="the settings pages this user's role opens")),
    "shipping_settings": ("GET", Row("/settings/shipping/", why_no_ids="this seller's settings")),
    "carrier_account_add": (
        "POST",
        Row("/settings/shipping/accounts/", why_no_ids="a new account's details"),
    ),
    "carrier_account_deactivate": (
        "POST",
        Row("/settings/shipping/accounts/{account_id}/deactivate/", (Probe("path:account_id", 404),)),
    ),
    "webhooks": ("GET", Row("/settings/webhooks/", why_no_ids="this seller's own webhooks")),
    "webhook": (
        "POST",
        Row(
            "/settings/webhooks/{webhook_id}/",
            (Probe("path:webhook_id", 404),),
            body={"url": "https://8.8.8.8/hook", "event_types": "order_placed"},
        ),
    ),
    "webhook_toggle": (
        "POST",
        Row(
            "/settings/webhooks/{webhook_id}/toggle/", (Probe("path:webhook_id", 404),), body={"enable": "0"}
        ),
    ),
    "webhook_test": ("POST", Row("/settings/webhooks/{webhook_id}/test/", (Probe("path:webhook_id", 404),))),
    "webhook_rotate": (
        "POST",
        Row("/settings/webhooks/{webhook_id}/rotate/", (Probe("path:webhook_id", 404),)),
    ),
    "webhook_delete": (
        "POST",
        Row("/settings/webhooks/{webhook_id}/delete/", (Probe("path:webhook_id", 404),)),
    ),
    "webhook_replay": (
        "POST",
        Row(
            "/settings/webhooks/{webhook_id}/deliveries/{webhook_delivery_id}/replay/",
            (Probe("path:webhook_id", 404), Probe("path:webhook_delivery_id", 404)),
        ),
    ),
    "deadline_settings": ("GET", Row("/settings/deadlines/", why_no_ids="this seller's deadline policy")),
    "day_off_add": (
        "POST",
        Row("/settings/deadlines/days-off/", body={"day": "2099-01-02"}, why_no_ids="a date"),
    ),
    "day_off_remove": (
        "POST",
        Row(
            "/settings/deadlines/days-off/remove/",
            body={"day": "2099-01-02"},
            why_no_ids="a date of this seller's",
        ),
    ),
    "metrics": ("GET", Row("/metrics/", query={"window": "7"}, why_no_ids="this seller's own metrics")),
    "customer_notifications": (
        "GET",
        Row("/settings/customer-notifications/", why_no_ids="this seller's customer templates"),
    ),
    **{
        name: (
            method,
            Row(
                "/settings/customer-notifications/shipped/email/en/" + suffix,
                why_no_ids=CATALOGUE_NAMES,
            ),
        )
        for name, method, suffix in (
            ("customer_notification_edit", "GET", ""),
            ("customer_notification_preview", "POST", "preview/"),
            ("customer_notification_switch", "POST", "switch/"),
            ("customer_notification_reset", "POST", "reset/"),
        )
    },
    "metric_limits": (
        "POST",
        Row(
            "/metrics/limits/",
            body={"metric": "late_shipment_rate", "limit": "5", "warning": "4"},
            why_no_ids="a metric key and two numbers, for this seller only",
        ),
    ),
    "carrier_webhook": ("POST", Row("/webhooks/carriers/x/", why_no_ids="a carrier account's secret token")),
    "tracking_page": ("GET", Row("/track/x/", why_no_ids="an order's unguessable tracking token")),
    "stock_edit": ("POST", Row("/stock/{sku}/", (Probe("path:sku", 404),), body={"stock": "7"})),
    "order_change": (
        "POST",
        Row("/orders/{number}/changes/", (D_NUMBER,), body={"total": "1.00", "reason": "agreed"}),
    ),
    "order_line_substitute": (
        "POST",
        Row(
            "/orders/{number}/lines/{line_id}/substitute/",
            (D_NUMBER, Probe("path:line_id", 404)),
            body={"sku": "BOWL-01", "agreement": "by phone"},
        ),
    ),
    "order_line_cancel": (
        "POST",
        Row(
            "/orders/{number}/lines/{line_id}/cancel/",
            (D_NUMBER, Probe("path:line_id", 404)),
            body={"quantity": "1"},
        ),
    ),
    # Conversations (R-NOTE-4..6): the order's thread, its files, the feedback reminder, complaints.
    "order_thread": ("POST", Row("/orders/{number}/messages/", (D_NUMBER,), body={"text": "hi"})),
    "order_message_file": (
        "GET",
        Row("/orders/{number}/messages/files/{attachment_id}/", (D_NUMBER, Probe("path:attachment_id", 404))),
    ),
    "order_feedback_remind": ("POST", Row("/orders/{number}/feedback/remind/", (D_NUMBER,))),
    "order_complaint_add": (
        "POST",
        Row("/orders/{number}/complaints/", (D_NUMBER,), body={"kind": "not_paid", "comment": "x"}),
    ),
    "customer_thread": ("GET", Row("/m/x/", why_no_ids="a thread's unguessable token")),
    "customer_feedback": ("POST", Row("/m/x/feedback/", why_no_ids="a thread's unguessable token")),
    "customer_from_tracking": (
        "POST",
        Row("/track/x/conversation/", why_no_ids="an order's unguessable tracking token"),
    ),
    # The customer's file by the customer's token: a file of another thread is unknown.
    "customer_message_file": (
        "GET",
        Row(
            "/m/{token}/files/{attachment_id}/",
            (Probe("path:attachment_id", 404),),
            why_no_ids="the token is a thread's unguessable secret",
        ),
    ),
    "operator_complaints": ("GET", Row("/operator/complaints/", why_no_ids=OPERATOR_ONLY)),
    "operator_complaint_hide": (
        "POST",
        Row(
            "/operator/complaints/{complaint_id}/",
            (Probe("path:complaint_id", 403),),
            body={"action": "hide"},
        ),
    ),
    "balance": ("GET", Row("/balance/", why_no_ids="this seller's own balance")),
    "notifications": ("GET", Row("/notifications/", why_no_ids="the signed-in user's own alerts")),
    "notifications_bell": (
        "GET",
        Row("/notifications/bell/", why_no_ids="the signed-in user's unread count"),
    ),
    "notification_read": ("POST", Row("/notifications/{alert_id}/read/", (Probe("path:alert_id", 404),))),
    "push_subscribe": (
        "POST",
        Row("/notifications/push/subscribe/", why_no_ids="the signed-in user's browser"),
    ),
    "push_unsubscribe": (
        "POST",
        Row("/notifications/push/unsubscribe/", why_no_ids="the signed-in user's browser"),
    ),
    "notification_settings": (
        "GET",
        Row("/settings/notifications/", why_no_ids="the signed-in user's own settings"),
    ),
    "order_delivery_resend": (
        "POST",
        Row("/orders/{number}/deliveries/{delivery_id}/resend/", (D_NUMBER, Probe("path:delivery_id", 404))),
    ),
    "payout": ("GET", Row("/payouts/{payout_id}/", (Probe("path:payout_id", 404),))),
    # The operator's area: seller staff get 403 whatever the id (its tenancy, within the operator's
    # marketplace, is tests/earnings/test_pages.py::test_operator_ids_are_resolved_within_its_marketplace).
    "operator_home": ("GET", Row("/operator/", why_no_ids=OPERATOR_ONLY)),
    "operator_assign_plan": (
        "POST",
        Row(
            "/operator/sellers/{seller_id}/plan/",
            (Probe("path:seller_id", 403), Probe("body:plan_id", 403)),
            body={"plan_id": "$plan_id"},
        ),
    ),
    "operator_payout_create": (
        "POST",
        Row(
            "/operator/sellers/{seller_id}/payouts/",
            (Probe("path:seller_id", 403),),
            body={"currency": "EUR"},
        ),
    ),
    "operator_plans": ("GET", Row("/operator/plans/", why_no_ids=OPERATOR_ONLY)),
    "operator_plan_edit": (
        "POST",
        Row("/operator/plans/{plan_id}/", (Probe("path:plan_id", 403),), body={"name": "x", "percent": "1"}),
    ),
    "operator_payouts": ("GET", Row("/operator/payouts/", why_no_ids=OPERATOR_ONLY)),
    "operator_payout": ("GET", Row("/operator/payouts/{payout_id}/", (Probe("path:payout_id", 403),))),
    "operator_requests": ("GET", Row("/operator/requests/", why_no_ids=OPERATOR_ONLY)),
    "operator_request_decide": (
        "POST",
        Row("/operator/requests/{request_id}/", (Probe("path:request_id", 403),), body={"decision": "deny"}),
    ),
}

# --- the two sellers' ids ---------------------------------------------------------------------

SECRET = ("Zoe Foreign", "zoe@south.example", "+7 999 000-11-22", "SOUTH-ONLY", "south secret note")
UNKNOWN = {
    "number": "999999",
    "note_id": "999999999",
    "sku": "NO-SUCH-SKU",
    "customer_id": "999999999",
    "manager_id": "999999999",
    "view_id": "999999999",
    "payout_id": "999999999",
    "seller_id": "999999999",
    "plan_id": "999999999",
    "request_id": "999999999",
    "shipment": "999",
    "line_id": "999999999",
    "account_id": "999999999",
    "attachment_id": "999999999",
    "complaint_id": "999999999",
    "alert_id": "999999999",
    "webhook_id": "999999999",
    "delivery_id": "999999999",
    "webhook_delivery_id": "999999999",
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(seller, other_seller) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """Own ids of `seller`, and ids that exist only at `other_seller` (numbers beyond seller's)."""
    name, email, phone, sku, note = SECRET
    Product.objects.create(
        seller=other_seller, sku=sku, name="South only", price=Decimal("9"), currency="EUR", stock=9
    )
    place(other_seller)
    place(other_seller)
    theirs = place(other_seller, name=name, email=email, phone=phone)
    soon = timezone.now() - dt.timedelta(minutes=5)
    their_note = services.note_add(
        seller_id=other_seller.pk, number=theirs.number, actor=actor(other_seller), text=note, remind_at=soon
    )
    their_view = SavedView.objects.create(
        seller=other_seller, owner=staff(other_seller), name="South view", query="status=pending"
    )
    mine = ready_to_ship(seller)  # confirmed and paid, one unit of two in a pickup shipment
    mine_line = mine.lines.get(sku="MUG-01")
    fulfil = ManualFulfillment(lines={mine_line.pk: 1}, shipping_point="pickup")
    fulfill_manual(seller_id=seller.pk, number=mine.number, actor=actor(seller), data=fulfil)
    ready = ready_to_ship(other_seller)  # two shipments: their "2" is no shipment of mine
    their_line = ready.lines.get(sku="MUG-01")
    for _ in range(2):
        fulfil = ManualFulfillment(lines={their_line.pk: 1}, shipping_point="pickup")
        fulfill_manual(seller_id=other_seller.pk, number=ready.number, actor=actor(other_seller), data=fulfil)
    my_note = services.note_add(
        seller_id=seller.pk, number=mine.number, actor=actor(seller), text="mine", remind_at=soon
    )
    assert not Order.objects.filter(seller=seller, number__in=[theirs.number, ready.number]).exists()
    my_payout = Payout.objects.create(seller=seller, amount=Decimal("1"), currency="EUR")
    their_payout = Payout.objects.create(seller=other_seller, amount=Decimal("1"), currency="EUR")
    plan = TariffPlan.objects.create(marketplace=seller.marketplace, name="Plan")
    txt = [FileIn(name="a.txt", data=b"hello")]
    conversations.message_send(
        seller_id=seller.pk, number=mine.number, actor=actor(seller), text="hi", files=txt
    )
    conversations.message_send(
        seller_id=other_seller.pk, number=theirs.number, actor=actor(other_seller), text=note, files=txt
    )
    my_file, their_file = (Attachment.objects.get(message__thread__seller=s) for s in (seller, other_seller))
    my_complaint, their_complaint = (
        conversations.complaint_file(seller_id=s.pk, number=n, actor=actor(s), kind="other", comment="x")
        for s, n in ((seller, mine.number), (other_seller, theirs.number))
    )
    my_hook, my_delivery = _webhook_with_a_delivery(seller)
    their_hook, their_delivery = _webhook_with_a_delivery(other_seller)
    own = {
        "number": str(mine.number),
        "note_id": str(my_note.pk),
        "sku": "MUG-01",
        "customer_id": str(mine.customer_id),
        "manager_id": str(staff(seller).pk),
        "view_id": str(
            SavedView.objects.create(seller=seller, owner=staff(seller), name="Mine", query="").pk
        ),
        "payout_id": str(my_payout.pk),
        "seller_id": str(seller.pk),
        "plan_id": str(plan.pk),
        "request_id": "1",
        "shipment": "1",
        "line_id": str(mine_line.pk),
        "account_id": str(sandbox_account(seller.pk).pk),
        "attachment_id": str(my_file.pk),
        "complaint_id": str(my_complaint.pk),
        "token": Thread.objects.get(order=mine).token,
        "alert_id": str(_alert(staff(seller)).pk),
        "delivery_id": str(_failed_delivery(mine).pk),
        "webhook_id": str(my_hook.pk),
        "webhook_delivery_id": str(my_delivery.pk),
    }
    foreign = {
        "number": str(theirs.number),
        "note_id": str(their_note.pk),
        "sku": sku,
        "customer_id": str(theirs.customer_id),
        "manager_id": str(staff(other_seller).pk),
        "view_id": str(their_view.pk),
        "payout_id": str(their_payout.pk),
        "seller_id": str(other_seller.pk),
        "plan_id": str(plan.pk),
        "request_id": "2",
        "shipment": "2",
        "line_id": str(their_line.pk),
        "account_id": str(sandbox_account(other_seller.pk).pk),
        "attachment_id": str(their_file.pk),
        "complaint_id": str(their_complaint.pk),
        "token": Thread.objects.get(order=theirs).token,
        "alert_id": str(_alert(staff(other_seller)).pk),
        "delivery_id": str(_failed_delivery(ready).pk),
        "webhook_id": str(their_hook.pk),
        "webhook_delivery_id": str(their_delivery.pk),
    }
    return {"own": own, "foreign": foreign}


def _failed_delivery(order: Order) -> Delivery:
    """A failed e-mail about `order` (resendable by the order's seller)."""
    with transaction.atomic():
        d = deliveries.queue(
            key=f"probe:{order.pk}",
            channel="email",
            to="someone@example.com",
            subject="probe",
            body="probe",
            seller_id=order.seller_id,
            order_id=order.pk,
        )
    assert d is not None
    Delivery.objects.filter(pk=d.pk).update(status=DeliveryStatus.FAILED)
    return d


def _alert(user: Any) -> Alert:
    """An unread in-app alert of `user`."""
    with transaction.atomic():
        d = deliveries.queue(
            key=f"probe-alert:{user.pk}",
            channel="inapp",
            to=str(user.pk),
            subject="probe",
            body="",
            seller_id=user.seller_id,
            user_id=user.pk,
        )
    assert d is not None
    deliveries.send(d.pk)
    return Alert.objects.get(delivery=d)


def _webhook_with_a_delivery(seller: Any) -> tuple[WebhookSubscription, WebhookDelivery]:
    now = timezone.now()
    hook = WebhookSubscription.objects.create(
        seller=seller,
        url="https://8.8.8.8/hook",
        event_types=["order_placed"],
        secret_encrypted=encrypt(new_secret()),
        created_at=now,
        updated_at=now,
    )
    delivery = WebhookDelivery.objects.create(
        subscription=hook,
        seller=seller,
        message_id="evt_1",
        event_type="order_placed",
        body="{}",
        status="delivered",
        created_at=now,
    )
    return hook, delivery


def snapshot() -> list[list[dict[str, Any]]]:
    """Every row a request could write, to prove that nothing was."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (
            Order,
            OrderLine,
            OrderEvent,
            OrderNote,
            Payment,
            Customer,
            Product,
            SavedView,
            Payout,
            SellerPlan,
            TariffPlan,
            AmountChangeRequest,
            Thread,
            Message,
            Attachment,
            Feedback,
            Complaint,
            Shipment,
            Return,
            CarrierAccount,
            Delivery,
            Alert,
            WebhookSubscription,
            WebhookDelivery,
        )
    ]


def _key(probe: Probe) -> str:
    """The id kind a probe carries: path:number → number, body:lines[].sku → sku."""
    name = probe.field.split(":", 1)[1].split(".")[-1].split("-")[-1]
    return {
        "manager": "manager_id",
        "pick": "customer_id",
        "view": "view_id",
        "numbers": "number",
        "order_number": "number",
    }.get(name, name)


def _values(world: dict[str, dict[str, str]], probe: Probe, which: str) -> dict[str, str]:
    values = dict(world["own"])
    values[_key(probe)] = world["foreign"][_key(probe)] if which == "foreign" else UNKNOWN[_key(probe)]
    return values


def _fill(template: Any, values: dict[str, str], *, ints: bool) -> Any:
    if isinstance(template, dict):
        return {
            _fill(k, values, ints=ints) if isinstance(k, str) else k: _fill(v, values, ints=ints)
            for k, v in template.items()
        }
    if isinstance(template, list):
        return [_fill(v, values, ints=ints) for v in template]
    if isinstance(template, str) and template.startswith("$"):
        value = values[template[1:]]
        return int(value) if ints and value.isdigit() and template != "$sku" else value
    if isinstance(template, str):
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)
    return template


def _api_body(row: Row, values: dict[str, str]) -> Any:
    if row.body == {"$order": True}:
        return order_body(lines=[{"sku": values["sku"], "quantity": 1}])
    return _fill(row.body, values, ints=True)


def _dashboard_body(row: Row, values: dict[str, str]) -> Any:
    if row.body == {"$form": True}:
        return {
            "customer_id": values["customer_id"],
            "shipping_method": "digital",
            "shipping_price": "0",
            "payment_method": "bank_transfer",
            "currency": "EUR",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "50",
            "lines-0-sku": values["sku"],
            "lines-0-quantity": "1",
            "lines-0-unit_price": "",
        }
    return _fill(row.body or {}, values, ints=False)


def _no_secret(content: bytes, sent: dict[str, str]) -> None:
    """None of the other seller's data in the answer (an id the caller sent may be echoed)."""
    text = content.decode("utf-8", "replace")
    for secret in SECRET:
        if secret not in sent.values():
            assert secret not in text, secret


API_CASES = [
    pytest.param(method, key_path, probe, id=f"{method} {key_path} {probe.field}")
    for (method, key_path), row in API.items()
    for probe in row.probes
]


@pytest.mark.parametrize(("method", "key_path", "probe"), API_CASES)
def test_api_answers_a_foreign_id_like_an_unknown_one(
    world, seller, api_for, method, key_path, probe
) -> None:  # type: ignore[no-untyped-def]
    row = API[(method, key_path)]
    api = api_for(seller, "owner")  # the widest role: a refusal here is about the id, not the role
    answers = []
    for which in ("foreign", "unknown"):
        values = _values(world, probe, which)
        path = _fill(row.path, values, ints=False)
        before = snapshot()
        if method == "GET":
            resp = api.get(path, **_fill(row.query, values, ints=False))
        elif method == "DELETE":
            resp = api.delete(path)
        else:
            resp = getattr(api, method.lower())(path, _api_body(row, values))
        assert snapshot() == before, f"{which} id: something was written"
        _no_secret(resp.content, values)
        code = resp.json().get("code") if resp.status_code >= 400 else None
        answers.append((resp.status_code, code))
    assert answers[0] == (probe.status, probe.code), answers
    assert answers[0] == answers[1], f"a foreign id is answered unlike an unknown one: {answers}"


DASHBOARD_CASES = [
    pytest.param(name, probe, id=f"{name} {probe.field}")
    for name, (_, row) in DASHBOARD.items()
    for probe in row.probes
]


@pytest.mark.parametrize(("name", "probe"), DASHBOARD_CASES)
def test_dashboard_answers_a_foreign_id_like_an_unknown_one(world, seller, name, probe) -> None:  # type: ignore[no-untyped-def]
    method, row = DASHBOARD[name]
    client = Client()
    client.force_login(staff(seller, "owner"))
    statuses = []
    for which in ("foreign", "unknown"):
        values = _values(world, probe, which)
        path = _fill(row.path, values, ints=False)
        before = snapshot()
        if method == "GET":
            resp = client.get(path, _fill(row.query, values, ints=False))
        else:
            resp = client.post(path, _dashboard_body(row, values))
        assert snapshot() == before, f"{which} id: something was written"
        if hasattr(resp, "streaming_content"):
            _no_secret(b"".join(resp.streaming_content), values)
        else:
            _no_secret(resp.content, values)
        statuses.append(resp.status_code)
    assert statuses[0] == probe.status, statuses
    assert statuses[0] == statuses[1], f"a foreign id is answered unlike an unknown one: {statuses}"


# --- guards: every route has a row, every id field a probe ------------------------------------

ID_PROPERTY = re.compile(r"(^|_)(id|ids|sku|number|numbers)$(?<!tracking_number)")  # a carrier's
# tracking number is free text the seller types, not an id of anything stored


def _schema_ids(schema: dict[str, Any], components: dict[str, Any], prefix: str = "") -> set[str]:
    """Id-bearing property paths of a request body schema (lines[].sku, customer_id, …)."""
    if "$ref" in schema:
        return _schema_ids(components[schema["$ref"].rsplit("/", 1)[1]], components, prefix)
    out: set[str] = set()
    for sub in schema.get("anyOf", []) + schema.get("allOf", []):
        out |= _schema_ids(sub, components, prefix)
    if schema.get("type") == "array" and "items" in schema:
        out |= _schema_ids(schema["items"], components, prefix + "[]")
    for name, prop in schema.get("properties", {}).items():
        path = (
            f"{prefix}.{name}"
            if prefix and not prefix.endswith("[]")
            else f"{prefix}{'.' if prefix else ''}{name}"
        )
        if ID_PROPERTY.search(name):
            out.add(path)
        out |= _schema_ids(prop, components, path)
    return out


def test_every_api_operation_has_a_row_and_every_id_field_a_probe() -> None:
    doc = ninja_api.get_openapi_schema()
    components = doc.get("components", {}).get("schemas", {})
    operations = {
        (method.upper(), path.removeprefix(API_PREFIX)): op
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
    }
    assert set(operations) == set(API), (
        f"operations without a row: {sorted(set(operations) - set(API))}; "
        f"rows without an operation: {sorted(set(API) - set(operations))}"
    )
    for key, op in operations.items():
        row = API[key]
        probed = {p.field for p in row.probes}
        for param in op.get("parameters", []):
            if param["name"] in CATALOGUE_PARTS and row.why_no_ids == CATALOGUE_NAMES:
                continue
            if (
                param["in"] == "path"
                or ID_PROPERTY.search(param["name"])
                or param["name"] in ("manager", "sku")
            ):
                assert f"{param['in']}:{param['name']}" in probed, (key, param["name"])
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        for prop in _schema_ids(body or {}, components):
            assert f"body:{prop}" in probed, (key, prop)
        assert row.probes or row.why_no_ids, key


def _dashboard_names(patterns: list[Any], namespace: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "api":
                continue
            out |= _dashboard_names(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            out[p.name] = str(p.pattern)
    return out


def test_every_dashboard_url_has_a_row_and_every_path_id_a_probe() -> None:
    urls = _dashboard_names(get_resolver().url_patterns)
    assert set(urls) == set(DASHBOARD), (
        f"URLs without a row: {sorted(set(urls) - set(DASHBOARD))}; "
        f"rows without a URL: {sorted(set(DASHBOARD) - set(urls))}"
    )
    for name, route in urls.items():
        _, row = DASHBOARD[name]
        probed = {p.field for p in row.probes}
        for converter in re.findall(r"<(?:\w+:)?(\w+)>", route):
            if converter == "token" and row.why_no_ids:
                continue  # a secret that is the whole authority of a public address, not a seller's id
            if converter in CATALOGUE_PARTS and row.why_no_ids == CATALOGUE_NAMES:
                continue
            kind = "view_id" if converter == "pk" else converter
            assert f"path:{kind}" in probed, (name, converter)
        assert row.probes or row.why_no_ids, name
