"""Enqueuing a notification in the action's own transaction: rows per channel, once per
key, nothing when the transaction rolls back."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, update

from ebs_desktop.domain.notifications import Kind
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, AccountPreferences, Customer, OutboxMessage
from ebs_desktop.persistence.stores import outbox
from tests.support.counter_scratch import seed_counter_scratch


def _first_account(db: Database) -> tuple[int, int]:
    with db.write() as s:
        account_id, customer_id = s.execute(
            select(Account.id, Account.customer_id).order_by(Account.id).limit(1)).one()
        s.execute(update(Customer).where(Customer.id == customer_id)
                  .values(email="ana@example.net"))
    return int(account_id), int(customer_id)


def _messages(db: Database) -> list[tuple[str, str, str, str]]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(
            select(OutboxMessage.channel, OutboxMessage.recipient, OutboxMessage.dedupe_key,
                   OutboxMessage.language).order_by(OutboxMessage.id))]


def test_enqueue_writes_one_row_per_channel_and_only_once(db: Database) -> None:
    seed_counter_scratch(db, accounts=2, with_users=False)
    account_id, _ = _first_account(db)
    for _ in range(2):  # a retried action: the same key adds nothing
        with db.write() as s:
            outbox.enqueue(s, kind=Kind.OVERDUE_NOTICE, account_id=account_id,
                           dedupe_key="overdue:B1", context={"amount": "45.50"},
                           language="en_US")
    assert _messages(db) == [
        ("email", "ana@example.net", "overdue:B1:email", "en_US"),
        ("sms", "+15550000001", "overdue:B1:sms", "en_US"),
    ]
    with db.read() as s:
        context = s.scalar(select(OutboxMessage.context).limit(1))
    assert json.loads(context or "") == {"amount": "45.50"}


def test_preferences_and_language_are_the_accounts(db: Database) -> None:
    seed_counter_scratch(db, accounts=1, with_users=False)
    account_id, _ = _first_account(db)
    with db.write() as s:
        s.add(AccountPreferences(account_id=account_id, paperless=True, language="fr_FR",
                                 reminders=False,
                                 channels=json.dumps({"bill_issued": ["sms"]})))
    with db.write() as s:
        assert outbox.enqueue(s, kind=Kind.REMINDER, account_id=account_id,
                              dedupe_key="reminder:B1", context={}, language="en_US") == 0
        assert outbox.enqueue(s, kind=Kind.BILL_ISSUED, account_id=account_id,
                              dedupe_key="bill:B1", context={}, language="en_US") == 1
    assert _messages(db) == [("sms", "+15550000001", "bill:B1:sms", "fr_FR")]


def test_a_rolled_back_action_leaves_no_message(db: Database) -> None:
    seed_counter_scratch(db, accounts=1, with_users=False)
    account_id, _ = _first_account(db)
    with pytest.raises(RuntimeError), db.write() as s:
        outbox.enqueue(s, kind=Kind.PAYMENT_POSTED, account_id=account_id,
                       dedupe_key="payment:P1", context={}, language="en_US")
        raise RuntimeError("the payment failed after the message was written")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def _rows(db: Database) -> list[tuple[object, ...]]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(
            select(OutboxMessage.kind, OutboxMessage.channel, OutboxMessage.account_id,
                   OutboxMessage.recipient, OutboxMessage.language, OutboxMessage.context,
                   OutboxMessage.bill_id, OutboxMessage.dedupe_key, OutboxMessage.status)
            .order_by(OutboxMessage.dedupe_key))]


def test_enqueue_notices_writes_what_enqueue_writes_one_by_one(db: Database) -> None:
    """The dunning run's batch: the same rows as :func:`outbox.enqueue` per notice (the
    channels each customer's contact and preferences choose, the account's language),
    a key already in the outbox left alone, a key repeated in the batch written once."""
    seed_counter_scratch(db, accounts=6, with_users=False)
    with db.write() as s:
        ids = [int(i) for i in s.scalars(select(Account.id).order_by(Account.id))]
        customers = dict(s.execute(select(Account.id, Account.customer_id)).all())
        s.execute(update(Customer).where(Customer.id == customers[ids[0]])
                  .values(email="ana@example.net"))  # email and SMS
        s.execute(update(Customer).where(Customer.id == customers[ids[1]])
                  .values(phone_status="unreachable"))  # nobody to tell
        s.add(AccountPreferences(account_id=ids[2], paperless=True, language="fr_FR",
                                 reminders=False, channels=None))  # no reminders
        s.add(AccountPreferences(account_id=ids[3], paperless=False, language="fr_FR",
                                 reminders=True, channels=None))
    kinds = (Kind.REMINDER, Kind.OVERDUE_NOTICE)
    notices = [outbox.Notice(a, f"dunning:{k.value}:{a}", {"n": a, "kind": k.value},
                             "en_US", None) for a in ids for k in kinds]
    with db.write() as s:  # one by one, under keys "one:..."
        for n in notices:
            outbox.enqueue(s, kind=Kind(n.context["kind"]), account_id=n.account_id,
                           dedupe_key="one:" + n.dedupe_key, context=n.context,
                           language=n.language, bill_id=n.bill_id)
    one_by_one = [(*r[:7], str(r[7]).removeprefix("one:"), *r[8:]) for r in _rows(db)]
    with db.write() as s:
        s.execute(OutboxMessage.__table__.delete())
        # one notice enqueued before (a rerun's), one key twice in the batch
        outbox.enqueue(s, kind=Kind.OVERDUE_NOTICE, account_id=ids[5],
                       dedupe_key=f"dunning:overdue_notice:{ids[5]}",
                       context={"n": ids[5], "kind": "overdue_notice"}, language="en_US")
    written = 0
    with db.write() as s:
        for kind in kinds:
            batch = [n for n in notices if n.context["kind"] == kind.value]
            written += outbox.enqueue_notices(s, kind, [*batch, batch[0]])
    assert _rows(db) == one_by_one
    assert written == len(one_by_one) - 1  # the one enqueued before
    assert {r[7] for r in one_by_one} >= {f"dunning:reminder:{ids[0]}:email",
                                          f"dunning:reminder:{ids[0]}:sms"}
    assert not any(r[2] == ids[1] for r in one_by_one)
    assert not any(r[2] == ids[2] and r[0] == "reminder" for r in one_by_one)
    assert {r[4] for r in one_by_one if r[2] == ids[3]} == {"fr_FR"}
