"""A local fake of CDEK's API v2 on pytest-httpserver, with state, that checks what we send.

`CdekFake(httpserver)` serves the token, calculator, orders, print, barcode and webhook
subscription endpoints. It
remembers the orders registered through it, so a test (or an end-to-end test through the worker)
can `register` an order (CDEK gives the waybill number), `reject` it, `advance` its status and then
see `track`, `shipment_state` or a webhook body (`webhook_body`) reflect it.

What we send is checked the way CDEK would: the form of the token call, `Authorization: Bearer`
with a token the fake issued and has not expired, body shapes, integer grams and centimetres,
the tariff code and number. A malformed request answers 400 with a CDEK error body *and* is
recorded in `problems`; the `cdek_fake` fixture fails the test if any are left at its end.

Use it with the `cdek_fake` fixture (tests/shipping/conftest or a test module) or build it:
`CdekFake(httpserver)`, then `CarrierConfig(base_url=fake.base_url, client_id=fake.client_id,
client_secret=fake.client_secret, webhook_secret=fake.webhook_secret)`.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import re
import time
import uuid as uuidlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from reportlab.lib.pagesizes import A6
from reportlab.pdfgen import canvas
from werkzeug import Request, Response

from sellerdesk.shipping.carriers.cdek import clear_token_cache


def _tariff(code: int, name: str, mode: int, price: float, days: tuple[int, int]) -> dict[str, Any]:
    return {
        "tariff_code": code,
        "tariff_name": name,
        "tariff_description": "",
        "delivery_mode": mode,
        "delivery_sum": price,
        "period_min": days[0],
        "period_max": days[1],
        "calendar_min": days[0],
        "calendar_max": days[1],
    }


# delivery_mode: 1 door-door, 2 door-office, 3 office-door, 4 office-office
DEFAULT_TARIFFS: list[dict[str, Any]] = [
    _tariff(139, "Посылка дверь-дверь", 1, 350.0, (2, 4)),
    _tariff(137, "Посылка склад-дверь", 3, 512.5, (3, 5)),
    _tariff(136, "Посылка склад-склад", 4, 290.0, (2, 4)),
    _tariff(138, "Посылка дверь-склад", 2, 330.0, (2, 4)),
]
FROM_OFFICE = {3, 4, 5, 7}
TO_OFFICE = {2, 4, 5, 6, 7, 9, 10}

_TZ = dt.timezone(dt.timedelta(hours=3))


def cdek_time(when: dt.datetime | None = None) -> str:
    """CDEK's time format: 2026-12-01T10:15:00+0300."""
    return (when or dt.datetime.now(_TZ)).strftime("%Y-%m-%dT%H:%M:%S%z")


def _pdf(text: str) -> bytes:
    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=A6)
    page.drawString(20, 200, text)
    page.showPage()
    page.save()
    return buf.getvalue()


@dataclass
class FakeOrder:
    uuid: str
    body: dict[str, Any]
    cdek_number: str = ""
    state: str = "ACCEPTED"  # the CREATE request: ACCEPTED → SUCCESSFUL | INVALID
    errors: list[dict[str, str]] = field(default_factory=list)
    statuses: list[dict[str, str]] = field(default_factory=list)  # oldest first
    is_return: bool = False


