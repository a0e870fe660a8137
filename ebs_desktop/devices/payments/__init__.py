"""Online payment gateways as one small Protocol, with adapters.

* :mod:`.stripe_gateway`: cards through Stripe PaymentIntents (the official ``stripe`` SDK).
  Card data never reaches our servers: the customer types it into Stripe's hosted fields;
  we keep only Stripe's ids (PCI DSS SAQ A scope).
* :mod:`.mpesa`: a mobile wallet of the M-Pesa "STK push + callback" kind (Daraja API).

The core posts what a gateway reports through the same ledger writer as the counter; the
gateway only moves money and tells us about it. Every call that creates something (a
payment, a refund) carries an idempotency key chosen by the caller, and every event a
gateway sends carries the gateway's own event id, so a retry, a double click or a webhook
delivered twice happens once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class GatewayError(Exception):
    """The gateway refused or could not be reached. ``str(exc)`` is plain words."""


class GatewayUnavailable(GatewayError):
    """Not reached, timed out or 5xx: safe to retry with the same idempotency key."""


class WebhookRejected(GatewayError):
    """A callback that is not provably the gateway's (signature, age, token): answer 400."""


class PaymentState(StrEnum):
    """A gateway payment's state, the same words for every gateway."""

    PENDING = "pending"  # created, waiting for the customer (card form, phone prompt)
    REQUIRES_ACTION = "requires_action"  # 3-D Secure or similar: the customer must act
    PROCESSING = "processing"  # the customer acted; the gateway has not decided yet
    SUCCEEDED = "succeeded"  # money taken: post it
    FAILED = "failed"  # declined, cancelled by the customer, timed out
    CANCELED = "canceled"  # we cancelled it before it succeeded


FINAL_STATES = frozenset({PaymentState.SUCCEEDED, PaymentState.FAILED, PaymentState.CANCELED})


@dataclass(frozen=True)
class PaymentRequest:
    """What we ask a gateway to collect. Amounts in minor units of ``currency``."""

    amount_minor: int
    currency: str
    account_number: str
    idempotency_key: str  # ours: the same key never creates a second payment
    bill_number: str | None = None
    description: str = ""
    customer_ref: str | None = None  # the gateway's customer (saved methods, autopay)
    payment_method: str | None = None  # a saved method: charge now (autopay)
    off_session: bool = False  # the customer is not present (autopay)
    phone: str | None = None  # a wallet's number, E.164


@dataclass(frozen=True)
class GatewayPayment:
    """A payment as the gateway reports it."""

    gateway: str  # "stripe", "mpesa"
    payment_id: str  # the gateway's id: what postings are keyed by
    state: PaymentState
    amount_minor: int
    currency: str
    metadata: dict[str, str] = field(default_factory=dict)
    client_secret: str | None = None  # for the browser's hosted fields (Stripe)
    failure: str | None = None  # plain words when FAILED
    receipt: str | None = None  # the gateway's receipt number (M-Pesa's MpesaReceiptNumber)


@dataclass(frozen=True)
class GatewayRefund:
    gateway: str
    refund_id: str
    payment_id: str
    amount_minor: int
    currency: str
    succeeded: bool


class EventKind(StrEnum):
    PAYMENT_SUCCEEDED = "payment_succeeded"
    PAYMENT_FAILED = "payment_failed"
    PAYMENT_PROCESSING = "payment_processing"
    REFUNDED = "refunded"
    DISPUTED = "disputed"
    OTHER = "other"  # stored, not acted on


@dataclass(frozen=True)
class GatewayEvent:
    """One verified callback: stored once by ``(gateway, event_id)``, raw body kept."""

    gateway: str
    event_id: str
    kind: EventKind
    type: str  # the gateway's own name ("payment_intent.succeeded")
    payment_id: str | None
    amount_minor: int | None
    currency: str | None
    metadata: dict[str, str]
    created: datetime
    raw: bytes


@dataclass(frozen=True)
class SettlementLine:
    """One payment (or refund) inside a payout, with the gateway's fee on it."""

    payment_id: str | None
    kind: str  # "charge", "refund", "adjustment", "fee"
    gross_minor: int
    fee_minor: int
    net_minor: int


@dataclass(frozen=True)
class Settlement:
    """Money the gateway paid out to the utility's bank: the net of its lines."""

    gateway: str
    settlement_id: str
    arrival: datetime
    currency: str
    amount_minor: int
    lines: tuple[SettlementLine, ...]


class PaymentGateway(Protocol):
    """What the core asks of a payment gateway."""

    name: str

    def create_payment(self, request: PaymentRequest) -> GatewayPayment:
        """Start collecting; with a saved method and ``off_session``, charge at once."""
        ...

    def fetch_payment(self, payment_id: str) -> GatewayPayment:
        """The payment's state now (the poller's view when a webhook was lost)."""
        ...

    def refund(self, payment_id: str, amount_minor: int, *, idempotency_key: str,
               reason: str) -> GatewayRefund:
        ...

    def verify_event(self, body: bytes, headers: dict[str, str], *,
                     query: dict[str, str] | None = None,
                     now: datetime | None = None) -> GatewayEvent:
        """The event a callback carries (its body, headers and the callback URL's query),
        or WebhookRejected."""
        ...
