"""The CDEK API v2 adapter (R-FUL-4): tariffs, orders, waybill print, tracking, status webhooks.

Where: `config.base_url`, else CDEK's test server https://api.edu.cdek.ru; production is
https://api.cdek.ru. The client id and secret are `config.client_id` and `config.client_secret`
(the account settings fill blanks from CDEK_BASE_URL, CDEK_CLIENT_ID and CDEK_CLIENT_SECRET:
`sellerdesk/shipping/accounts.py`). Neither they nor the tokens are ever logged or put in an error.

Authentication: OAuth client credentials (POST /v2/oauth/token). A token is kept in process memory
per base URL, client id and secret until shortly before it expires, shared by all threads; a 401
on a call drops it, fetches a new one and retries the call once.

Registration is asynchronous: POST /v2/orders answers 202 with the order's uuid (our
`carrier_ref`) and no waybill number. `create_shipment` returns `Registration.WAITING` and
`shipment_state` asks again until CDEK gives the waybill number (`entity.cdek_number`,
REGISTERED) or refuses the order (INVALID). No waybill number is made up before that.

Webhooks: CDEK signs nothing, so the URL registered with CDEK carries a secret token,
/webhooks/carriers/<token>. The view takes <token> from the path and passes it to
`parse_webhook` in `headers["x-webhook-token"]` (`WEBHOOK_TOKEN_HEADER`, any letter case); it is
compared with `config.webhook_secret` in constant time. A wrong or missing token (or no secret
configured) raises CarrierError("carrier_auth"); a body that is not an ORDER_STATUS event we can
read raises CarrierError("carrier_error"). Other event types (PRINT_FORM, …) give no updates.

Status codes: `CDEK_STATUS` is the one table from CDEK's order status codes to ours. A code not in
it gives an update with `status=None` and the raw code kept. Every status of a return order
(`is_return`) is `delivery_failed`: the parcel is on its way back to the seller.

Options (`config.options`): connect_timeout (5 s), read_timeout (20 s), print_attempts (10) and
print_interval (1 s) bound the wait for a print form, copy_count (2: waybill copies per sheet),
barcode_format ("A6"), shipment_point (the seller's CDEK office code, for tariffs that start at
an office), sleep and clock (callables, for tests).

Tariffs: only those that end at the recipient's door are offered (a request names no pick-up
point); those that start at a CDEK office only when the account's option `shipment_point` names
the seller's drop-off office (`DELIVERY_MODES`).

Not sent: `ShipmentRequest.signature` (CDEK has no such service: the recipient always signs on
handover). Items go in the first package. CDEK insures an online store's order by its items'
declared cost (`cost`), always; `insurance` adds the INSURANCE service with the declared value to
the quote only, so that the price shown includes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import requests

from ..states import ShipmentStatus
from .base import (
    CarrierConfig,
    CarrierError,
    Created,
    Document,
    Package,
    Party,
    Rate,
    Registration,
    ShipmentRequest,
    TrackingUpdate,
)

TEST_BASE_URL = "https://api.edu.cdek.ru"
PRODUCTION_BASE_URL = "https://api.cdek.ru"
WEBHOOK_TOKEN_HEADER = "x-webhook-token"

UNREACHABLE = "CDEK did not answer in time; nothing was registered. Try again."
UNREACHABLE_CREATE = (
    "CDEK did not answer in time; it may have registered the shipment all the same. "
    "Look for the order number in the CDEK account before trying again."
)
UNREADABLE = "CDEK sent an answer we cannot read. Try again later."
BAD_CREDENTIALS = "CDEK refused the client id and secret; check them in the carrier account settings."

S = ShipmentStatus

# CDEK's order status codes (the API's appendix of statuses) → our shipment status. Some stages
# have two spellings in CDEK's documentation and payloads; both are listed.
CDEK_STATUS: dict[str, ShipmentStatus] = {
    # Registered, not handed over yet
    "ACCEPTED": S.AWAITING_SHIPMENT,
    "CREATED": S.AWAITING_SHIPMENT,
    # CDEK has the parcel in the sender's city
    "RECEIVED_AT_SHIPMENT_WAREHOUSE": S.SHIPPED,
    "RECEIVED_AT_SENDER_WAREHOUSE": S.SHIPPED,
    # On the way (sending city, transit cities, customs, recipient city)
    "READY_TO_SHIP_AT_SENDING_OFFICE": S.IN_TRANSIT,
    "READY_FOR_SHIPMENT_IN_SENDER_CITY": S.IN_TRANSIT,
    "TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY": S.IN_TRANSIT,
    "PASSED_TO_CARRIER_AT_SENDING_OFFICE": S.IN_TRANSIT,
    "SENT_TO_TRANSIT_CITY": S.IN_TRANSIT,
    "SEND_TO_TRANSIT_OFFICE": S.IN_TRANSIT,
    "ACCEPTED_IN_TRANSIT_CITY": S.IN_TRANSIT,
    "MET_AT_TRANSIT_OFFICE": S.IN_TRANSIT,
    "ACCEPTED_AT_TRANSIT_WAREHOUSE": S.IN_TRANSIT,
    "ACCEPTED_TO_OFFICE_TRANSIT_WAREHOUSE": S.IN_TRANSIT,
    "ENTERED_TO_OFFICE_TRANSIT_WAREHOUSE": S.IN_TRANSIT,
    "READY_FOR_SHIPMENT_IN_TRANSIT_CITY": S.IN_TRANSIT,
    "READY_TO_SHIP_IN_TRANSIT_OFFICE": S.IN_TRANSIT,
    "TAKEN_BY_TRANSPORTER_FROM_TRANSIT_CITY": S.IN_TRANSIT,
    "PASSED_TO_CARRIER_AT_TRANSIT_OFFICE": S.IN_TRANSIT,
    "SENT_TO_SENDER_CITY": S.IN_TRANSIT,
    "SEND_TO_SENDING_OFFICE": S.IN_TRANSIT,
    "ACCEPTED_IN_SENDER_CITY": S.IN_TRANSIT,
    "MET_AT_SENDING_OFFICE": S.IN_TRANSIT,
    "SENT_TO_RECIPIENT_CITY": S.IN_TRANSIT,
    "SEND_TO_RECIPIENT_OFFICE": S.IN_TRANSIT,
    "ACCEPTED_IN_RECIPIENT_CITY": S.IN_TRANSIT,
    "MET_AT_RECIPIENT_OFFICE": S.IN_TRANSIT,
    "ACCEPTED_AT_RECIPIENT_CITY_WAREHOUSE": S.IN_TRANSIT,
    "ACCEPTED_AT_DELIVERY_WAREHOUSE": S.IN_TRANSIT,
    "ENTERED_TO_DELIVERY_WAREHOUSE": S.IN_TRANSIT,
    # Back at a warehouse on the way (a missed connection), not a return to the seller
    "RETURNED_TO_SENDER_CITY_WAREHOUSE": S.IN_TRANSIT,
    "RETURNED_TO_SENDER_WAREHOUSE": S.IN_TRANSIT,
    "RETURNED_TO_TRANSIT_WAREHOUSE": S.IN_TRANSIT,
    "IN_CUSTOMS_INTERNATIONAL": S.IN_TRANSIT,
    "SHIPPED_TO_DESTINATION": S.IN_TRANSIT,
    "PASSED_TO_TRANSIT_CARRIER": S.IN_TRANSIT,
    "IN_CUSTOMS_LOCAL": S.IN_TRANSIT,
    "CUSTOMS_COMPLETE": S.IN_TRANSIT,
    # With the courier, or waiting at a pick-up point or parcel locker for the recipient
    "TAKEN_BY_COURIER": S.OUT_FOR_DELIVERY,
    "ISSUED_FOR_DELIVERY": S.OUT_FOR_DELIVERY,
    "ACCEPTED_AT_PICK_UP_POINT": S.OUT_FOR_DELIVERY,
    "ACCEPTED_AT_WAREHOUSE_ON_DEMAND": S.OUT_FOR_DELIVERY,
    "ENTERED_TO_WAREHOUSE_ON_DEMAND": S.OUT_FOR_DELIVERY,
    "POSTOMAT_POSTED": S.OUT_FOR_DELIVERY,
    # Handed to the recipient
    "DELIVERED": S.DELIVERED,
    "POSTOMAT_RECEIVED": S.DELIVERED,
    # Not handed over: the courier brought it back, the locker was emptied, or refused
    "NOT_DELIVERED": S.DELIVERY_FAILED,
    "RETURNED_TO_RECIPIENT_CITY_WAREHOUSE": S.DELIVERY_FAILED,
    "RETURNED_TO_DELIVERY_WAREHOUSE": S.DELIVERY_FAILED,
    "POSTOMAT_SEIZED": S.DELIVERY_FAILED,
    # Refused by CDEK's checks or deleted
    "INVALID": S.CANCELED,
    "REMOVED": S.CANCELED,
}

# A tariff's delivery_mode → where the parcel starts and ends. Without a pick-up point in the
# request we offer only tariffs that end at the recipient's door; those that start at a CDEK office
# need the seller's drop-off office (option shipment_point).
DELIVERY_MODES: dict[int, tuple[str, str]] = {
    1: ("door", "door"),
    2: ("door", "office"),
    3: ("office", "door"),
    4: ("office", "office"),
    5: ("terminal", "terminal"),
    6: ("door", "locker"),
    7: ("office", "locker"),
    8: ("locker", "door"),
    9: ("locker", "office"),
    10: ("locker", "locker"),
}

# ISO 4217 → CDEK's currency number in the calculator.
CDEK_CURRENCY = {"RUB": 1, "KZT": 2, "USD": 3, "EUR": 4, "GBP": 5, "CNY": 6, "BYN": 7}


def cdek_status(code: str, *, is_return: bool = False) -> ShipmentStatus | None:
    """Our status for a CDEK status code (None: not in `CDEK_STATUS`, the raw code is kept)."""
    if is_return:
        return S.DELIVERY_FAILED
    return CDEK_STATUS.get(code)


# ---------------------------------------------------------------- the token cache (process memory)


@dataclass(frozen=True)
class _Token:
    value: str
    refresh_at: float  # on the clock of the carrier that fetched it


_TOKENS: dict[tuple[str, str, str], _Token] = {}
_LOCKS: dict[tuple[str, str, str], threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def _lock_for(key: tuple[str, str, str]) -> threading.Lock:
    with _LOCKS_LOCK:
        return _LOCKS.setdefault(key, threading.Lock())


def clear_token_cache() -> None:
    """Forget every cached token (after credentials change; between tests)."""
    with _LOCKS_LOCK:
        _TOKENS.clear()


def _refresh_margin(expires_in: float) -> float:
    return min(60.0, expires_in / 10)


# ---------------------------------------------------------------- helpers


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _errors(payload: Any) -> list[dict[str, Any]]:
    """CDEK's errors from `{"errors": [...]}` and `{"requests": [{"errors": [...]}]}`."""
    found: list[Any] = []
    if isinstance(payload, dict):
        found += payload.get("errors") or []
        for req in payload.get("requests") or []:
            if isinstance(req, dict):
                found += req.get("errors") or []
    return [
        {"code": str(e.get("code", "")), "message": str(e.get("message") or e.get("code") or "")}
        for e in found
        if isinstance(e, dict)
    ]


