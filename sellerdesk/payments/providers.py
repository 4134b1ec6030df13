"""Payment providers (R-PAY-5): one interface, three adapters.

- `manual` (offline): money received or given back outside SellerDesk, recorded by staff (cash,
  card on delivery, bank transfer, an online payment confirmed by hand). Its refunds are manual
  refunds: recorded with who and when, no money moves through us.
- `sandbox`: a provider without network for demos and tests, with deterministic outcomes chosen
  by card number and amount (the magic values are below and in docs/payments.md).
- `stripe`: Stripe through its official SDK: PaymentIntents, Refunds and signed webhooks.

The services never branch on a provider's name: they call `charge`, `refund` and
`parse_webhook` and act on the `Outcome`. A provider call never writes our database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import stripe
from django.conf import settings

from sellerdesk.accounts.actors import Actor
from sellerdesk.core.money import from_minor_units, minor_units
from sellerdesk.orders.methods import PAYMENT_CHOICES
from sellerdesk.orders.models import Order

from .models import Payment, PaymentKind, PaymentState


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered 5xx: nothing is known to have happened.

    The pending row stays pending; the same request (same idempotency key) is sent again later.
    """


class WebhookRefused(Exception):
    """A webhook whose signature, timestamp or body is not acceptable (answered 400)."""


@dataclass(frozen=True)
class Outcome:
    """What a provider answered to a charge or a refund."""

    state: PaymentState  # succeeded, failed, or pending (the provider settles it later by webhook)
    reference: str = ""  # the provider's id of the payment or refund
    error: str = ""  # why it failed, in the provider's words


@dataclass(frozen=True)
class WebhookEvent:
    """A provider's notification, verified and reduced to what the ledger needs."""

    id: str
    type: str  # the provider's own event type
    kind: str  # "payment", "refund", or "" (an event we do not act on)
    state: PaymentState | None = None
    reference: str = ""  # the payment's (or refund's) provider id
    order_id: int | None = None  # from the metadata we sent with the payment
    amount: Decimal | None = None
    currency: str = ""
    error: str = ""


class PaymentProvider(Protocol):
    name: str
    online: bool  # money moves through the provider (refunds go back through it)

    def charge(self, order: Order, row: Payment, *, source: str) -> Outcome:
        """Take `row.amount` from the customer's `source` (a card number or payment method id)."""
        ...

    def refund(self, row: Payment, *, parent: Payment) -> Outcome:
        """Give `row.amount` back from the payment `parent`; retried with the same key, never twice."""
        ...

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """Verify and read a webhook; `WebhookRefused` when it is not genuine or too old."""
        ...


# --- offline / manual -------------------------------------------------------------------------


class OfflineProvider:
    """Money received outside SellerDesk, recorded by a staff member."""

    name = "manual"
    online = False

    def record(self, order: Order, *, amount: Decimal, reference: str, actor: Actor) -> Payment:
        return Payment.objects.create(
            order=order,
            kind=PaymentKind.OFFLINE,
            amount=amount,
            currency=order.currency,
            provider=self.name,
            reference=reference[:200],
            created_by=actor.user,
        )

    def charge(self, order: Order, row: Payment, *, source: str) -> Outcome:
        return Outcome(PaymentState.FAILED, error="Offline payments are recorded with “Mark as paid”.")

    def refund(self, row: Payment, *, parent: Payment) -> Outcome:
        # A manual refund: staff gave the money back themselves; we record who and when.
        return Outcome(PaymentState.SUCCEEDED)

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        raise WebhookRefused("The manual provider sends no webhooks.")


# --- signed webhooks (the sandbox signs like Stripe does: t=…,v1=HMAC-SHA256(t.body)) ----------

SIGNATURE_TOLERANCE = 300  # seconds: an older (or replayed later) webhook is refused