@dataclass
class FakePrint:
    uuid: str
    order_uuid: str
    kind: str  # orders | barcodes
    polls_left: int  # polls answered "PROCESSING" before "READY"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class CdekFake:
    def __init__(
        self,
        httpserver: HTTPServer,
        *,
        client_id: str = "fake-client",
        client_secret: str = "fake-secret",
        webhook_secret: str = "hook-token-123",
        token_lifetime: int = 3600,
    ) -> None:
        self.server = httpserver
        self.base_url = httpserver.url_for("").rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.webhook_secret = webhook_secret
        self.token_lifetime = token_lifetime
        self.tokens: dict[str, bool] = {}  # token → still valid
        self.token_requests = 0
        self.calls: list[tuple[str, str]] = []  # (method, path) of every authorised call
        self.problems: list[str] = []
        self.orders: dict[str, FakeOrder] = {}
        self.prints: dict[str, FakePrint] = {}
        self.tariffs = [dict(t) for t in DEFAULT_TARIFFS]
        self.polls_before_ready = 1
        self.webhooks: dict[str, dict[str, str]] = {}  # subscription uuid → {url, type}
        self.delay: dict[str, float] = {}  # path prefix → seconds to wait before answering
        self.refuse_next: dict[str, tuple[int, Any]] = {}  # "POST /v2/orders" → answer
        self._numbers = itertools.count(1_000_000_001)
        self._install()

    # ------------------------------------------------------------ driving the fake from a test

    def expire_tokens(self) -> None:
        """Every token issued so far is refused from now on (CDEK's tokens expire after an hour)."""
        for token in self.tokens:
            self.tokens[token] = False

    def register(self, order_uuid: str, cdek_number: str | None = None) -> str:
        """CDEK accepted the order: it gets a waybill number and the status CREATED."""
        order = self.orders[order_uuid]
        order.cdek_number = cdek_number or str(next(self._numbers))
        order.state = "SUCCESSFUL"
        self.advance(order_uuid, "CREATED", name="Создан")
        return order.cdek_number

    def reject(
        self, order_uuid: str, message: str, code: str = "v2_recipient_location_not_recognized"
    ) -> None:
        """CDEK's later checks refused the order (the CREATE request becomes INVALID)."""
        order = self.orders[order_uuid]
        order.state = "INVALID"
        order.errors = [{"code": code, "message": message}]

    def advance(
        self,
        order_uuid: str,
        code: str,
        *,
        name: str = "",
        city: str = "Москва",
        when: dt.datetime | None = None,
    ) -> dict[str, str]:
        """Add a status to the order, as CDEK does when the parcel moves."""
        status = {"code": code, "name": name or code, "date_time": cdek_time(when), "city": city}
        self.orders[order_uuid].statuses.append(status)
        return status

    def webhook_body(self, order_uuid: str, status: dict[str, str] | None = None) -> bytes:
        """The ORDER_STATUS webhook CDEK would send for the order's latest (or a given) status."""
        order = self.orders[order_uuid]
        status = status or order.statuses[-1]
        payload = {
            "type": "ORDER_STATUS",
            "date_time": cdek_time(),
            "uuid": order.uuid,
            "attributes": {
                "is_return": order.is_return,
                "cdek_number": order.cdek_number,
                "number": order.body.get("number", ""),
                "code": status["code"],
                "status_code": status["code"],
                "status_date_time": status["date_time"],
                "city_name": status["city"],
            },
        }
        return json.dumps(payload).encode()

    def only_order(self) -> FakeOrder:
        assert len(self.orders) == 1, f"expected one order, the fake holds {len(self.orders)}"
        return next(iter(self.orders.values()))

    # ------------------------------------------------------------ the HTTP side

    def _install(self) -> None:
        routes: list[tuple[str | re.Pattern[str], str, Any]] = [
            ("/v2/oauth/token", "POST", self._token),
            ("/v2/calculator/tarifflist", "POST", self._tarifflist),
            ("/v2/orders", "POST", self._create_order),
            (re.compile(r"^/v2/orders/[^/]+$"), "GET", self._get_order),
            (re.compile(r"^/v2/orders/[^/]+$"), "DELETE", self._delete_order),
            (re.compile(r"^/v2/print/(orders|barcodes)$"), "POST", self._print_request),
            (re.compile(r"^/v2/print/(orders|barcodes)/[^/.]+$"), "GET", self._print_status),
            (re.compile(r"^/v2/print/(orders|barcodes)/[^/.]+\.pdf$"), "GET", self._print_download),
            ("/v2/webhooks", "POST", self._webhook_subscribe),
        ]
        for uri, method, handler in routes:
            self.server.expect_request(uri, method=method).respond_with_handler(self._wrap(handler))

    def _wrap(self, handler: Any) -> Any:
        def respond(request: Request) -> Response:
            for prefix, seconds in self.delay.items():
                if request.path.startswith(prefix):
                    time.sleep(seconds)
            refused = self.refuse_next.pop(f"{request.method} {request.path}", None)
            if refused is not None and self._authorised(request):
                return self._json(refused[1], refused[0])
            if handler != self._token:
                if not self._authorised(request):
                    return self._json({"errors": [{"code": "unauthorized", "message": "Token expired"}]}, 401)
                self.calls.append((request.method, request.path))
            return handler(request)  # type: ignore[no-any-return]  # handlers return Response

        return respond

    def _problem(self, message: str) -> Response:
        self.problems.append(message)
        return self._json({"errors": [{"code": "v2_bad_request", "message": message}]}, 400)

    @staticmethod
    def _json(payload: Any, status: int = 200) -> Response:
        return Response(json.dumps(payload), status=status, content_type="application/json")

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            self.problems.append(f"{request.method} {request.path} without a bearer token")
            return False
        return self.tokens.get(header.removeprefix("Bearer "), False)

    def _body(self, request: Request) -> dict[str, Any] | None:
        if request.mimetype != "application/json":
            self.problems.append(f"{request.path}: content type {request.mimetype!r}, not JSON")
            return None
        body = request.get_json(silent=True)
        return body if isinstance(body, dict) else None

    def _token(self, request: Request) -> Response:
        self.token_requests += 1
        form = request.form
        if request.mimetype != "application/x-www-form-urlencoded" or form.get("grant_type") != (
            "client_credentials"
        ):
            return self._problem("the token call must be a form with grant_type=client_credentials")
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return self._json({"error": "invalid_client", "error_description": "Bad credentials"}, 401)
        token = f"tok-{uuidlib.uuid4().hex}"
        self.tokens[token] = True
        return self._json(
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": self.token_lifetime,
                "scope": "order:all",
            }
        )

    def _check_location(self, where: str, loc: Any, *, address: bool) -> list[str]:
        if not isinstance(loc, dict):
            return [f"{where} is missing"]
        found = []
        if not any(loc.get(k) for k in ("code", "postal_code", "city")):
            found.append(f"{where} has neither code, postal_code nor city")
        if address and not loc.get("address"):
            found.append(f"{where}.address is missing")
        return found

    def _check_package(self, where: str, package: Any) -> list[str]:
        if not isinstance(package, dict):
            return [f"{where} is not an object"]
        found = [
            f"{where}.{k} is not an integer"
            for k in ("weight", "length", "width", "height")
            if not _is_int(package.get(k))
        ]
        if _is_int(package.get("weight")) and package["weight"] <= 0:
            found.append(f"{where}.weight must be positive grams")
        return found

    def _tarifflist(self, request: Request) -> Response:
        body = self._body(request)
        if body is None:
            return self._problem("the calculator needs a JSON body")
        found = self._check_location("from_location", body.get("from_location"), address=False)
        found += self._check_location("to_location", body.get("to_location"), address=False)
        packages = body.get("packages")
        if not isinstance(packages, list) or not packages:
            found.append("packages are missing")
        else:
            for i, package in enumerate(packages):
                found += self._check_package(f"packages[{i}]", package)
        if "currency" in body and not _is_int(body["currency"]):
            found.append("currency must be CDEK's currency number")
        if found:
            return self._problem("; ".join(found))
        return self._json({"tariff_codes": self.tariffs})

    def _check_contact(self, where: str, contact: Any) -> list[str]:
        if not isinstance(contact, dict) or not contact.get("name"):
            return [f"{where}.name is missing"]
        phones = contact.get("phones", [])
        if not isinstance(phones, list) or not all(isinstance(p, dict) and p.get("number") for p in phones):
            return [f"{where}.phones must be a list of {{number}}"]
        return []

    def _create_order(self, request: Request) -> Response:
        body = self._body(request)
        if body is None:
            return self._problem("an order needs a JSON body")
        found = []
        if not _is_int(body.get("tariff_code")):
            found.append("tariff_code must be an integer")
        if "number" in body and not isinstance(body["number"], str):
            found.append("number must be a string")
        found += self._check_contact("recipient", body.get("recipient"))
        if "sender" in body:
            found += self._check_contact("sender", body.get("sender"))
        mode = next(
            (t["delivery_mode"] for t in self.tariffs if t["tariff_code"] == body.get("tariff_code")), 1
        )
        if mode in FROM_OFFICE:
            if not body.get("shipment_point") or "from_location" in body:
                found.append("a tariff from an office needs shipment_point and no from_location")
        elif "shipment_point" in body:
            found.append("shipment_point and from_location together")
        else:
            found += self._check_location("from_location", body.get("from_location"), address=True)
        if mode in TO_OFFICE:
            if not body.get("delivery_point"):
                found.append("a tariff to an office needs delivery_point")
        else:
            found += self._check_location("to_location", body.get("to_location"), address=True)
        packages = body.get("packages")
        if not isinstance(packages, list) or not packages:
            found.append("packages are missing")
            packages = []
        for i, package in enumerate(packages):
            found += self._check_package(f"packages[{i}]", package)
            if not isinstance(package, dict) or not package.get("number"):
                found.append(f"packages[{i}].number is missing")
                continue
            for j, item in enumerate(package.get("items", [])):
                where = f"packages[{i}].items[{j}]"
                if not (item.get("name") and item.get("ware_key")):
                    found.append(f"{where} needs name and ware_key")
                payment = item.get("payment")
                if not (isinstance(payment, dict) and _is_number(payment.get("value"))):
                    found.append(f"{where}.payment.value must be a number")
                if not _is_number(item.get("cost")):
                    found.append(f"{where}.cost must be a number")
                if not (_is_int(item.get("weight")) and item["weight"] > 0):
                    found.append(f"{where}.weight must be positive integer grams")
                if not (_is_int(item.get("amount")) and item["amount"] > 0):
                    found.append(f"{where}.amount must be a positive integer")
        if body.get("type", 1) == 1 and not any(p.get("items") for p in packages if isinstance(p, dict)):
            found.append("an online store's order needs items")
        if found:
            return self._problem("; ".join(found))
        order = FakeOrder(uuid=str(uuidlib.uuid4()), body=body)
        self.orders[order.uuid] = order
        return self._json(
            {
                "entity": {"uuid": order.uuid},
                "requests": [
                    {
                        "request_uuid": str(uuidlib.uuid4()),
                        "type": "CREATE",
                        "date_time": cdek_time(),
                        "state": "ACCEPTED",
                    }
                ],
            },
            202,
        )

    def _order_or_404(self, request: Request) -> FakeOrder | Response:
        order = self.orders.get(request.path.rsplit("/", 1)[1])
        if order is None:
            return self._json(
                {
                    "requests": [
                        {
                            "type": "GET",
                            "state": "INVALID",
                            "errors": [{"code": "v2_entity_not_found", "message": "Entity is not found"}],
                        }
                    ]
                },
                404,
            )
        return order

    def _get_order(self, request: Request) -> Response:
        order = self._order_or_404(request)
        if isinstance(order, Response):
            return order
        entity: dict[str, Any] = {
            "uuid": order.uuid,
            "type": 1,
            "is_return": order.is_return,
            "number": order.body.get("number", ""),
            "tariff_code": order.body.get("tariff_code"),
            "statuses": list(reversed(order.statuses)),  # CDEK lists the newest first
        }
        if order.cdek_number:
            entity["cdek_number"] = order.cdek_number
        creation: dict[str, Any] = {"type": "CREATE", "state": order.state, "date_time": cdek_time()}
        if order.errors:
            creation["errors"] = order.errors
        return self._json({"entity": entity, "requests": [creation]})

    def _delete_order(self, request: Request) -> Response:
        order = self._order_or_404(request)
        if isinstance(order, Response):
            return order
        if any(s["code"] not in ("ACCEPTED", "CREATED") for s in order.statuses):
            error = {"code": "v2_entity_invalid", "message": "Order cannot be deleted: it is already in work"}
            return self._json({"requests": [{"type": "DELETE", "state": "INVALID", "errors": [error]}]}, 400)
        self.advance(order.uuid, "REMOVED", name="Удален")
        return self._json(
            {"entity": {"uuid": order.uuid}, "requests": [{"type": "DELETE", "state": "ACCEPTED"}]}, 202
        )

    def _print_request(self, request: Request) -> Response:
        kind = request.path.rsplit("/", 1)[1]
        body = self._body(request) or {}
        orders = body.get("orders")
        if not (isinstance(orders, list) and len(orders) == 1 and isinstance(orders[0], dict)):
            return self._problem("print: orders must be a list of one {order_uuid}")
        order_uuid = orders[0].get("order_uuid")
        if order_uuid not in self.orders:
            return self._problem(f"print: unknown order_uuid {order_uuid!r}")
        if not (_is_int(body.get("copy_count")) and body["copy_count"] > 0):
            return self._problem("print: copy_count must be a positive integer")
        if kind == "barcodes" and body.get("format") not in ("A4", "A5", "A6", "A7"):
            return self._problem("print: a barcode format must be A4, A5, A6 or A7")
        form = FakePrint(str(uuidlib.uuid4()), order_uuid, kind, self.polls_before_ready)
        self.prints[form.uuid] = form
        return self._json(
            {"entity": {"uuid": form.uuid}, "requests": [{"type": "CREATE", "state": "ACCEPTED"}]}, 202
        )

    def _print_status(self, request: Request) -> Response:
        form = self.prints.get(request.path.rsplit("/", 1)[1])
        if form is None:
            return self._problem("print: unknown print form")
        statuses = [
            {"code": "ACCEPTED", "date_time": cdek_time()},
            {"code": "PROCESSING", "date_time": cdek_time()},
        ]
        entity: dict[str, Any] = {
            "uuid": form.uuid,
            "orders": [{"order_uuid": form.order_uuid}],
            "statuses": statuses,
        }
        if not self.orders[form.order_uuid].cdek_number:
            statuses.append({"code": "INVALID", "date_time": cdek_time()})
            error = {"code": "v2_print_form_empty", "message": "The order is not registered yet"}
            return self._json(
                {"entity": entity, "requests": [{"type": "CREATE", "state": "INVALID", "errors": [error]}]}
            )
        if form.polls_left > 0:
            form.polls_left -= 1
        else:
            statuses.append({"code": "READY", "date_time": cdek_time()})
            entity["url"] = f"{self.base_url}/v2/print/{form.kind}/{form.uuid}.pdf"
        return self._json({"entity": entity})

    def _webhook_subscribe(self, request: Request) -> Response:
        body = self._body(request) or {}
        url, kind = body.get("url"), body.get("type")
        if not (isinstance(url, str) and url.startswith(("https://", "http://"))) or kind != "ORDER_STATUS":
            return self._problem("webhooks: url (http or https) and type ORDER_STATUS are required")
        ref = str(uuidlib.uuid4())
        self.webhooks[ref] = {"url": url, "type": kind}
        return self._json({"entity": {"uuid": ref}, "requests": [{"type": "CREATE", "state": "SUCCESSFUL"}]})

    def _print_download(self, request: Request) -> Response:
        form = self.prints.get(request.path.rsplit("/", 1)[1].removesuffix(".pdf"))
        if form is None or form.polls_left > 0:
            return self._problem("print: download of a form that is not ready")
        order = self.orders[form.order_uuid]
        return Response(_pdf(f"CDEK {form.kind} {order.cdek_number}"), content_type="application/pdf")


def running_fake(httpserver: HTTPServer, **kw: Any) -> Iterator[CdekFake]:
    """Body of a fixture: a fresh fake and token cache; fails the test if a request was malformed.

    @pytest.fixture
    def cdek(httpserver): yield from running_fake(httpserver)
    """
    clear_token_cache()
    fake = CdekFake(httpserver, **kw)
    yield fake
    clear_token_cache()
    assert not fake.problems, "CDEK would have refused what we sent:\n" + "\n".join(fake.problems)
