"""Gateway events posted exactly once through the ledger, both backends.

The events are real ones: Stripe events as localstripe sends them are covered in
tests/devices; here each event is built as the adapters build them (GatewayEvent), then
delivered late, twice, concurrently, out of order and wrong.
"""

from __future__ import annotations

import json
import random
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from ebs_desktop.devices.payments import EventKind, GatewayEvent
from ebs_desktop.domain.cash import CashTender
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    Bill,
    LedgerEntry,
    Payment,
    Receipt,
)
from ebs_desktop.persistence.models import (
    GatewayEvent as EventRow,
)
from ebs_desktop.persistence.stores import counter as counter_store
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import open_shift, post_payment
from ebs_desktop.services.online_payments import intake_event
from tests.books_check import books_problems
from tests.support.counter_scratch import CLERK, Scratch, seed_counter_scratch

WEBHOOKS = Actor.job("webhooks")


@pytest.fixture
def scratch(db: Database) -> Scratch:
    return seed_counter_scratch(db, 3)  # each account owes 2 bills of 45.50


def succeeded(event_id: str, payment: str, account: str, minor: int = 4550, *,
              currency: str = "USD", bill: str | None = None,
              kind: EventKind = EventKind.PAYMENT_SUCCEEDED) -> GatewayEvent:
    metadata = {"account_number": account} | ({"bill_number": bill} if bill else {})
    raw = json.dumps({"id": event_id, "payment": payment}).encode()
    return GatewayEvent("stripe", event_id, kind, "payment_intent.succeeded", payment, minor,
                        currency, metadata, datetime.now(UTC), raw)


def balance(db: Database, number: str) -> int:
    with db.read() as s:
        return int(s.scalar(select(Account.balance_minor)
                            .where(Account.account_number == number)) or 0)


def online_payments(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Payment)
                            .where(Payment.channel == "online")) or 0)


def test_a_success_posts_once_to_the_gateway_account_with_an_online_receipt(
        db: Database, scratch: Scratch) -> None:
    account = scratch.account_numbers[0]
    before = balance(db, account)
    first = intake_event(db, WEBHOOKS, succeeded("evt_1", "pi_1", account))
    assert first.outcome == "posted" and first.reason is None
    assert first.receipt_number == f"ONLINE-{datetime.now(UTC).year}-000001"
    assert balance(db, account) == before - 4550
    again = intake_event(db, WEBHOOKS, succeeded("evt_1", "pi_1", account))
    assert again.outcome == "duplicate"
    other_event = intake_event(db, WEBHOOKS, succeeded("evt_2", "pi_1", account))
    assert other_event.outcome == "ignored"
    assert other_event.reason == f"already posted as receipt {first.receipt_number}"
    assert online_payments(db) == 1 and balance(db, account) == before - 4550
    with db.read() as s:
        gl = s.execute(select(LedgerEntry.gl_code, LedgerEntry.amount_minor)
                       .where(LedgerEntry.payment_id == first.payment_id)
                       .order_by(LedgerEntry.gl_code)).all()
        stored = s.execute(select(EventRow.event_id, EventRow.outcome)
                           .order_by(EventRow.id)).all()
    assert [tuple(r) for r in gl] == [("AR", -4550), ("GATEWAY", 4550)]
    assert [tuple(r) for r in stored] == [("evt_1", "posted"), ("evt_2", "ignored")]
    assert books_problems(db) == []


def test_five_concurrent_deliveries_post_once(db: Database, scratch: Scratch) -> None:
    account = scratch.account_numbers[1]
    before = balance(db, account)
    events = [succeeded("evt_c", "pi_c", account)] * 3 + [
        succeeded("evt_c2", "pi_c", account), succeeded("poll:pi_c:succeeded", "pi_c", account)]
    outcomes: list[str] = []
    start = threading.Barrier(len(events))

    def deliver(event: GatewayEvent) -> None:
        start.wait()
        outcomes.append(intake_event(db, WEBHOOKS, event).outcome)

    threads = [threading.Thread(target=deliver, args=(e,)) for e in events]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes).count("posted") == 1
    assert online_payments(db) == 1 and balance(db, account) == before - 4550
    assert books_problems(db) == []