def sign(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """The sandbox's signature header for `body`."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify(body: bytes, header: str, secret: str, *, now: float | None = None) -> None:
    parts = dict(p.split("=", 1) for p in (header or "").split(",") if "=" in p)
    try:
        t = int(parts.get("t", ""))
    except ValueError:
        raise WebhookRefused("The signature header has no timestamp.") from None
    expected = sign(body, secret, t).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, parts.get("v1", "")):
        raise WebhookRefused("The signature does not match.")
    if abs((time.time() if now is None else now) - t) > SIGNATURE_TOLERANCE:
        raise WebhookRefused("The webhook's timestamp is too old (or in the future).")


# --- sandbox ----------------------------------------------------------------------------------

# Magic card numbers (charge): what the sandbox answers for each.
SANDBOX_CARDS: dict[str, tuple[PaymentState, str]] = {
    "4242424242424242": (PaymentState.SUCCEEDED, ""),
    "4000000000000002": (PaymentState.FAILED, "Your card was declined."),
    "4000000000009995": (PaymentState.FAILED, "Your card has insufficient funds."),
    "4000000000003220": (PaymentState.PENDING, ""),  # delayed: settled later by a sandbox webhook
}
# Magic amounts: an amount whose minor units end in 13 is declined (charge and refund alike);
# one ending in 14 leaves the provider "unreachable" (ProviderUnavailable), to try retries.
SANDBOX_DECLINE_CENTS = 13
SANDBOX_UNAVAILABLE_CENTS = 14


class SandboxProvider:
    name = "sandbox"
    online = True

    def _by_amount(self, amount: Decimal, currency: str) -> Outcome | None:
        cents = minor_units(amount, currency) % 100
        if cents == SANDBOX_UNAVAILABLE_CENTS:
            raise ProviderUnavailable("The sandbox is unavailable for amounts ending in 14.")
        if cents == SANDBOX_DECLINE_CENTS:
            return Outcome(PaymentState.FAILED, error="Declined by the sandbox (amount ends in 13).")
        return None

    def charge(self, order: Order, row: Payment, *, source: str) -> Outcome:
        outcome = self._by_amount(row.amount, row.currency)
        if outcome:
            return outcome
        state, error = SANDBOX_CARDS.get(source.replace(" ", ""), (PaymentState.FAILED, "Unknown test card."))
        return Outcome(state, reference=f"sbx_pay_{row.idempotency_key}", error=error)

    def refund(self, row: Payment, *, parent: Payment) -> Outcome:
        outcome = self._by_amount(row.amount, row.currency)
        if outcome:
            return outcome
        return Outcome(PaymentState.SUCCEEDED, reference=f"sbx_re_{row.idempotency_key}")

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        verify(body, headers.get("Sandbox-Signature", ""), settings.SANDBOX_WEBHOOK_SECRET)
        try:
            data = json.loads(body)
            obj = data["data"]
            kind, _, result = str(data["type"]).partition(".")
            state = {"succeeded": PaymentState.SUCCEEDED, "failed": PaymentState.FAILED}[result]
            currency = str(obj.get("currency", "")).upper()
            return WebhookEvent(
                id=str(data["id"]),
                type=str(data["type"]),
                kind=kind if kind in ("payment", "refund") else "",
                state=state,
                reference=str(obj.get("reference", "")),
                order_id=int(obj["order_id"]) if obj.get("order_id") else None,
                amount=Decimal(str(obj["amount"])) if obj.get("amount") else None,
                currency=currency,
                error=str(obj.get("error", "")),
            )
        except (KeyError, TypeError, ValueError, ArithmeticError) as error:
            raise WebhookRefused(f"The webhook body is not understood: {error}.") from None


# --- Stripe -----------------------------------------------------------------------------------


def _stripe_failure(error: stripe.StripeError) -> Outcome:
    """Declines and refusals are failures; outages and 5xx are ProviderUnavailable."""
    if isinstance(error, stripe.APIConnectionError | stripe.RateLimitError):
        raise ProviderUnavailable(f"Stripe could not be reached: {error.user_message or error}") from error
    if isinstance(error, stripe.APIError) or (error.http_status or 0) >= 500:
        raise ProviderUnavailable(
            f"Stripe answered {error.http_status}: {error.user_message or error}"
        ) from error
    if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
        raise ProviderUnavailable("Stripe refused our credentials; check STRIPE_SECRET_KEY.") from error
    return Outcome(PaymentState.FAILED, error=str(error.user_message or error.code or error))


STRIPE_STATES = {
    "succeeded": PaymentState.SUCCEEDED,
    "pending": PaymentState.PENDING,
    "processing": PaymentState.PENDING,
    "requires_action": PaymentState.PENDING,
    "requires_capture": PaymentState.PENDING,
    "failed": PaymentState.FAILED,
    "canceled": PaymentState.FAILED,
    "requires_payment_method": PaymentState.FAILED,
}


class StripeProvider:
    name = "stripe"
    online = True

    def client(self) -> stripe.StripeClient:
        if not settings.STRIPE_SECRET_KEY:
            raise ProviderUnavailable("Stripe is not configured: set STRIPE_SECRET_KEY.")
        base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses=base,  # type: ignore[arg-type]  # a TypedDict with the one key we set
            max_network_retries=0,  # our retries reuse the idempotency key; the SDK's would too
            http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT),
        )

    def charge(self, order: Order, row: Payment, *, source: str) -> Outcome:
        params: dict[str, Any] = {
            "amount": minor_units(row.amount, row.currency),
            "currency": row.currency.lower(),
            "payment_method": source,
            "payment_method_types": ["card"],
            "confirm": True,
            "metadata": {"order_id": str(order.pk), "order_number": str(order.number)},
        }
        try:
            intent = self.client().v1.payment_intents.create(
                params=params,  # type: ignore[arg-type]  # a plain dict of the documented params
                options={"idempotency_key": row.idempotency_key},
            )
        except stripe.CardError as declined:
            intent_id = getattr(declined.error.payment_intent, "id", "") if declined.error else ""
            return Outcome(
                PaymentState.FAILED, reference=str(intent_id or ""), error=str(declined.user_message)
            )
        except stripe.StripeError as error:
            return _stripe_failure(error)
        return Outcome(STRIPE_STATES.get(intent.status, PaymentState.PENDING), reference=intent.id)

    def refund(self, row: Payment, *, parent: Payment) -> Outcome:
        try:
            refund = self.client().v1.refunds.create(
                params={
                    "payment_intent": parent.reference,
                    "amount": minor_units(row.amount, row.currency),
                    "metadata": {"order_id": str(row.order_id)},
                },
                options={"idempotency_key": row.idempotency_key},
            )
        except stripe.StripeError as error:
            return _stripe_failure(error)
        state = STRIPE_STATES.get(str(refund.status), PaymentState.PENDING)
        return Outcome(state, reference=refund.id, error=str(getattr(refund, "failure_reason", "") or ""))

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        try:
            event = stripe.Webhook.construct_event(
                body,
                headers.get("Stripe-Signature", ""),
                settings.STRIPE_WEBHOOK_SECRET,
                tolerance=SIGNATURE_TOLERANCE,
            )
        except stripe.SignatureVerificationError as error:
            raise WebhookRefused(f"Stripe signature refused: {error.user_message or error}") from None
        except ValueError:
            raise WebhookRefused("The webhook body is not JSON.") from None
        obj: dict[str, Any] = event.data.object.to_dict()
        metadata = obj.get("metadata") or {}
        order_id = metadata.get("order_id")
        currency = str(obj.get("currency") or "").upper()
        amount_minor = obj.get("amount_received") or obj.get("amount")
        amount = from_minor_units(int(amount_minor), currency) if amount_minor and currency else None
        kind, state, failure = "", None, ""
        if event.type == "payment_intent.succeeded":
            kind, state = "payment", PaymentState.SUCCEEDED
        elif event.type == "payment_intent.payment_failed":
            kind, state = "payment", PaymentState.FAILED
            failure = str((obj.get("last_payment_error") or {}).get("message") or "")
        elif event.type in ("refund.updated", "refund.failed", "charge.refund.updated"):
            kind, state = "refund", STRIPE_STATES.get(str(obj.get("status")))
            failure = str(obj.get("failure_reason") or "")
        return WebhookEvent(
            id=event.id,
            type=event.type,
            kind=kind if state in (PaymentState.SUCCEEDED, PaymentState.FAILED) else "",
            state=state,
            reference=str(obj.get("id", "")),
            order_id=int(order_id) if order_id and str(order_id).isdigit() else None,
            amount=amount,
            currency=currency,
            error=failure,
        )


OFFLINE = OfflineProvider()
SANDBOX = SandboxProvider()
STRIPE = StripeProvider()

# Every provider by name: the name stored on a ledger row finds the adapter that refunds it.
BY_NAME: dict[str, PaymentProvider] = {p.name: p for p in (OFFLINE, SANDBOX, STRIPE)}

# The provider that records a hand-marked payment, per payment method.
PROVIDERS: dict[str, OfflineProvider] = {method: OFFLINE for method, _ in PAYMENT_CHOICES}


def provider_for(payment_method: str) -> OfflineProvider:
    return PROVIDERS.get(payment_method, OFFLINE)


def provider_named(name: str) -> PaymentProvider:
    from sellerdesk.core.errors import NotFound

    try:
        return BY_NAME[name]
    except KeyError:
        raise NotFound("unknown_provider", f"There is no payment provider {name!r}.") from None
