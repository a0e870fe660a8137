"""The M-Pesa STK-push adapter against a simulator that behaves like the provider."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest

from ebs_desktop.devices.payments import (
    EventKind,
    GatewayError,
    GatewayUnavailable,
    PaymentRequest,
    PaymentState,
    WebhookRejected,
)
from ebs_desktop.devices.payments.mpesa import MpesaGateway
from tests.support.localstripe_server import WebhookCatcher
from tests.support.mpesa_simulator import KEY, PASSKEY, SECRET, SHORTCODE, MpesaSimulator
from tests.support.smtp_server import free_port


@pytest.fixture
def simulator() -> Iterator[MpesaSimulator]:
    sim = MpesaSimulator(delay=0.1)
    yield sim
    sim.close()


@pytest.fixture
def catcher() -> Iterator[WebhookCatcher]:
    hook = WebhookCatcher()
    yield hook
    hook.close()


def gateway(sim: MpesaSimulator, catcher: WebhookCatcher, **overrides: object) -> MpesaGateway:
    options: dict[str, object] = dict(
        base_url=sim.base_url, consumer_key=KEY, consumer_secret=SECRET, shortcode=SHORTCODE,
        passkey=PASSKEY, callback_url=catcher.url.replace("stripe", "mpesa"),
        callback_secret=b"callback-secret-of-32-bytes-long")
    options.update(overrides)
    return MpesaGateway(**options)  # type: ignore[arg-type]


def pay(phone: str, key: str, amount: int = 150_000) -> PaymentRequest:
    return PaymentRequest(amount_minor=amount, currency="KES", account_number="1000-0001-7",
                          idempotency_key=key, bill_number="B-2026-000123", phone=phone)


def callbacks(catcher: WebhookCatcher, count: int, timeout: float = 10) -> list[bytes]:
    """The raw bodies of the first ``count`` callbacks the provider made."""
    deadline = time.monotonic() + timeout
    while len(catcher.received) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return [body for body, _headers in catcher.received]


def _query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def settle(g: MpesaGateway, checkout: str) -> PaymentState:
    deadline = time.monotonic() + 10
    while True:
        state = g.fetch_payment(checkout).state
        if state is not PaymentState.PROCESSING or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def test_a_push_that_the_customer_approves_calls_back_once_with_the_receipt(
        simulator: MpesaSimulator, catcher: WebhookCatcher) -> None:
    g = gateway(simulator, catcher)
    started = g.create_payment(pay("+254708374140", "mp-1"))
    assert started.state is PaymentState.PENDING and started.payment_id.startswith("ws_CO_")
    push = simulator.pushes[started.payment_id]
    assert push.amount == 1500 and push.phone == "254708374140"  # whole shillings, no +
    (body,) = callbacks(catcher, 1)
    event = g.verify_event(body, {}, query=_query_of(push.callback))
    assert event.kind is EventKind.PAYMENT_SUCCEEDED
    assert event.payment_id == started.payment_id
    assert (event.amount_minor, event.currency) == (150_000, "KES")
    assert event.metadata["reference"] == "mp-1" and event.metadata["receipt"]
    assert settle(g, started.payment_id) is PaymentState.SUCCEEDED


def test_a_callback_delivered_twice_is_the_same_event(
        simulator: MpesaSimulator, catcher: WebhookCatcher) -> None:
    g = gateway(simulator, catcher)
    started = g.create_payment(pay("+254708374143", "mp-twice"))
    push = simulator.pushes[started.payment_id]
    got = callbacks(catcher, 2)
    assert len(got) == 2
    first, second = (g.verify_event(b, {}, query=_query_of(push.callback)) for b in got)
    assert first.event_id == second.event_id  # stored once by this id


def test_a_cancelled_push_is_a_failure_in_words(
        simulator: MpesaSimulator, catcher: WebhookCatcher) -> None:
    g = gateway(simulator, catcher)
    started = g.create_payment(pay("+254708374141", "mp-cancel"))
    push = simulator.pushes[started.payment_id]
    (body,) = callbacks(catcher, 1)
    event = g.verify_event(body, {}, query=_query_of(push.callback))
    assert event.kind is EventKind.PAYMENT_FAILED and event.amount_minor is None
    assert g.fetch_payment(started.payment_id).failure == \
        "the customer cancelled the request on the phone"


def test_a_lost_callback_is_found_by_the_query(
        simulator: MpesaSimulator, catcher: WebhookCatcher) -> None:
    g = gateway(simulator, catcher)
    started = g.create_payment(pay("+254708374144", "mp-lost"))
    assert g.fetch_payment(started.payment_id).state is PaymentState.PROCESSING
    assert settle(g, started.payment_id) is PaymentState.SUCCEEDED
    assert catcher.received == []


def test_a_phone_that_never_answers_times_out(
        simulator: MpesaSimulator, catcher: WebhookCatcher) -> None:
    g = gateway(simulator, catcher)
    started = g.create_payment(pay("+254708374142", "mp-silent"))
    assert settle(g, started.payment_id) is PaymentState.FAILED
    assert g.fetch_payment(started.payment_id).failure == "the phone could not be reached"
    assert catcher.received == []


def test_a_forged_callback_is_refused(simulator: MpesaSimulator,
                                      catcher: WebhookCatcher) -> None:
    g = gateway(simulator, catcher)
    body = json.dumps({"Body": {"stkCallback": {"CheckoutRequestID": "ws_CO_1",
                                                "ResultCode": 0}}}).encode()
    with pytest.raises(WebhookRejected, match="does not verify"):
        g.verify_event(body, {}, query={"ref": "mp-1", "sig": "0" * 64})
    with pytest.raises(WebhookRejected, match="does not verify"):
        g.verify_event(body, {}, query={})
    good = _query_of(g.callback_for("mp-1"))
    with pytest.raises(WebhookRejected, match="without its Amount"):
        g.verify_event(body, {}, query=good)
    with pytest.raises(WebhookRejected, match="not an M-Pesa"):
        g.verify_event(b"{not json", {}, query=good)


def test_the_token_is_kept_and_renewed_when_it_expires(
        simulator: MpesaSimulator, catcher: WebhookCatcher) -> None:
    g = gateway(simulator, catcher)
    g.create_payment(pay("+254708374140", "mp-a"))
    g.create_payment(pay("+254708374140", "mp-b"))
    assert simulator.oauth_calls == 1
    simulator.tokens.clear()  # the provider forgot every token
    g.create_payment(pay("+254708374140", "mp-c"))
    assert simulator.oauth_calls == 2


def test_bad_input_is_refused_before_the_provider_is_asked(
        simulator: MpesaSimulator, catcher: WebhookCatcher) -> None:
    g = gateway(simulator, catcher)
    with pytest.raises(GatewayError, match="whole amounts"):
        g.create_payment(pay("+254708374140", "mp-cents", amount=150_050))
    with pytest.raises(GatewayError, match=r"not an E\.164 number"):
        g.create_payment(pay("0708 374 140", "mp-phone"))
    with pytest.raises(GatewayError, match="takes KES, not USD"):
        g.create_payment(PaymentRequest(100, "USD", "1", "k", phone="+254708374140"))
    assert simulator.pushes == {}
    with pytest.raises(GatewayError, match="Invalid Authentication"):
        gateway(simulator, catcher, consumer_secret="wrong").create_payment(
            pay("+254708374140", "mp-creds"))


def test_an_unreachable_provider_is_a_retryable_error(catcher: WebhookCatcher) -> None:
    g = MpesaGateway(base_url=f"http://127.0.0.1:{free_port()}", consumer_key=KEY,
                     consumer_secret=SECRET, shortcode=SHORTCODE, passkey=PASSKEY,
                     callback_url=catcher.url, callback_secret=b"x" * 32, timeout_s=2)
    with pytest.raises(GatewayUnavailable, match="could not be reached"):
        g.create_payment(pay("+254708374140", "mp-offline"))