def _messages(errors: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(_sentence(e["message"]) for e in errors if e["message"])


def _time(value: Any) -> dt.datetime | None:
    """CDEK's times: 2026-12-01T10:15:00+0300, …+03:00 or …Z. A naive time is taken as UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def _location(party: Party, *, with_address: bool) -> dict[str, Any]:
    loc = {"country_code": party.country, "postal_code": party.postcode, "city": party.city}
    if party.region:
        loc["region"] = party.region
    if with_address:
        loc["address"] = ", ".join(p for p in (party.line1, party.line2) if p)
    return {k: v for k, v in loc.items() if v}


def _contact(party: Party) -> dict[str, Any]:
    contact: dict[str, Any] = {"name": party.name}
    if party.company:
        contact["company"] = party.company
    if party.email:
        contact["email"] = party.email
    if party.phone:
        contact["phones"] = [{"number": party.phone}]
    return contact


def _dimensions(package: Package) -> dict[str, int]:
    return {
        "weight": int(package.weight_g),
        "length": int(package.length_cm),
        "width": int(package.width_cm),
        "height": int(package.height_cm),
    }


def _services(request: ShipmentRequest, *, quote: bool) -> list[dict[str, Any]]:
    services: list[dict[str, Any]] = []
    if request.insurance and quote:
        services.append({"code": "INSURANCE", "parameter": str(request.declared_value)})
    if request.dangerous_goods:
        services.append({"code": "DANGER_CARGO"})
    return services


def _number(options: Mapping[str, Any], name: str, default: float) -> float:
    """A numeric option; a value that is not a positive number falls back to the default."""
    try:
        value = float(options.get(name, default))
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


class CdekCarrier:
    code = "cdek"
    name = "CDEK"
    has_webhooks = True

    def __init__(self, config: CarrierConfig) -> None:
        self.config = config
        self.base_url = (config.base_url or TEST_BASE_URL).rstrip("/")
        self._client_id = config.client_id
        self._client_secret = config.client_secret
        opts = config.options
        self.timeout = (_number(opts, "connect_timeout", 5.0), _number(opts, "read_timeout", 20.0))
        self.print_attempts = max(1, int(_number(opts, "print_attempts", 10)))
        self.print_interval = _number(opts, "print_interval", 1.0)
        self.copy_count = max(1, int(_number(opts, "copy_count", 2)))
        self.barcode_format = str(opts.get("barcode_format", "A6"))
        self.shipment_point = str(opts.get("shipment_point", ""))
        self._sleep: Callable[[float], None] = opts.get("sleep", time.sleep)
        self._clock: Callable[[], float] = opts.get("clock", time.monotonic)
        self.session = requests.Session()
        secret_hash = hashlib.sha256(self._client_secret.encode()).hexdigest()
        self._token_key = (self.base_url, self._client_id, secret_hash)
        self._modes: dict[int, int] = {}  # tariff code → delivery_mode, learnt from the last quote

    def __repr__(self) -> str:
        return f"CdekCarrier(base_url={self.base_url!r})"

    # ------------------------------------------------------------ transport

    def _token(self) -> str:
        with _lock_for(self._token_key):
            cached = _TOKENS.get(self._token_key)
            if cached and cached.refresh_at > self._clock():
                return cached.value
            value, expires_in = self._fetch_token()
            _TOKENS[self._token_key] = _Token(value, self._clock() + expires_in - _refresh_margin(expires_in))
            return value

    def _drop_token(self, value: str) -> None:
        with _lock_for(self._token_key):
            cached = _TOKENS.get(self._token_key)
            if cached and cached.value == value:  # another thread may have fetched a new one already
                del _TOKENS[self._token_key]

    def _fetch_token(self) -> tuple[str, float]:
        if not (self._client_id and self._client_secret):
            raise CarrierError("carrier_auth", "The CDEK account has no client id and secret yet.")
        form = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        try:
            resp = self.session.post(f"{self.base_url}/v2/oauth/token", data=form, timeout=self.timeout)
        except (requests.Timeout, requests.ConnectionError):
            raise CarrierError("carrier_unreachable", UNREACHABLE) from None
        except requests.RequestException:
            raise CarrierError("carrier_error", UNREADABLE) from None
        if resp.status_code in (400, 401, 403):
            raise CarrierError("carrier_auth", BAD_CREDENTIALS)
        payload = self._json(resp) if resp.status_code < 500 else None
        token = payload.get("access_token") if payload else None
        if not isinstance(token, str) or not token:
            raise CarrierError("carrier_error", UNREADABLE)
        try:
            expires_in = float(payload.get("expires_in", 3600))  # type: ignore[union-attr]  # payload is a dict here
        except (TypeError, ValueError):
            expires_in = 3600.0
        return token, expires_in

    def _call(
        self,
        method: str,
        path_or_url: str,
        *,
        doing: str,
        body: Mapping[str, Any] | None = None,
        unreachable: str = UNREACHABLE,
    ) -> requests.Response:
        """One authorised call; 401 → a new token and one retry. Failures become CarrierError."""
        url = path_or_url if path_or_url.startswith("http") else f"{self.base_url}{path_or_url}"
        for attempt in (1, 2):
            token = self._token()
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json, application/pdf"}
            try:
                resp = self.session.request(method, url, json=body, headers=headers, timeout=self.timeout)
            except (requests.Timeout, requests.ConnectionError):
                raise CarrierError("carrier_unreachable", unreachable) from None
            except requests.RequestException:
                raise CarrierError("carrier_error", UNREADABLE) from None
            if resp.status_code == 401 and attempt == 1:
                self._drop_token(token)
                continue
            break
        if resp.status_code == 401:
            raise CarrierError("carrier_auth", BAD_CREDENTIALS)
        if 400 <= resp.status_code < 500:
            try:
                errors = _errors(resp.json())
            except ValueError:
                errors = []
            said = " ".join(_messages(errors)) or f"HTTP {resp.status_code}."
            raise CarrierError("carrier_refused", f"CDEK refused to {doing}: {said}", errors)
        if resp.status_code >= 300:
            raise CarrierError(
                "carrier_error", f"CDEK failed to {doing} (HTTP {resp.status_code}). Try again later."
            )
        return resp

    @staticmethod
    def _json(resp: requests.Response) -> dict[str, Any]:
        try:
            payload = resp.json()
        except ValueError:
            raise CarrierError("carrier_error", UNREADABLE) from None
        if not isinstance(payload, dict):
            raise CarrierError("carrier_error", UNREADABLE)
        return payload

    # ------------------------------------------------------------ rates and registration

    def rates(self, request: ShipmentRequest) -> list[Rate]:
        currency = CDEK_CURRENCY.get(request.currency)
        if currency is None:
            raise CarrierError("carrier_unsupported", f"CDEK does not quote prices in {request.currency}.")
        body: dict[str, Any] = {
            "currency": currency,
            "from_location": _location(request.shipper, with_address=False),
            "to_location": _location(request.recipient, with_address=False),
            "packages": [_dimensions(p) for p in request.packages],
        }
        if request.drop_off_date:
            body["date"] = f"{request.drop_off_date.isoformat()}T12:00:00+0000"
        if services := _services(request, quote=True):
            body["services"] = services
        payload = self._json(self._call("POST", "/v2/calculator/tarifflist", doing="quote rates", body=body))
        start = request.drop_off_date or dt.date.today()
        rates = []
        for tariff in payload.get("tariff_codes") or []:
            try:
                price = Decimal(str(tariff["delivery_sum"]))
                days_min, days_max = int(tariff["period_min"]), int(tariff["period_max"])
                code = str(int(tariff["tariff_code"]))
                mode = int(tariff.get("delivery_mode") or 0)
            except (KeyError, TypeError, ValueError, InvalidOperation):
                continue  # a tariff without a price or a period cannot be offered
            self._modes[int(code)] = mode
            if not self._can_register(mode):
                continue
            rates.append(
                Rate(
                    service_code=code,
                    service_name=str(tariff.get("tariff_name") or f"CDEK tariff {code}"),
                    price=price,
                    currency=request.currency,
                    days_min=days_min,
                    days_max=days_max,
                    estimated_delivery=start + dt.timedelta(days=days_max),
                )
            )
        if not rates and (errors := _errors(payload)):
            said = " ".join(_messages(errors))
            raise CarrierError("carrier_refused", f"CDEK refused to quote rates: {said}", errors)
        return rates

    def _can_register(self, mode: int) -> bool:
        """Whether we can fill in what a tariff of this delivery mode needs (0: CDEK did not say)."""
        start, end = DELIVERY_MODES.get(mode, ("door", "door"))
        return end == "door" and (start == "door" or (start == "office" and bool(self.shipment_point)))

    def _order_body(self, request: ShipmentRequest, tariff_code: int) -> dict[str, Any]:
        packages = []
        quantity = sum(item.quantity for item in request.items) or 1
        for number, package in enumerate(request.packages, 1):
            entry: dict[str, Any] = {"number": str(number), **_dimensions(package)}
            if number == 1 and request.items:
                share = max(1, int(package.weight_g) // quantity)
                entry["items"] = [
                    {
                        "name": item.name,
                        "ware_key": item.sku,
                        "payment": {"value": 0},  # paid in advance: the recipient pays nothing
                        "cost": _money(item.unit_price),
                        "weight": int(item.weight_g) or share,
                        "amount": int(item.quantity),
                    }
                    for item in request.items
                ]
            packages.append(entry)
        body: dict[str, Any] = {
            "type": 1,  # an online store's order
            "tariff_code": tariff_code,
            "sender": _contact(request.shipper),
            "recipient": _contact(request.recipient),
            "to_location": _location(request.recipient, with_address=True),
            "packages": packages,
        }
        if DELIVERY_MODES.get(self._modes.get(tariff_code, 0), ("door",))[0] == "office":
            body["shipment_point"] = self.shipment_point  # handed in at the seller's CDEK office
        else:
            body["from_location"] = _location(request.shipper, with_address=True)
        if request.reference:
            body["number"] = request.reference
        if services := _services(request, quote=False):
            body["services"] = services
        return body

    def create_shipment(self, request: ShipmentRequest, service_code: str) -> Created:
        try:
            tariff_code = int(service_code)
        except ValueError:
            raise CarrierError("carrier_refused", f"{service_code!r} is not a CDEK tariff.") from None
        if tariff_code not in self._modes:
            self.rates(request)  # learn the tariff's delivery mode (buy_label has just quoted: no call)
        if not self._can_register(self._modes.get(tariff_code, 0)):
            raise CarrierError(
                "carrier_unsupported",
                f"CDEK tariff {tariff_code} needs a pick-up point or drop-off office this account does not have.",
            )
        resp = self._call(
            "POST",
            "/v2/orders",
            doing="register the shipment",
            body=self._order_body(request, tariff_code),
            unreachable=UNREACHABLE_CREATE,
        )
        payload = self._json(resp)
        entity = payload.get("entity") if isinstance(payload.get("entity"), dict) else {}
        uuid = str(entity.get("uuid") or "")  # type: ignore[union-attr]  # a dict, checked above
        states = {r.get("state") for r in payload.get("requests") or [] if isinstance(r, dict)}
        if "INVALID" in states:
            return Created(uuid, Registration.INVALID, errors=_messages(_errors(payload)))
        if not uuid:
            raise CarrierError("carrier_error", UNREADABLE)
        return Created(uuid, Registration.WAITING)

    def _order(self, carrier_ref: str, doing: str) -> dict[str, Any]:
        payload = self._json(self._call("GET", f"/v2/orders/{carrier_ref}", doing=doing))
        if not isinstance(payload.get("entity"), dict):
            raise CarrierError("carrier_error", UNREADABLE)
        return payload

    def shipment_state(self, carrier_ref: str) -> Created:
        payload = self._order(carrier_ref, "look up the shipment")
        entity = payload["entity"]
        if number := entity.get("cdek_number"):
            return Created(carrier_ref, Registration.REGISTERED, tracking_number=str(number))
        creation = [
            r
            for r in payload.get("requests") or []
            if isinstance(r, dict) and r.get("type", "CREATE") == "CREATE"
        ]
        if any(r.get("state") == "INVALID" for r in creation):
            return Created(
                carrier_ref, Registration.INVALID, errors=_messages(_errors({"requests": creation}))
            )
        return Created(carrier_ref, Registration.WAITING)

    # ------------------------------------------------------------ print forms

    def _print(self, kind: str, body: dict[str, Any], what: str) -> bytes:
        """Ask for a print form, wait (bounded) until CDEK has made it, download the PDF."""
        started = self._json(self._call("POST", f"/v2/print/{kind}", doing=f"print the {what}", body=body))
        form_uuid = str((started.get("entity") or {}).get("uuid") or "")
        if not form_uuid:
            raise CarrierError("carrier_error", UNREADABLE)
        url = ""
        for attempt in range(self.print_attempts):
            if attempt:
                self._sleep(self.print_interval)
            payload = self._json(
                self._call("GET", f"/v2/print/{kind}/{form_uuid}", doing=f"print the {what}")
            )
            entity = payload.get("entity") or {}
            codes = {s.get("code") for s in entity.get("statuses") or [] if isinstance(s, dict)}
            if codes & {"INVALID", "REMOVED"}:
                said = " ".join(_messages(_errors(payload))) or "the order is not registered."
                raise CarrierError(
                    "carrier_refused", f"CDEK could not print the {what}: {said}", _errors(payload)
                )
            if "READY" in codes:
                url = str(entity.get("url") or "")
                break
        else:
            raise CarrierError(
                "carrier_error", f"CDEK has not finished the {what} yet; try again in a minute."
            )
        # The bearer token goes only to CDEK's own host; otherwise use the documented download path.
        if not url.startswith(f"{self.base_url}/"):
            url = f"{self.base_url}/v2/print/{kind}/{form_uuid}.pdf"
        content = self._call("GET", url, doing=f"download the {what}").content
        if not content.startswith(b"%PDF"):
            raise CarrierError("carrier_error", f"CDEK's {what} is not a PDF. Try again later.")
        return content

    def label(self, carrier_ref: str) -> Document:
        body = {"orders": [{"order_uuid": carrier_ref}], "copy_count": self.copy_count}
        content = self._print("orders", body, "waybill")
        return Document(content, "application/pdf", f"cdek-waybill-{carrier_ref}.pdf")

    def barcode(self, carrier_ref: str) -> Document:
        """The barcode sticker for the parcel (CDEK's ШК-место form)."""
        body = {"orders": [{"order_uuid": carrier_ref}], "copy_count": 1, "format": self.barcode_format}
        content = self._print("barcodes", body, "barcode label")
        return Document(content, "application/pdf", f"cdek-barcode-{carrier_ref}.pdf")

    # ------------------------------------------------------------ tracking, void, webhooks

    def track(self, carrier_ref: str) -> list[TrackingUpdate]:
        """The order's statuses, oldest first."""
        entity = self._order(carrier_ref, "report the shipment's status")["entity"]
        number = str(entity.get("cdek_number") or "")
        is_return = bool(entity.get("is_return"))
        updates = []
        for status in entity.get("statuses") or []:
            if not isinstance(status, dict) or not status.get("code"):
                continue
            occurred = _time(status.get("date_time"))
            if occurred is None:
                continue  # a status without a readable time cannot be ordered
            code = str(status["code"])
            updates.append(
                TrackingUpdate(
                    carrier_ref=carrier_ref,
                    tracking_number=number,
                    raw_code=code,
                    status=cdek_status(code, is_return=is_return),
                    occurred_at=occurred,
                    description=str(status.get("name") or ""),
                    location=str(status.get("city") or ""),
                )
            )
        updates.reverse()  # CDEK lists the newest first; statuses of the same second keep that order
        return sorted(updates, key=lambda u: u.occurred_at)

    def register_webhook(self, url: str) -> str:
        """Ask CDEK to send ORDER_STATUS events to `url` (ours, with the account's token in it).
        Returns CDEK's id of the subscription. CDEK keeps one subscription per type and URL."""
        body = {"url": url, "type": "ORDER_STATUS"}
        payload = self._json(self._call("POST", "/v2/webhooks", doing="send status updates", body=body))
        ref = str((payload.get("entity") or {}).get("uuid") or "")
        if not ref:
            raise CarrierError("carrier_error", UNREADABLE)
        return ref

    def void(self, carrier_ref: str) -> None:
        payload = self._json(self._call("DELETE", f"/v2/orders/{carrier_ref}", doing="cancel the shipment"))
        requests_ = [r for r in payload.get("requests") or [] if isinstance(r, dict)]
        if any(r.get("state") == "INVALID" for r in requests_):
            errors = _errors(payload)
            said = " ".join(_messages(errors)) or "the order can no longer be deleted."
            raise CarrierError("carrier_refused", f"CDEK refused to cancel the shipment: {said}", errors)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[TrackingUpdate]:
        given = next((v for k, v in headers.items() if k.lower() == WEBHOOK_TOKEN_HEADER), "")
        secret = self.config.webhook_secret
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            raise CarrierError("carrier_auth", "The webhook's token is wrong.")
        unreadable = CarrierError("carrier_error", "The webhook's body is not a CDEK event we can read.")
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise unreadable from None
        if not isinstance(payload, dict):
            raise unreadable
        if payload.get("type") != "ORDER_STATUS":
            return []
        attrs = payload.get("attributes")
        if not isinstance(attrs, dict):
            raise unreadable
        code = attrs.get("code") or attrs.get("status_code")  # status_code: the older name
        occurred = _time(attrs.get("status_date_time")) or _time(payload.get("date_time"))
        uuid = payload.get("uuid")
        if not code or not uuid or occurred is None:
            raise unreadable
        code = str(code)
        return [
            TrackingUpdate(
                carrier_ref=str(uuid),
                tracking_number=str(attrs.get("cdek_number") or ""),
                raw_code=code,
                status=cdek_status(code, is_return=bool(attrs.get("is_return"))),
                occurred_at=occurred,
                description=code.replace("_", " ").capitalize(),
                location=str(attrs.get("city_name") or ""),
            )
        ]
