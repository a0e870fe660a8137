"""POST /webhooks/stripe and /webhooks/mpesa through the portal app (httpx TestClient)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from ebs_desktop.devices.payments.mpesa import MpesaGateway
from ebs_desktop.devices.payments.stripe_gateway import StripeGateway
from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account
from ebs_desktop.persistence.models import GatewayEvent as EventRow
from ebs_desktop.portal.app import anonymous, create_app
from ebs_desktop.portal.web import PortalConfig
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.online_payments import start_payment
from tests.devices.test_stripe_gateway import SECRET, _signed
from tests.support.counter_scratch import Scratch, seed_counter_scratch
from tests.support.localstripe_server import API_KEY, WebhookCatcher
from tests.support.mpesa_simulator import KEY, PASSKEY, SHORTCODE, MpesaSimulator
from tests.support.mpesa_simulator import SECRET as MPESA_SECRET

CALLBACK_SECRET = b"callback-secret-of-32-bytes-long"


@pytest.fixture
def scratch(db: Database) -> Scratch:
    return seed_counter_scratch(db, 2)


@pytest.fixture
def simulator() -> Iterator[MpesaSimulator]:
    sim = MpesaSimulator(delay=0.05)
    yield sim
    sim.close()


@pytest.fixture
def catcher() -> Iterator[WebhookCatcher]:
    hook = WebhookCatcher()
    yield hook
    hook.close()


@pytest.fixture
def mpesa(simulator: MpesaSimulator, catcher: WebhookCatcher) -> MpesaGateway:
    return MpesaGateway(base_url=simulator.base_url, consumer_key=KEY,
                        consumer_secret=MPESA_SECRET, shortcode=SHORTCODE, passkey=PASSKEY,
                        callback_url=catcher.url.replace("/stripe", "/mpesa"),
                        callback_secret=CALLBACK_SECRET, currency="USD")


@pytest.fixture
def client(db: Database, mpesa: MpesaGateway) -> Iterator[TestClient]:
    app = create_app(db, PortalConfig(secret_key=b"k" * 32, secure_cookies=False),
                     resolver=anonymous)
    app.state.gateways = {"stripe": StripeGateway(API_KEY, SECRET,
                                                  api_base="http://127.0.0.1:9"),
                          "mpesa": mpesa}
    with TestClient(app) as test_client:
        yield test_client


def stripe_event(event_id: str, account: str, *, kind: str = "payment_intent.succeeded",
                 currency: str = "usd") -> bytes:
    return json.dumps({"id": event_id, "object": "event", "type": kind,
                       "created": int(time.time()),
                       "data": {"object": {"id": "pi_web_1", "object": "payment_intent",
                                           "amount": 4550, "amount_received": 4550,
                                           "currency": currency,
                                           "metadata": {"account_number": account}}}}
                      ).encode()


def post(client: TestClient, body: bytes, *, secret: str = SECRET, at: int | None = None,
         path: str = "/webhooks/stripe") -> tuple[int, str]:
    headers = _signed(body, secret, at or int(time.time()))
    answer = client.post(path, content=body, headers=headers)
    return answer.status_code, answer.text


def events(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(EventRow)) or 0)


def drained(db: Database, event_id: str, timeout: float = 15.0) -> tuple[str, str | None]:
    """The event's outcome once the portal's own drainer has posted it (no other drainer
    runs in these tests)."""
    deadline = time.monotonic() + timeout
    while True:
        with db.read() as s:
            row = s.execute(select(EventRow.outcome, EventRow.reason)
                            .where(EventRow.event_id == event_id)).one()
        if row[0] != "received" or time.monotonic() > deadline:
            return str(row[0]), row[1]
        time.sleep(0.05)


def balance(db: Database, number: str) -> int:
    with db.read() as s:
        return int(s.scalar(select(Account.balance_minor)
                            .where(Account.account_number == number)) or 0)


def test_a_signed_success_posts_once_and_a_redelivery_answers_200(
        db: Database, scratch: Scratch, client: TestClient) -> None:
    account = scratch.account_numbers[0]
    before = balance(db, account)
    body = stripe_event("evt_w1", account)
    status, text = post(client, body)
    assert status == 200 and json.loads(text)["outcome"] == "received"
    status, text = post(client, body)
    assert status == 200 and json.loads(text)["outcome"] == "duplicate"
    assert drained(db, "evt_w1") == ("posted", None)
    status, text = post(client, body)  # after posting too: stored once, posted once
    assert status == 200 and json.loads(text)["outcome"] == "duplicate"
    assert balance(db, account) == before - 4550


def test_what_does_not_prove_itself_is_refused_with_400_and_nothing_stored(
        db: Database, scratch: Scratch, client: TestClient) -> None:
    body = stripe_event("evt_w2", scratch.account_numbers[0])
    assert post(client, body, secret="whsec_wrong")[0] == 400
    assert post(client, body, at=int(time.time()) - 301) == (
        400, "the signature is older than 300 s, or from the future")
    assert post(client, b"{not json")[0] == 400
    assert client.post("/webhooks/stripe", content=body).status_code == 400  # unsigned
    assert events(db) == 0
    assert post(client, body, path="/webhooks/paypal") == (
        404, "paypal payments are not configured here")


def test_unknown_types_and_other_currencies_are_stored_not_posted(
        db: Database, scratch: Scratch, client: TestClient) -> None:
    account = scratch.account_numbers[0]
    status, text = post(client, stripe_event("evt_w3", account, kind="customer.created"))
    assert status == 200 and json.loads(text)["outcome"] == "received"
    status, text = post(client, stripe_event("evt_w4", account, currency="eur"))
    assert status == 200 and json.loads(text) == {"outcome": "received", "reason": None}
    assert drained(db, "evt_w3")[0] == "ignored"
    assert drained(db, "evt_w4") == ("parked", "the amount is in EUR; the utility takes USD")
    assert events(db) == 2


def test_an_mpesa_callback_posts_the_payment_the_customer_started(
        db: Database, scratch: Scratch, client: TestClient, mpesa: MpesaGateway,
        simulator: MpesaSimulator, catcher: WebhookCatcher) -> None:
    account = scratch.account_numbers[1]
    before = balance(db, account)
    me = Actor.customer(1, "pat@example.net", [account])
    started = start_payment(db, me, mpesa, account, Money.of("45", "USD"), "mp-click",
                            phone="+254708374143")  # this phone's callback comes twice
    deadline = time.monotonic() + 10
    while len(catcher.received) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    url = simulator.pushes[started.payment_ref].callback
    path = url[url.index("/webhooks/"):]
    outcomes = []
    for body, _headers in catcher.received:  # the provider's two callbacks, replayed to us
        answer = client.post(path, content=body, headers={"Content-Type": "application/json"})
        assert answer.status_code == 200
        outcomes.append(answer.json()["outcome"])
    assert outcomes == ["received", "duplicate"]
    with db.read() as s:
        event_id = s.scalar(select(EventRow.event_id))
    assert drained(db, str(event_id)) == ("posted", None)
    assert balance(db, account) == before - 4500
    forged = client.post(path.split("?")[0] + "?ref=mp-click&sig=" + "0" * 64,
                         content=catcher.received[0][0])
    assert forged.status_code == 400
