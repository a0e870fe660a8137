"""Autopay against localstripe: a saved card charged off-session once per bill, a re-run
charges nothing more, a refused card tells the customer and is not tried again."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest
import stripe
from sqlalchemy import func, select

from ebs_desktop.devices.payments.stripe_gateway import StripeGateway
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, GatewayPayment, OutboxMessage, Payment
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.online_payments import (
    AutopayRun,
    cancel_autopay,
    run_autopay,
    save_autopay,
)
from tests.books_check import books_problems
from tests.devices.test_stripe_gateway import DECLINED, SECRET, VISA
from tests.support.counter_scratch import Scratch, seed_counter_scratch
from tests.support.localstripe_server import API_KEY, LocalStripe, local_stripe

SCHEDULER = Actor.job("scheduler")
LATER = date(2100, 1, 1)  # every scratch bill is due by then


@pytest.fixture(scope="module")
def server() -> Iterator[LocalStripe]:
    with local_stripe() as running:
        yield running


@pytest.fixture
def scratch(db: Database) -> Scratch:
    return seed_counter_scratch(db, 2)  # each account owes 2 bills of 45.50


def saved_card(server: LocalStripe, number: str) -> tuple[str, str]:
    """What the portal's card form and a Stripe SetupIntent leave us: two ids."""
    client = stripe.StripeClient(API_KEY, base_addresses={"api": server.base})
    customer = client.v1.customers.create(params={"email": "autopay@example.net"})
    method = client.v1.payment_methods.create(params={
        "type": "card", "card": {"number": number, "exp_month": 1, "exp_year": 2032,
                                 "cvc": "321"}})
    client.v1.payment_methods.attach(method.id, params={"customer": customer.id})
    return customer.id, method.id


def count(db: Database, model: type, *where: object) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_autopay_charges_each_due_bill_once_and_a_rerun_charges_nothing(
        db: Database, scratch: Scratch, server: LocalStripe) -> None:
    gateway = StripeGateway(API_KEY, SECRET, api_base=server.base)
    account = scratch.account_numbers[0]
    me = Actor.customer(1, "pat@example.net", [account])
    customer_ref, method_ref = saved_card(server, VISA)
    save_autopay(db, me, account, "stripe", customer_ref, method_ref, "Visa ending 4242")
    first = run_autopay(db, SCHEDULER, {"stripe": gateway}, as_of=LATER)
    assert (first.charged, first.already, first.failed, first.waiting) == (2, 0, 0, 0)
    with db.read() as s:
        assert s.scalar(select(Account.balance_minor)
                        .where(Account.account_number == account)) == 0
    second = run_autopay(db, SCHEDULER, {"stripe": gateway}, as_of=LATER)
    assert (second.charged, second.already) == (0, 0)  # nothing is due any more
    assert count(db, Payment, Payment.channel == "online") == 2
    assert count(db, GatewayPayment) == 2
    assert books_problems(db) == []


def test_a_run_on_two_machines_charges_once(db: Database, scratch: Scratch,
                                            server: LocalStripe) -> None:
    gateway = StripeGateway(API_KEY, SECRET, api_base=server.base)
    account = scratch.account_numbers[0]
    me = Actor.customer(1, "pat@example.net", [account])
    save_autopay(db, me, account, "stripe", *saved_card(server, VISA), "Visa ending 4242")
    runs: list[AutopayRun] = []
    threads = [threading.Thread(target=lambda: runs.append(
        run_autopay(db, SCHEDULER, {"stripe": gateway}, as_of=LATER))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(runs) == 2  # neither run failed
    assert sum(r.charged for r in runs) == 2
    assert count(db, Payment, Payment.channel == "online") == 2
    assert count(db, GatewayPayment) == 2  # one record per bill: one of the runs asked
    assert books_problems(db) == []


def test_a_refused_card_tells_the_customer_and_is_not_tried_again(
        db: Database, scratch: Scratch, server: LocalStripe) -> None:
    gateway = StripeGateway(API_KEY, SECRET, api_base=server.base)
    account = scratch.account_numbers[1]
    me = Actor.customer(1, "pat@example.net", [account])
    save_autopay(db, me, account, "stripe", *saved_card(server, DECLINED), "Visa ending 0341")
    first = run_autopay(db, SCHEDULER, {"stripe": gateway}, as_of=LATER)
    assert (first.charged, first.failed) == (0, 2)
    assert count(db, GatewayPayment, GatewayPayment.state == "failed") == 2
    told = count(db, OutboxMessage, OutboxMessage.kind == "account_problem")
    second = run_autopay(db, SCHEDULER, {"stripe": gateway}, as_of=LATER)
    assert (second.charged, second.failed, second.already) == (0, 0, 2)
    assert count(db, OutboxMessage, OutboxMessage.kind == "account_problem") == told
    assert count(db, Payment, Payment.channel == "online") == 0


def test_autopay_off_charges_nothing(db: Database, scratch: Scratch,
                                     server: LocalStripe) -> None:
    gateway = StripeGateway(API_KEY, SECRET, api_base=server.base)
    account = scratch.account_numbers[0]
    me = Actor.customer(1, "pat@example.net", [account])
    save_autopay(db, me, account, "stripe", *saved_card(server, VISA), "Visa ending 4242")
    assert cancel_autopay(db, me, account) is True
    assert cancel_autopay(db, me, account) is False
    assert run_autopay(db, SCHEDULER, {"stripe": gateway}, as_of=LATER).charged == 0