def test_a_success_after_a_counter_payment_leaves_credit_and_says_so(
        db: Database, scratch: Scratch) -> None:
    account = scratch.account_numbers[2]
    clerk = login(db, *CLERK)
    open_shift(db, clerk, "C01", Money.of("100", "USD"))
    post_payment(db, clerk, "C01", account, [CashTender(Money.of("91.00", "USD"))], "k-all")
    assert balance(db, account) == 0
    result = intake_event(db, WEBHOOKS, succeeded("evt_late", "pi_late", account))
    assert result.outcome == "posted"
    assert result.reason == "45.50 above what was owed stays on the account as credit"
    assert balance(db, account) == -4550
    assert books_problems(db) == []


@pytest.mark.parametrize(("event", "reason"), [
    (lambda a: succeeded("e1", "p1", a, currency="EUR"), "the amount is in EUR; the utility "
                                                         "takes USD"),
    (lambda a: succeeded("e2", "p2", "9999-9999-9"), "no account '9999-9999-9'"),
    (lambda a: succeeded("e3", "p3", ""), "no account_number in the payment's metadata"),
    (lambda a: succeeded("e4", "p4", a, bill="B-NONE"), "no bill 'B-NONE'"),
    (lambda a: succeeded("e5", "p5", a, minor=0), "the event carries no amount"),
])
def test_what_cannot_be_posted_right_is_parked_with_the_reason(
        db: Database, scratch: Scratch, event: object, reason: str) -> None:
    made = event(scratch.account_numbers[0])  # type: ignore[operator]
    result = intake_event(db, WEBHOOKS, made)
    assert (result.outcome, result.reason) == ("parked", reason)
    assert online_payments(db) == 0
    with db.read() as s:
        assert s.scalar(select(EventRow.reason)) == reason  # kept for staff, raw body too


def test_a_bill_of_another_account_is_parked(db: Database, scratch: Scratch) -> None:
    first, second = scratch.account_numbers[:2]
    with db.read() as s:
        bill = s.scalar(select(Bill.bill_number).join(Account, Account.id == Bill.account_id)
                        .where(Account.account_number == second).limit(1))
    result = intake_event(db, WEBHOOKS, succeeded("e6", "p6", first, bill=bill))
    assert result.outcome == "parked"
    assert result.reason == f"bill {bill} belongs to another account, not {first}"


def refund(event_id: str, payment: str, account: str, minor: int = 4550, *,
           dispute: bool = False) -> GatewayEvent:
    kind = EventKind.DISPUTED if dispute else EventKind.REFUNDED
    made = succeeded(event_id, payment, account, minor, kind=kind)
    return GatewayEvent(made.gateway, made.event_id, kind,
                        "charge.dispute.created" if dispute else "charge.refunded",
                        made.payment_id, minor, "USD", made.metadata, made.created, made.raw)


def open_bills_of(db: Database, number: str) -> int:
    with db.read() as s:
        account_id = s.scalar(select(Account.id).where(Account.account_number == number))
        return len(counter_store.open_bills(s, int(account_id or 0)))


def test_a_refund_reverses_the_payment_and_reopens_the_bill(
        db: Database, scratch: Scratch) -> None:
    account = scratch.account_numbers[0]
    before, bills_before = balance(db, account), open_bills_of(db, account)
    paid = intake_event(db, WEBHOOKS, succeeded("evt_p", "pi_r", account))
    assert open_bills_of(db, account) == bills_before - 1
    back = intake_event(db, WEBHOOKS, refund("evt_r", "pi_r", account))
    year = datetime.now(UTC).year
    assert back.outcome == "posted"
    assert back.reason == (f"payment {paid.receipt_number} reversed as ONLINE-{year}-000002: "
                           "refunded through stripe")
    assert balance(db, account) == before and open_bills_of(db, account) == bills_before
    again = intake_event(db, WEBHOOKS, refund("evt_r2", "pi_r", account))
    assert (again.outcome, again.reason) == (
        "ignored", f"payment {paid.receipt_number} is already reversed")
    assert books_problems(db) == []


