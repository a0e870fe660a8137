"""A billing batch's bill notices in one INSERT ... SELECT: the same channels and
recipients as :func:`choose_channels` gives bill by bill, customers' own choices
included, in the batch's transaction; a batch rolled back leaves none."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from ebs_desktop.domain.notifications import Contact, Kind, choose_channels
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    AccountPreferences,
    Bill,
    Customer,
    OutboxMessage,
)
from ebs_desktop.persistence.stores import outbox
from tests.support.counter_scratch import seed_counter_scratch

# (email, email_status, phone, phone_status, chosen channels of bill notices or None)
CASES = [
    ("a@example.com", "ok", "+15550100001", "ok", None),
    ("b@example.com", "unreachable", "+15550100002", "ok", None),
    (None, "ok", "+15550100003", "ok", None),
    ("", "ok", "", "ok", None),
    (None, "ok", None, "ok", None),
    ("f@example.com", "ok", "+15550100006", "unreachable", None),
    ("g@example.com", "ok", "+15550100007", "ok", ["sms", "email"]),
    ("h@example.com", "ok", "+15550100008", "ok", []),
]


def _setup(db: Database) -> list[int]:
    seed_counter_scratch(db, len(CASES), bills_per_account=1, with_users=False)
    with db.write() as s:
        accounts = s.execute(select(Account.id, Account.customer_id)
                             .order_by(Account.id)).all()
        for (account_id, customer_id), (email, es, phone, ps, chosen) in zip(
                accounts, CASES, strict=True):
            s.execute(update(Customer).where(Customer.id == customer_id).values(
                email=email, email_status=es, phone=phone, phone_status=ps))
            if chosen is not None:
                s.add(AccountPreferences(account_id=account_id, language="fr_FR",
                                         channels=json.dumps({"bill_issued": chosen})))
        return list(s.scalars(select(Bill.id).order_by(Bill.id)))


def test_bill_notices_in_sql_follow_choose_channels(db: Database) -> None:
    bill_ids = _setup(db)
    with db.write() as s:
        added = outbox.enqueue_bills(s, bill_ids, "en_US")
    with db.read() as s:
        rows = sorted((int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in s.execute(
            select(OutboxMessage.bill_id, OutboxMessage.channel, OutboxMessage.recipient,
                   OutboxMessage.dedupe_key, OutboxMessage.language, OutboxMessage.context)))
        bills = s.execute(select(Bill.id, Bill.bill_number, Account.account_number)
                          .join(Account, Account.id == Bill.account_id)
                          .order_by(Bill.id)).all()
    expected = []
    for (bill_id, number, account), (email, es, phone, ps, chosen) in zip(
            bills, CASES, strict=True):
        contact = Contact(email or None, es == "ok", phone or None, ps == "ok")
        lang = "en_US" if chosen is None else "fr_FR"
        context = json.dumps({"bill_number": number, "account_number": account},
                             sort_keys=True)
        for channel, to in choose_channels(
                Kind.BILL_ISSUED, contact, None if chosen is None else {"bill_issued": chosen}):
            expected.append((bill_id, channel.value, to,
                             f"bill_issued:{number}:{channel.value}", lang, context))
    assert rows == sorted(expected)
    assert added == len(expected) == 6  # a, b by sms, c by sms, f, g twice; not d, e, h


def test_a_rolled_back_batch_leaves_no_notice(db: Database) -> None:
    bill_ids = _setup(db)
    with pytest.raises(RuntimeError), db.write() as s:
        assert outbox.enqueue_bills(s, bill_ids, "en_US") > 0
        raise RuntimeError("the batch failed")
    with db.read() as s:
        assert s.scalars(select(OutboxMessage.id)).all() == []
