"""The Stripe adapter against localstripe, a real server speaking Stripe's API.

The test plays the customer's browser (Stripe.js) with the SDK: it creates the card
payment method and confirms the intent with it, as the hosted fields would. Our code never
sees a card number.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import stripe

from ebs_desktop.devices.payments import (
    EventKind,
    GatewayError,
    GatewayUnavailable,
    PaymentRequest,
    PaymentState,
    WebhookRejected,
)
from ebs_desktop.devices.payments.stripe_gateway import StripeGateway
from tests.support.localstripe_server import API_KEY, LocalStripe, WebhookCatcher, local_stripe
from tests.support.smtp_server import free_port

SECRET = "whsec_test_ebs"
VISA = "4242424242424242"
VISA_3DS = "4000002760003184"  # Stripe's test card that always asks for 3-D Secure
DECLINED = "4000000000000341"  # attaches, then every charge is declined


@pytest.fixture(scope="module")
def server() -> Iterator[LocalStripe]:
    with local_stripe() as running:
        yield running


@pytest.fixture
def catcher(server: LocalStripe) -> Iterator[WebhookCatcher]:
    hook = WebhookCatcher()
    server.register_webhook(hook.url, SECRET)
    yield hook
    hook.close()


@pytest.fixture
def gateway(server: LocalStripe) -> StripeGateway:
    return StripeGateway(API_KEY, SECRET, api_base=server.base)


def browser(server: LocalStripe) -> stripe.StripeClient:
    return stripe.StripeClient(API_KEY, base_addresses={"api": server.base})


def pay_in_browser(server: LocalStripe, intent_id: str, card: str) -> None:
    client = browser(server)
    method = client.v1.payment_methods.create(params={
        "type": "card", "card": {"number": card, "exp_month": 12, "exp_year": 2031,
                                 "cvc": "123"}})
    client.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
    with contextlib.suppress(stripe.CardError):  # declined: the intent tells the outcome
        client.v1.payment_intents.confirm(intent_id)


def request(key: str, amount: int = 12345, **extra: object) -> PaymentRequest:
    return PaymentRequest(amount_minor=amount, currency="USD", account_number="1000-0001-7",
                          idempotency_key=key, bill_number="B-2026-000123", **extra)  # type: ignore[arg-type]


def test_a_card_payment_succeeds_and_its_webhook_names_the_account_and_bill(
        server: LocalStripe, gateway: StripeGateway, catcher: WebhookCatcher) -> None:
    created = gateway.create_payment(request("pay-1"))
    assert created.state is PaymentState.PENDING
    assert created.amount_minor == 12345 and created.currency == "USD"
    assert created.metadata == {"account_number": "1000-0001-7", "bill_number": "B-2026-000123"}
    assert created.client_secret and created.client_secret.startswith(created.payment_id)

    pay_in_browser(server, created.payment_id, VISA)

    assert gateway.fetch_payment(created.payment_id).state is PaymentState.SUCCEEDED
    body, headers = catcher.wait_for("payment_intent.succeeded")
    event = gateway.verify_event(body, headers)
    assert event.kind is EventKind.PAYMENT_SUCCEEDED
    assert event.payment_id == created.payment_id
    assert (event.amount_minor, event.currency) == (12345, "USD")
    assert event.metadata["account_number"] == "1000-0001-7"
    assert event.metadata["bill_number"] == "B-2026-000123"
    assert event.raw == body and event.event_id.startswith("evt_")


def test_three_d_secure_is_a_state_the_customer_completes(
        server: LocalStripe, gateway: StripeGateway) -> None:
    created = gateway.create_payment(request("pay-3ds", 5000))
    pay_in_browser(server, created.payment_id, VISA_3DS)
    waiting = gateway.fetch_payment(created.payment_id)
    assert waiting.state is PaymentState.REQUIRES_ACTION
    assert created.client_secret is not None
    server.authenticate(created.payment_id, created.client_secret, success=True)
    assert gateway.fetch_payment(created.payment_id).state is PaymentState.SUCCEEDED


def test_a_declined_card_is_a_failure_in_words(server: LocalStripe,
                                               gateway: StripeGateway) -> None:
    created = gateway.create_payment(request("pay-declined", 700))
    pay_in_browser(server, created.payment_id, DECLINED)
    failed = gateway.fetch_payment(created.payment_id)
    assert failed.state is PaymentState.FAILED
    assert failed.failure and "declined" in failed.failure.lower()


def test_a_refund_goes_through_and_its_webhook_reverses(
        server: LocalStripe, gateway: StripeGateway, catcher: WebhookCatcher) -> None:
    created = gateway.create_payment(request("pay-refund", 9900))
    pay_in_browser(server, created.payment_id, VISA)
    refund = gateway.refund(created.payment_id, 4000, idempotency_key="refund-1",
                            reason="customer moved out")
    assert refund.succeeded and refund.amount_minor == 4000 and refund.currency == "USD"
    assert refund.payment_id == created.payment_id and refund.refund_id.startswith("re_")
    # localstripe sends no charge.refunded: sign the event Stripe sends, around the real
    # charge as localstripe now holds it, with Stripe's own signing scheme
    client = browser(server)
    latest = client.v1.payment_intents.retrieve(created.payment_id).latest_charge
    charge = (client.v1.charges.retrieve(latest) if isinstance(latest, str) else latest
              ).to_dict()
    assert charge["object"] == "charge" and charge["payment_intent"] == created.payment_id
    charge.setdefault("amount_refunded", 4000)
    body = json.dumps({"id": "evt_refund_1", "object": "event", "type": "charge.refunded",
                       "created": int(time.time()), "data": {"object": charge}}).encode()
    event = gateway.verify_event(body, _signed(body, SECRET, int(time.time())))
    assert event.kind is EventKind.REFUNDED
    assert event.payment_id == created.payment_id
    assert event.amount_minor == charge["amount_refunded"]


def test_autopay_charges_a_saved_method_off_session(
        server: LocalStripe, gateway: StripeGateway) -> None:
    client = browser(server)
    customer = client.v1.customers.create(params={"email": "autopay@example.net"})
    method = client.v1.payment_methods.create(params={
        "type": "card", "card": {"number": VISA, "exp_month": 1, "exp_year": 2032,
                                 "cvc": "321"}})
    client.v1.payment_methods.attach(method.id, params={"customer": customer.id})
    charged = gateway.create_payment(request("autopay-2026-11", 2500, customer_ref=customer.id,
                                             payment_method=method.id, off_session=True))
    assert charged.state is PaymentState.SUCCEEDED


def _signed(body: bytes, secret: str, at: int) -> dict[str, str]:
    mac = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={at},v1={mac}"}


def _event(kind: str = "payment_intent.succeeded") -> bytes:
    return json.dumps({"id": "evt_test_1", "object": "event", "type": kind,
                       "created": 1_800_000_000,
                       "data": {"object": {"id": "pi_test_1", "object": "payment_intent",
                                           "amount": 100, "amount_received": 100,
                                           "currency": "usd",
                                           "metadata": {"account_number": "1"}}}}).encode()


def test_the_signature_is_checked_and_a_stale_one_refused(gateway: StripeGateway) -> None:
    body = _event()
    at = int(time.time())
    now = datetime.fromtimestamp(at, UTC)
    assert gateway.verify_event(body, _signed(body, SECRET, at), now=now).payment_id == "pi_test_1"
    with pytest.raises(WebhookRejected, match="does not verify"):
        gateway.verify_event(body + b" ", _signed(body, SECRET, at), now=now)
    with pytest.raises(WebhookRejected, match="does not verify"):
        gateway.verify_event(body, _signed(body, "whsec_other", at), now=now)
    with pytest.raises(WebhookRejected, match="older than 300 s"):
        gateway.verify_event(body, _signed(body, SECRET, at - 301), now=now)
    with pytest.raises(WebhookRejected, match="no Stripe-Signature"):
        gateway.verify_event(body, {}, now=now)
    with pytest.raises(WebhookRejected):  # the real clock: a signature from 2027 is stale
        gateway.verify_event(body, _signed(body, SECRET, 1_800_000_000))


def test_an_unknown_event_type_is_kept_as_other(gateway: StripeGateway) -> None:
    body = _event("customer.created")
    at = int(time.time())
    event = gateway.verify_event(body, _signed(body, SECRET, at))
    assert event.kind is EventKind.OTHER and event.type == "customer.created"


def test_an_unreachable_gateway_is_a_retryable_error() -> None:
    gateway = StripeGateway(API_KEY, SECRET, api_base=f"http://127.0.0.1:{free_port()}",
                            timeout_s=2)
    with pytest.raises(GatewayUnavailable, match="could not be reached"):
        gateway.create_payment(request("pay-offline"))


def test_no_api_key_says_which_variable_to_set() -> None:
    with pytest.raises(GatewayError, match="EBS_STRIPE_API_KEY"):
        StripeGateway("", SECRET)