def test_a_refund_before_its_payment_waits_then_applies(db: Database, scratch: Scratch) -> None:
    account = scratch.account_numbers[1]
    before = balance(db, account)
    early = intake_event(db, WEBHOOKS, refund("evt_r", "pi_early", account))
    assert early.outcome == "parked" and early.reason is not None
    assert early.reason.endswith("arrived before its payment: applied when the payment posts")
    assert intake_event(db, WEBHOOKS, succeeded("evt_s", "pi_early", account)).outcome == "posted"
    assert balance(db, account) == before  # posted, then reversed by the waiting refund
    with db.read() as s:
        outcomes = s.execute(select(EventRow.event_id, EventRow.outcome)
                             .order_by(EventRow.id)).all()
    assert [tuple(r) for r in outcomes] == [("evt_r", "posted"), ("evt_s", "posted")]
    assert books_problems(db) == []


def test_a_dispute_reverses_and_a_partial_refund_is_parked(
        db: Database, scratch: Scratch) -> None:
    first, second = scratch.account_numbers[:2]
    intake_event(db, WEBHOOKS, succeeded("evt_a", "pi_a", first))
    disputed = intake_event(db, WEBHOOKS, refund("evt_d", "pi_a", first, dispute=True))
    assert disputed.outcome == "posted"
    assert disputed.reason is not None and disputed.reason.endswith(
        "disputed with the card issuer (stripe)")
    paid = intake_event(db, WEBHOOKS, succeeded("evt_b", "pi_b", second))
    partial = intake_event(db, WEBHOOKS, refund("evt_pr", "pi_b", second, 1000))
    assert (partial.outcome, partial.reason) == (
        "parked", f"a partial refund of 10.00 of payment {paid.receipt_number} (45.50): "
                  "staff adjust the account")
    assert books_problems(db) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_order_of_payments_refunds_and_redeliveries_ends_the_same(
        db: Database, scratch: Scratch, seed: int) -> None:
    accounts = scratch.account_numbers
    before = {a: balance(db, a) for a in accounts}
    events = []
    kept = dict.fromkeys(accounts, 0)
    for n in range(9):
        account = accounts[n % 3]
        events += [succeeded(f"evt_{n}", f"pi_{n}", account, 1000 + n)] * 2
        if n % 3 == 0:
            events += [refund(f"evt_{n}_refund", f"pi_{n}", account, 1000 + n)] * 2
        else:
            kept[account] += 1000 + n
    random.Random(seed).shuffle(events)
    for event in events:
        intake_event(db, WEBHOOKS, event)
    assert {a: balance(db, a) for a in accounts} == {a: before[a] - kept[a] for a in accounts}
    assert books_problems(db) == []


def test_shuffled_deliveries_end_with_the_same_ledger(db: Database, scratch: Scratch) -> None:
    accounts = scratch.account_numbers
    events = []
    for n in range(12):
        account = accounts[n % 3]
        events += [succeeded(f"evt_{n}", f"pi_{n}", account, 1000 + n),
                   succeeded(f"evt_{n}_again", f"pi_{n}", account, 1000 + n),
                   succeeded(f"evt_{n}", f"pi_{n}", account, 1000 + n)]
    random.Random(7).shuffle(events)
    before = {a: balance(db, a) for a in accounts}
    for event in events:
        intake_event(db, WEBHOOKS, event)
    expected = {a: before[a] - sum(1000 + n for n in range(12) if accounts[n % 3] == a)
                for a in accounts}
    assert {a: balance(db, a) for a in accounts} == expected
    assert online_payments(db) == 12
    with db.read() as s:
        numbers = sorted(s.scalars(select(Receipt.number).where(Receipt.number.like("ONLINE-%"))))
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == list(range(1, 13))  # gapless
    assert books_problems(db) == []


def test_only_the_webhooks_job_may_post_events(db: Database, scratch: Scratch) -> None:
    with pytest.raises(PermissionDenied):
        intake_event(db, Actor.job("notifier"),
                     succeeded("evt_x", "pi_x", scratch.account_numbers[0]))
    assert online_payments(db) == 0
