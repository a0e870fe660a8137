"""The webhook's fast path: events stored as ``received`` (one INSERT each), then posted by
the drainer in batches, both backends. The guarantees of test_online_intake hold on this
path too: once per event id, once per payment, parked with a reason, any order."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ebs_desktop.devices.payments import EventKind, GatewayEvent
from ebs_desktop.errors import PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import GatewayEvent as EventRow
from ebs_desktop.persistence.models import Payment
from ebs_desktop.persistence.stores import online as store
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.online_payments import (
    drain_events,
    intake_event,
    receive_event,
)
from tests.books_check import books_problems
from tests.services.test_online_intake import balance, online_payments, refund, succeeded
from tests.support.counter_scratch import Scratch, seed_counter_scratch

WEBHOOKS = Actor.job("webhooks")
EBS = Path(sys.executable).parent / "ebs"


@pytest.fixture
def scratch(db: Database) -> Scratch:
    return seed_counter_scratch(db, 3)  # each account owes 2 bills of 45.50


def outcomes(db: Database) -> dict[str, tuple[str, str | None]]:
    with db.read() as s:
        return {r[0]: (r[1], r[2]) for r in s.execute(
            select(EventRow.event_id, EventRow.outcome, EventRow.reason))}


def test_received_events_post_once_when_drained(db: Database, scratch: Scratch) -> None:
    account = scratch.account_numbers[0]
    before = balance(db, account)
    assert receive_event(db, WEBHOOKS, succeeded("evt_1", "pi_1", account)).outcome == "received"
    again = receive_event(db, WEBHOOKS, succeeded("evt_1", "pi_1", account))
    assert (again.outcome, again.reason) == ("duplicate", "this event was received before")
    assert receive_event(db, WEBHOOKS, succeeded("evt_2", "pi_1", account)).outcome == "received"
    assert balance(db, account) == before and online_payments(db) == 0  # nothing posted yet
    done = drain_events(db, WEBHOOKS)
    assert done.events == 2 and done.outcomes == {"posted": 1, "ignored": 1}
    assert outcomes(db)["evt_1"] == ("posted", None)
    assert outcomes(db)["evt_2"][0] == "ignored"  # the same payment under another event id
    assert balance(db, account) == before - 4550 and online_payments(db) == 1
    assert drain_events(db, WEBHOOKS).events == 0  # a second run changes nothing
    assert receive_event(db, WEBHOOKS, succeeded("evt_1", "pi_1", account)).outcome == "duplicate"
    assert books_problems(db) == []


def test_drained_and_direct_intake_meet_on_one_posting(db: Database, scratch: Scratch) -> None:
    account = scratch.account_numbers[1]
    receive_event(db, WEBHOOKS, succeeded("evt_hook", "pi_both", account))
    polled = intake_event(db, WEBHOOKS, succeeded("poll:pi_both", "pi_both", account))
    assert polled.outcome == "posted"  # the poller came first
    drain_events(db, WEBHOOKS)
    assert outcomes(db)["evt_hook"][0] == "ignored"
    assert online_payments(db) == 1


def test_a_bad_event_is_parked_with_its_reason_and_never_blocks_the_batch(
        db: Database, scratch: Scratch) -> None:
    first, second = scratch.account_numbers[:2]
    receive_event(db, WEBHOOKS, succeeded("evt_a", "pi_a", first))
    with db.write() as s:  # a row no adapter would make: its kind is not ours
        assert store.receive_event(s, gateway="stripe", event_id="evt_bad", type_="x",
                                   kind="nonsense", amount_minor=1, payment_ref="pi_x",
                                   body="{}", detail="{}")
    receive_event(db, WEBHOOKS, succeeded("evt_eur", "pi_eur", first, currency="EUR"))
    receive_event(db, WEBHOOKS, succeeded("evt_b", "pi_b", second))
    done = drain_events(db, WEBHOOKS, batch=10)
    assert done.events == 4 and done.outcomes == {"posted": 2, "parked": 2}
    seen = outcomes(db)
    assert seen["evt_a"][0] == seen["evt_b"][0] == "posted"
    assert seen["evt_bad"][0] == "parked"
    assert "could not be processed (ValueError)" in (seen["evt_bad"][1] or "")
    assert seen["evt_eur"] == ("parked", "the amount is in EUR; the utility takes USD")
    assert online_payments(db) == 2 and books_problems(db) == []


def test_a_refund_received_before_its_payment_applies_in_the_same_drain(
        db: Database, scratch: Scratch) -> None:
    account = scratch.account_numbers[2]
    before = balance(db, account)
    receive_event(db, WEBHOOKS, refund("evt_r", "pi_r", account))
    receive_event(db, WEBHOOKS, succeeded("evt_s", "pi_r", account))
    drain_events(db, WEBHOOKS, batch=1)  # one event per transaction: still in order
    assert outcomes(db)["evt_r"][0] == outcomes(db)["evt_s"][0] == "posted"
    assert balance(db, account) == before  # paid, then reversed
    assert books_problems(db) == []


def test_concurrent_receipts_and_drainers_post_once(db: Database, scratch: Scratch) -> None:
    account = scratch.account_numbers[0]
    event = succeeded("evt_c", "pi_c", account)
    answers: list[str] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            answers.append(receive_event(db, WEBHOOKS, event).outcome)
            drain_events(db, WEBHOOKS)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    drain_events(db, WEBHOOKS)
    assert sorted(answers) == ["duplicate"] * 4 + ["received"]
    assert outcomes(db)["evt_c"][0] == "posted" and online_payments(db) == 1


def test_only_the_webhooks_job_may_receive_or_drain(db: Database, scratch: Scratch) -> None:
    with pytest.raises(PermissionDenied):
        receive_event(db, Actor.job("notifier"),
                      succeeded("evt_x", "pi_x", scratch.account_numbers[0]))
    with pytest.raises(PermissionDenied):
        drain_events(db, Actor.job("notifier"))
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(EventRow)) == 0


def test_ebs_payments_process_posts_what_was_received(sqlite_db: Database) -> None:
    scratch = seed_counter_scratch(sqlite_db, 2, with_users=False)
    receive_event(sqlite_db, WEBHOOKS, succeeded("evt_cli", "pi_cli", scratch.account_numbers[0]))
    raw = json.dumps({"id": "evt_cli2"}).encode()
    receive_event(sqlite_db, WEBHOOKS, GatewayEvent(
        "stripe", "evt_cli2", EventKind.OTHER, "customer.created", None, None, None, {},
        datetime.now(UTC), raw))

    def ebs(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(EBS), "--db", sqlite_db.url_text, "payments", *args],
                              capture_output=True, text=True, timeout=120, check=False)

    done = ebs("process", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"events": 2, "outcomes": {"posted": 1, "ignored": 1}}
    again = ebs("process")
    assert (again.returncode, again.stdout.strip()) == (0, "nothing received")
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)
                        .where(Payment.channel == "online")) == 1
