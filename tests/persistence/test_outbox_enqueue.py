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
