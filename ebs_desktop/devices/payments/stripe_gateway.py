"""Stripe: PaymentIntents through the official SDK, webhooks verified by the SDK.

Configuration (servers): ``EBS_STRIPE_API_KEY``, ``EBS_STRIPE_WEBHOOK_SECRET`` and, to point
at a local test server such as localstripe, ``EBS_STRIPE_API_BASE``.

* Every PaymentIntent carries metadata ``account_number`` (and ``bill_number`` when a bill is
  paid); postings are keyed by the PaymentIntent id.
* Every create and refund call sends our idempotency key (``Idempotency-Key``): Stripe
  answers a repeat with the first call's result. (localstripe ignores the header; the
  service layer keeps its own record of keys, so a repeat never reaches the gateway.)
* ``requires_action`` (3-D Secure) is a state, not an error: the browser completes it with
  the client secret, and the webhook or the poller tells us the outcome.
* Webhooks: ``Stripe-Signature`` ``t=...,v1=...`` is an HMAC-SHA256 of ``t.body`` under the
  endpoint's secret; older than 300 s is refused (replays).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

from ebs_desktop.devices.payments import (
    EventKind,
    GatewayError,
    GatewayEvent,
    GatewayPayment,
    GatewayRefund,
    GatewayUnavailable,
    PaymentRequest,
    PaymentState,
    WebhookRejected,
)

TOLERANCE_S = 300

_STATES = {
    "requires_payment_method": PaymentState.PENDING,
    "requires_confirmation": PaymentState.PENDING,
    "requires_action": PaymentState.REQUIRES_ACTION,
    "processing": PaymentState.PROCESSING,
    "requires_capture": PaymentState.PROCESSING,
    "succeeded": PaymentState.SUCCEEDED,
    "canceled": PaymentState.CANCELED,
}

_EVENTS = {
    "payment_intent.succeeded": EventKind.PAYMENT_SUCCEEDED,
    "payment_intent.payment_failed": EventKind.PAYMENT_FAILED,
    "payment_intent.processing": EventKind.PAYMENT_PROCESSING,
    "charge.refunded": EventKind.REFUNDED,
    "charge.dispute.created": EventKind.DISPUTED,
}


def _sdk() -> Any:
    try:
        import stripe
    except ImportError as exc:  # pragma: no cover - a dependency of the product
        raise GatewayError("the Stripe library is not installed (pip install stripe)") from exc
    return stripe


class StripeGateway:
    """The :class:`~ebs_desktop.devices.payments.PaymentGateway` for Stripe."""

    name = "stripe"

    def __init__(self, api_key: str, webhook_secret: str, *, api_base: str | None = None,
                 timeout_s: float = 20.0) -> None:
        if not api_key:
            raise GatewayError("no Stripe API key: set EBS_STRIPE_API_KEY")
        stripe = _sdk()
        self._stripe = stripe
        bases = {"api": api_base.rstrip("/")} if api_base else None
        self._client = stripe.StripeClient(api_key, base_addresses=bases,
                                           max_network_retries=2,
                                           http_client=stripe.RequestsClient(timeout=timeout_s))
        self._webhook_secret = webhook_secret

    @classmethod
    def from_environment(cls) -> StripeGateway:
        return cls(os.environ.get("EBS_STRIPE_API_KEY", ""),
                   os.environ.get("EBS_STRIPE_WEBHOOK_SECRET", ""),
                   api_base=os.environ.get("EBS_STRIPE_API_BASE") or None)

    # -- payments -------------------------------------------------------------------------
    def create_payment(self, request: PaymentRequest) -> GatewayPayment:
        metadata = {"account_number": request.account_number}
        if request.bill_number:
            metadata["bill_number"] = request.bill_number
        params: dict[str, Any] = {"amount": request.amount_minor,
                                  "currency": request.currency.lower(),
                                  "metadata": metadata}
        if request.description:
            params["description"] = request.description
        if request.customer_ref:
            params["customer"] = request.customer_ref
        if request.payment_method:
            params["payment_method"] = request.payment_method
            params["confirm"] = True
            if request.off_session:
                params["off_session"] = True
        intent = self._call(self._client.v1.payment_intents.create, params=params,
                            options={"idempotency_key": request.idempotency_key})
        return self._payment(intent)

    def fetch_payment(self, payment_id: str) -> GatewayPayment:
        return self._payment(self._call(self._client.v1.payment_intents.retrieve, payment_id))

    def refund(self, payment_id: str, amount_minor: int, *, idempotency_key: str,
               reason: str) -> GatewayRefund:
        refund = self._call(self._client.v1.refunds.create,
                            params={"payment_intent": payment_id, "amount": amount_minor,
                                    "metadata": {"reason": reason[:500]}},
                            options={"idempotency_key": idempotency_key})
        return GatewayRefund(self.name, refund["id"], payment_id, int(refund["amount"]),
                             str(refund["currency"]).upper(), refund["status"] == "succeeded")

    # -- webhooks -------------------------------------------------------------------------
    def verify_event(self, body: bytes, headers: dict[str, str], *,
                     query: dict[str, str] | None = None,
                     now: datetime | None = None) -> GatewayEvent:
        if not self._webhook_secret:
            raise WebhookRejected("no webhook secret configured (EBS_STRIPE_WEBHOOK_SECRET)")
        signature = _header(headers, "stripe-signature")
        if not signature:
            raise WebhookRejected("no Stripe-Signature header")
        try:
            payload = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WebhookRejected("the body is not UTF-8") from exc
        verifier = self._stripe.WebhookSignature
        try:
            verifier.verify_header(payload, signature, self._webhook_secret, None)
        except self._stripe.SignatureVerificationError as exc:
            raise WebhookRejected(f"the signature does not verify: {exc.user_message}") from exc
        # The age, both ways: a replay (older) or a clock far off (newer) is refused.
        clock = (now or datetime.now(UTC)).timestamp()
        if abs(clock - _timestamp(signature)) > TOLERANCE_S:
            raise WebhookRejected("the signature is older than 300 s, or from the future")
        try:
            event = json.loads(payload)
            return stripe_event(event, body)
        except (ValueError, KeyError, TypeError) as exc:
            raise WebhookRejected(f"not a Stripe event: {exc}") from exc

    # -- plumbing -------------------------------------------------------------------------
    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        stripe = self._stripe
        try:
            result = fn(*args, **kwargs)
            return result.to_dict() if hasattr(result, "to_dict") else result
        except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
            raise GatewayUnavailable(f"Stripe could not be reached: {exc.user_message}") from exc
        except stripe.CardError as exc:
            raise GatewayError(f"the card was declined: {exc.user_message}") from exc
        except stripe.StripeError as exc:
            status = getattr(exc, "http_status", None) or 0
            words = exc.user_message or str(exc)
            if status >= 500:
                raise GatewayUnavailable(f"Stripe failed ({status}): {words}") from exc
            raise GatewayError(f"Stripe refused the request: {words}") from exc

    def _payment(self, intent: Any) -> GatewayPayment:
        status = str(intent["status"])
        state = _STATES.get(status, PaymentState.PENDING)
        error = intent.get("last_payment_error")
        failure = None
        if error and state is PaymentState.PENDING:
            # a declined card returns the intent to requires_payment_method: a failure
            state = PaymentState.FAILED
            failure = str(error.get("message") or error.get("code") or "declined")
        metadata = {str(k): str(v) for k, v in (intent.get("metadata") or {}).items()}
        return GatewayPayment(self.name, str(intent["id"]), state, int(intent["amount"]),
                              str(intent["currency"]).upper(), metadata,
                              client_secret=intent.get("client_secret"), failure=failure)


def stripe_event(event: dict[str, Any], raw: bytes) -> GatewayEvent:
    """A verified Stripe event (parsed JSON) as a :class:`GatewayEvent`."""
    kind = _EVENTS.get(str(event["type"]), EventKind.OTHER)
    obj = event["data"]["object"]
    payment_id: str | None
    amount: int | None
    if obj.get("object") == "payment_intent":
        payment_id = obj["id"]
        amount = int(obj.get("amount_received") or obj["amount"])
    elif obj.get("object") == "charge":
        payment_id = obj.get("payment_intent")
        amount = int(obj["amount_refunded"] if kind is EventKind.REFUNDED else obj["amount"])
    elif obj.get("object") == "dispute":
        payment_id = obj.get("payment_intent")
        amount = int(obj["amount"])
    else:
        payment_id, amount = None, None
    currency = str(obj["currency"]).upper() if obj.get("currency") else None
    metadata = {str(k): str(v) for k, v in (obj.get("metadata") or {}).items()}
    created = datetime.fromtimestamp(int(event["created"]), UTC)
    return GatewayEvent("stripe", str(event["id"]), kind, str(event["type"]), payment_id,
                        amount, currency, metadata, created, raw)


def _header(headers: dict[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def _timestamp(signature: str) -> int:
    for part in signature.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    raise WebhookRejected("the signature has no timestamp")
