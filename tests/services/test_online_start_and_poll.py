"""A customer starts a card payment (localstripe), the webhook is lost, the poller posts it;
the webhook arriving later changes nothing. Both backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ebs_desktop.devices.payments import PaymentState
from ebs_desktop.devices.payments.stripe_gateway import StripeGateway
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Payment
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.online_payments import intake_event, start_payment, sync_payments
from tests.books_check import books_problems
from tests.devices.test_stripe_gateway import SECRET, VISA, pay_in_browser
from tests.services.test_online_intake import succeeded
from tests.support.counter_scratch import Scratch, seed_counter_scratch
from tests.support.localstripe_server import API_KEY, LocalStripe, local_stripe

WEBHOOKS = Actor.job("webhooks")


@pytest.fixture(scope="module")
def server() -> Iterator[LocalStripe]:
    with local_stripe() as running:
        yield running


@pytest.fixture
def scratch(db: Database) -> Scratch:
    return seed_counter_scratch(db, 2)


def customer_of(account: str) -> Actor:
    return Actor.customer(1, "pat@example.net", [account])


def test_a_lost_webhook_is_posted_by_the_poller_and_the_late_one_changes_nothing(
        db: Database, scratch: Scratch, server: LocalStripe) -> None:
    gateway = StripeGateway(API_KEY, SECRET, api_base=server.base)
    account = scratch.account_numbers[0]
    me = customer_of(account)
    started = start_payment(db, me, gateway, account, Money.of("45.50", "USD"), "click-1")
    assert started.state is PaymentState.PENDING and started.client_secret
    again = start_payment(db, me, gateway, account, Money.of("45.50", "USD"), "click-1")
    assert again.payment_ref == started.payment_ref  # a double click: one payment
    pay_in_browser(server, started.payment_ref, VISA)
    # no webhook arrives; the poller looks at payments quiet for 15 minutes
    assert sync_payments(db, WEBHOOKS, gateway) == []  # too recent to ask about
    later = datetime.now(UTC) + timedelta(minutes=16)
    (polled,) = sync_payments(db, WEBHOOKS, gateway, now=later)
    assert polled.outcome == "posted"
    assert sync_payments(db, WEBHOOKS, gateway, now=later) == []  # final: not asked again
    late = gateway.fetch_payment(started.payment_ref)
    assert late.state is PaymentState.SUCCEEDED
    result = intake_event(db, WEBHOOKS, succeeded("evt_late", started.payment_ref, account))
    assert result.outcome == "ignored" and result.receipt_number == polled.receipt_number
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 1
    assert books_problems(db) == []


def test_a_customer_pays_only_their_own_accounts_within_limits(
        db: Database, scratch: Scratch, server: LocalStripe) -> None:
    gateway = StripeGateway(API_KEY, SECRET, api_base=server.base)
    mine, theirs = scratch.account_numbers
    me = customer_of(mine)
    with pytest.raises(NotFound, match="no account"):
        start_payment(db, me, gateway, theirs, Money.of("10", "USD"), "k-theirs")
    with pytest.raises(ValidationError, match="above 0 and at most"):
        start_payment(db, me, gateway, mine, Money.of("100000", "USD"), "k-big")
    with pytest.raises(ValidationError, match="takes USD, not EUR"):
        start_payment(db, me, gateway, mine, Money.of("10", "EUR"), "k-eur")
    with pytest.raises(NotFound, match="no bill"):
        start_payment(db, me, gateway, mine, Money.of("10", "USD"), "k-bill",
                      bill_number="B-NOT-MINE")
