"""A local stand-in for the few Stripe API endpoints we call, checking what we send.

It answers like Stripe (JSON objects with ids, `error` objects with HTTP 402/5xx) and refuses,
with an assertion kept in `problems`, any request that Stripe would not accept from us or
that breaks our rules: no `Bearer sk_test_…` key, a body that is not form-encoded, an amount
that is not an integer count of minor units, an upper-case currency, a refund without an
`Idempotency-Key`. A repeated idempotency key gets the first answer again (as Stripe does).
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

DECLINED_PM = "pm_card_chargeDeclined"


@dataclass
class StripeFake:
    server: HTTPServer
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_key: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, list[str]], dict[str, str]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    fail_next: list[str] = field(default_factory=list)  # "500", "timeout", "decline_refund"
    refund_status: str = "succeeded"
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def install(self) -> None:
        self.server.expect_request("/v1/payment_intents", method="POST").respond_with_handler(self._intent)
        self.server.expect_request("/v1/refunds", method="POST").respond_with_handler(self._refund)

    # --- checks common to every call -------------------------------------------------------
    def _check(self, request: Request) -> dict[str, list[str]]:
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer sk_test_"):
            self.problems.append(f"no test secret key: {auth!r}")
        if request.mimetype != "application/x-www-form-urlencoded":
            self.problems.append(f"body is not form-encoded: {request.mimetype}")
        form = parse_qs(request.get_data(as_text=True), keep_blank_values=True)
        amount = form.get("amount", ["0"])[0]
        if not amount.isdigit():
            self.problems.append(f"amount is not in minor units: {amount!r}")
        currency = form.get("currency", [""])[0]
        if currency and currency != currency.lower():
            self.problems.append(f"currency is not lower-case: {currency!r}")
        self.requests.append((request.method, request.path, form, dict(request.headers)))
        return form

    def _failure(self) -> Response | None:
        if not self.fail_next:
            return None
        what = self.fail_next.pop(0)
        if what == "500":
            return _json(
                500, {"error": {"type": "api_error", "message": "Something went wrong on Stripe's end."}}
            )
        if what == "timeout":
            time.sleep(1.5)  # longer than the test's STRIPE_TIMEOUT
            return _json(500, {"error": {"type": "api_error", "message": "late"}})
        self.fail_next.insert(0, what)
        return None

    def _replay(self, request: Request) -> Response | None:
        key = request.headers.get("Idempotency-Key", "")
        if key and key in self.by_key:
            status, body = self.by_key[key]
            return _json(status, body)
        return None

    def _remember(self, request: Request, status: int, body: dict[str, Any]) -> Response:
        key = request.headers.get("Idempotency-Key", "")
        if key:
            self.by_key[key] = (status, body)
        return _json(status, body)

    # --- endpoints ----------------------------------------------------------------------------
    def _intent(self, request: Request) -> Response:
        form = self._check(request)
        failed = self._failure()
        if failed:
            return failed
        replay = self._replay(request)
        if replay:
            return replay
        pid = f"pi_fake{next(self.ids)}"
        pm = form.get("payment_method", [""])[0]
        metadata = {k[9:-1]: v[0] for k, v in form.items() if k.startswith("metadata[")}
        intent = {
            "id": pid,
            "object": "payment_intent",
            "amount": int(form["amount"][0]),
            "amount_received": 0 if pm == DECLINED_PM else int(form["amount"][0]),
            "currency": form["currency"][0],
            "metadata": metadata,
            "status": "requires_payment_method" if pm == DECLINED_PM else "succeeded",
        }
        self.intents[pid] = intent
        if pm == DECLINED_PM:
            error = {
                "type": "card_error",
                "code": "card_declined",
                "message": "Your card was declined.",
                "payment_intent": intent,
            }
            return self._remember(request, 402, {"error": error})
        return self._remember(request, 200, intent)

    def _refund(self, request: Request) -> Response:
        form = self._check(request)
        if not request.headers.get("Idempotency-Key"):
            self.problems.append("refund without an Idempotency-Key")
        failed = self._failure()
        if failed:
            return failed
        replay = self._replay(request)
        if replay:
            return replay
        if self.fail_next and self.fail_next[0] == "decline_refund":
            self.fail_next.pop(0)
            error = {
                "type": "invalid_request_error",
                "code": "charge_disputed",
                "message": "The charge is disputed.",
            }
            return self._remember(request, 400, {"error": error})
        pid = form.get("payment_intent", [""])[0]
        intent = self.intents.get(pid)
        if intent is None:
            return _json(
                404, {"error": {"type": "invalid_request_error", "message": f"No such payment_intent: {pid}"}}
            )
        amount = int(form["amount"][0])
        already = sum(r["amount"] for r in self.refunds.values() if r["payment_intent"] == pid)
        if already + amount > intent["amount_received"]:
            self.problems.append(f"refund of {amount} exceeds what is left of {pid}")
            return _json(400, {"error": {"type": "invalid_request_error", "message": "amount too large"}})
        rid = f"re_fake{next(self.ids)}"
        refund = {
            "id": rid,
            "object": "refund",
            "amount": amount,
            "currency": intent["currency"],
            "payment_intent": pid,
            "status": self.refund_status,
        }
        self.refunds[rid] = refund
        return self._remember(request, 200, refund)


def _json(status: int, body: dict[str, Any]) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")
