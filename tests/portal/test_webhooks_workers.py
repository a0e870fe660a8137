"""Issue 22's done-means on real servers: a real Stripe event (localstripe's own
``payment_intent.succeeded``, signed by it) delivered 5x concurrently to a portal of 2
uvicorn workers on PostgreSQL posts once; a worker killed mid-posting loses nothing and the
redelivered event posts once."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text

from ebs_desktop.devices.payments import PaymentRequest
from ebs_desktop.devices.payments.stripe_gateway import StripeGateway
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Payment
from ebs_desktop.persistence.models import GatewayEvent as EventRow
from tests.devices.test_stripe_gateway import SECRET, VISA, pay_in_browser
from tests.support.counter_scratch import Scratch, seed_counter_scratch
from tests.support.localstripe_server import API_KEY, LocalStripe, WebhookCatcher, local_stripe
from tests.support.portal_server import PortalServer

pytestmark = pytest.mark.pg


@pytest.fixture
def pg(pg_db: Database) -> Database:
    """Issue 22 asks this of 2 portal workers on PostgreSQL."""
    return pg_db


@pytest.fixture
def scratch(pg: Database) -> Scratch:
    return seed_counter_scratch(pg, 2)


@pytest.fixture(scope="module")
def stripe_server() -> Iterator[LocalStripe]:
    with local_stripe() as running:
        yield running


@pytest.fixture
def gateway_env(stripe_server: LocalStripe, monkeypatch: pytest.MonkeyPatch) -> None:
    """The portal servers' gateway configuration (read from the environment)."""
    monkeypatch.setenv("EBS_STRIPE_API_KEY", API_KEY)
    monkeypatch.setenv("EBS_STRIPE_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("EBS_STRIPE_API_BASE", stripe_server.base)


def real_event(server: LocalStripe, account: str, key: str) -> tuple[bytes, dict[str, str]]:
    """localstripe's own signed ``payment_intent.succeeded`` for a card payment of 45.50."""
    catcher = WebhookCatcher()
    try:
        server.register_webhook(catcher.url, SECRET)
        gateway = StripeGateway(API_KEY, SECRET, api_base=server.base)
        made = gateway.create_payment(PaymentRequest(
            amount_minor=4550, currency="USD", account_number=account, idempotency_key=key))
        pay_in_browser(server, made.payment_id, VISA)
        body, headers = catcher.wait_for("payment_intent.succeeded")
    finally:
        catcher.close()
    event = json.loads(body)
    assert event["data"]["object"]["id"] == made.payment_id
    return body, {"Content-Type": "application/json",
                  "Stripe-Signature": headers.get("Stripe-Signature")
                  or headers["stripe-signature"]}


def deliver(base_url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    req = urllib.request.Request(base_url + "/webhooks/stripe", data=body, headers=headers,
                                 method="POST")
    try:
        with urllib.request.urlopen(req, timeout=20) as answer:
            return answer.status, json.loads(answer.read())["outcome"]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def outcome_of(db: Database, event_id: str) -> str | None:
    with db.read() as s:
        found = s.scalar(select(EventRow.outcome).where(EventRow.event_id == event_id))
        return None if found is None else str(found)


def wait_for_outcome(db: Database, event_id: str, timeout: float = 20.0) -> str | None:
    deadline = time.monotonic() + timeout
    while (seen := outcome_of(db, event_id)) in (None, "received") \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    return seen


def lock_waiters(db: Database) -> int:
    """Backends waiting on a row lock of accounts (a fresh statistics snapshot each time)."""
    with db.engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query ILIKE '%FROM accounts%FOR UPDATE%'")).scalar_one())


def online_payments(db: Database, account: str) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Payment)
                            .join(Account, Account.id == Payment.account_id)
                            .where(Payment.channel == "online",
                                   Account.account_number == account)) or 0)


def test_five_concurrent_deliveries_to_two_workers_post_once(
        pg: Database, scratch: Scratch, stripe_server: LocalStripe, gateway_env: None) -> None:
    account = scratch.account_numbers[0]
    body, headers = real_event(stripe_server, account, "five-deliveries")
    event_id = json.loads(body)["id"]
    with PortalServer(pg.url_text, workers=2) as portal:
        answers: list[tuple[int, str]] = []
        start = threading.Barrier(5)

        def one() -> None:
            start.wait()
            answers.append(deliver(portal.base_url, body, headers))

        threads = [threading.Thread(target=one) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(answers) == [(200, "duplicate")] * 4 + [(200, "received")]
        assert wait_for_outcome(pg, event_id) == "posted"
    assert online_payments(pg, account) == 1


def test_a_worker_killed_mid_posting_loses_nothing_and_the_redelivery_posts_once(
        pg: Database, scratch: Scratch, stripe_server: LocalStripe, gateway_env: None) -> None:
    account = scratch.account_numbers[1]
    body, headers = real_event(stripe_server, account, "killed-mid-posting")
    event_id = json.loads(body)["id"]
    blocker = pg.engine.connect()
    blocker.begin()  # hold the account's row lock: the drainer stops inside the posting
    blocker.execute(text("SELECT id FROM accounts WHERE account_number = :n FOR UPDATE"),
                    {"n": account})
    portal = PortalServer(pg.url_text, workers=2).start()
    try:
        assert deliver(portal.base_url, body, headers) == (200, "received")
        deadline = time.monotonic() + 20
        while not lock_waiters(pg):  # a drainer waits on our lock, mid-transaction
            assert time.monotonic() < deadline, "no drainer reached the posting"
            time.sleep(0.05)
        assert portal.process is not None
        os.killpg(portal.process.pid, signal.SIGKILL)  # the workers die mid-posting
        portal.process.wait(timeout=15)
    finally:
        portal.stop()
        blocker.rollback()
        blocker.close()
    assert outcome_of(pg, event_id) == "received"  # its posting rolled back with the worker
    assert online_payments(pg, account) == 0
    with PortalServer(pg.url_text, workers=2) as again:
        assert deliver(again.base_url, body, headers) == (200, "duplicate")  # the gateway retries
        assert wait_for_outcome(pg, event_id) == "posted"
        assert deliver(again.base_url, body, headers) == (200, "duplicate")
    assert online_payments(pg, account) == 1
