"""The notification outbox: writing messages in the business action's own transaction.

:func:`enqueue` is called by services inside the transaction of the action it tells of
(a payment posted, a notice issued), so the message exists exactly when the action does.
The customer's contact and preferences decide the channels
(:func:`ebs_desktop.domain.notifications.choose_channels`); each message's dedupe key is
the caller's key plus the channel, and a key already in the outbox is left as it is
(enqueuing twice, e.g. a retried action, adds nothing).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ebs_desktop.domain.notifications import Contact, Kind, choose_channels
from ebs_desktop.persistence import bulk
from ebs_desktop.persistence.models import (
    Account,
    AccountPreferences,
    Bill,
    Customer,
    OutboxMessage,
)
from ebs_desktop.persistence.models.base import utcnow
from ebs_desktop.persistence.tx import Session


def contact_and_preferences(session: Session, account_id: int
                            ) -> tuple[Contact, dict[str, list[str]] | None, bool, str | None]:
    """The account's contact, its chosen channels per kind (None: defaults), whether it
    takes reminders, and its language (None: the utility's)."""
    row = session.execute(
        select(Customer.email, Customer.email_status, Customer.phone, Customer.phone_status,
               AccountPreferences.channels, AccountPreferences.reminders,
               AccountPreferences.language)
        .select_from(Account)
        .join(Customer, Customer.id == Account.customer_id)
        .outerjoin(AccountPreferences, AccountPreferences.account_id == Account.id)
        .where(Account.id == account_id)).one()
    contact = Contact(email=row.email, email_ok=row.email_status == "ok",
                      phone=row.phone, phone_ok=row.phone_status == "ok")
    chosen = json.loads(row.channels) if row.channels else None
    reminders = True if row.reminders is None else bool(row.reminders)
    return contact, chosen, reminders, row.language


def account_names(session: Session, account_id: int) -> tuple[str, str]:
    """(customer name, account number) of an account."""
    name, number = session.execute(
        select(Customer.name, Account.account_number)
        .join(Account, Account.customer_id == Customer.id)
        .where(Account.id == account_id)).one()
    return str(name), str(number)


def enqueue(session: Session, *, kind: Kind, account_id: int, dedupe_key: str,
            context: Mapping[str, Any], language: str, bill_id: int | None = None) -> int:
    """Write the messages of one notification; returns how many rows were added (0 when
    the customer takes none of it, or when the key was enqueued before)."""
    contact, chosen, reminders, own_language = contact_and_preferences(session, account_id)
    targets = choose_channels(kind, contact, chosen, reminders)
    if not targets:
        return 0
    now = utcnow()
    body = json.dumps(dict(context), sort_keys=True, default=str)
    rows = [{"kind": kind.value, "channel": channel.value, "account_id": account_id,
             "recipient": address, "language": own_language or language, "context": body,
             "bill_id": bill_id, "dedupe_key": f"{dedupe_key}:{channel.value}",
             "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}
            for channel, address in targets]
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(OutboxMessage).values(rows).on_conflict_do_nothing(
        index_elements=["dedupe_key"]).returning(OutboxMessage.id)
    return len(session.execute(statement).all())


# -- many at once: a billing run's batch -------------------------------------------------

@dataclass(frozen=True)
class BillNotice:
    """What a bill-issued message needs of one bill of a batch (one joined query)."""

    bill_id: int
    bill_number: str
    account_id: int
    account_number: str
    customer_name: str
    total_minor: int
    balance_minor: int
    issue_date: date
    due_date: date
    period_start: date
    period_end: date
    contact: Contact
    chosen: dict[str, list[str]] | None
    reminders: bool
    language: str | None


def _bills_in(bill_ids: Sequence[int]) -> Any:
    lo, hi = min(bill_ids), max(bill_ids)
    if hi - lo + 1 == len(set(bill_ids)):
        return Bill.id.between(lo, hi)
    return Bill.id.in_(list(bill_ids))


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def bill_notices(session: Session, bill_ids: Sequence[int], *,
                 chosen_only: bool = False) -> list[BillNotice]:
    """The bills of ``bill_ids`` joined with their account, customer and preferences
    (``chosen_only``: only those whose customer chose the channels of bill notices)."""
    if not bill_ids:
        return []
    rows = session.execute(
        select(Bill.id, Bill.bill_number, Bill.account_id, Account.account_number,
               Customer.name, Bill.total_minor, Account.balance_minor, Bill.issue_date,
               Bill.due_date, Bill.period_start, Bill.period_end, Customer.email,
               Customer.email_status, Customer.phone, Customer.phone_status,
               AccountPreferences.channels, AccountPreferences.reminders,
               AccountPreferences.language)
        .select_from(Bill)
        .join(Account, Account.id == Bill.account_id)
        .join(Customer, Customer.id == Account.customer_id)
        .outerjoin(AccountPreferences, AccountPreferences.account_id == Bill.account_id)
        .where(_bills_in(bill_ids),
               *((AccountPreferences.channels.like('%"bill_issued"%'),) if chosen_only
                 else ()))
        .order_by(Bill.id)).all()
    return [BillNotice(
        int(r[0]), r[1], int(r[2]), r[3], r[4], int(r[5]), int(r[6]), _day(r[7]), _day(r[8]),
        _day(r[9]), _day(r[10]),
        Contact(email=r[11], email_ok=r[12] == "ok", phone=r[13], phone_ok=r[14] == "ok"),
        json.loads(r[15]) if r[15] else None, True if r[16] is None else bool(r[16]), r[17])
        for r in rows]


# The default rule of choose_channels for a bill notice, in SQL: by email when the customer
# has one that still reaches them, else by SMS to a phone that does. Accounts whose
# customer chose the channels of bill notices are left to enqueue_many (in Python).
_BILLS_INSERT = """
INSERT INTO notification_outbox (kind, channel, account_id, recipient, language, context,
                                 bill_id, dedupe_key, status, attempts, next_attempt_at,
                                 created_at)
SELECT 'bill_issued', t.channel, t.account_id, t.recipient, t.language,
       '{{"account_number": "' || t.account_number || '", "bill_number": "'
           || t.bill_number || '"}}',
       t.bill_id, 'bill_issued:' || t.bill_number || ':' || t.channel, 'pending', 0,
       {now}, {now}
FROM (SELECT b.id AS bill_id, b.bill_number, b.account_id, a.account_number,
             COALESCE(p.language, :language) AS language,
             CASE WHEN c.email <> '' AND c.email_status = 'ok' THEN 'email' ELSE 'sms' END
                 AS channel,
             CASE WHEN c.email <> '' AND c.email_status = 'ok' THEN c.email
                  WHEN c.phone <> '' AND c.phone_status = 'ok' THEN c.phone END AS recipient
      FROM bills b
      JOIN accounts a ON a.id = b.account_id
      JOIN customers c ON c.id = a.customer_id
      LEFT JOIN account_preferences p ON p.account_id = b.account_id
      WHERE {which} AND (p.channels IS NULL OR p.channels NOT LIKE '%"bill_issued"%')) t
WHERE t.recipient IS NOT NULL
"""


def _bill_filter(bill_ids: Sequence[int]) -> tuple[str, dict[str, Any]]:
    """A batch's bills: their id range when the ids are contiguous (a billing batch's
    reserved ids are), else the list."""
    lo, hi = min(bill_ids), max(bill_ids)
    if hi - lo + 1 == len(set(bill_ids)):
        return "b.id BETWEEN :lo AND :hi", {"lo": lo, "hi": hi}
    return f"b.id IN ({', '.join(str(int(i)) for i in bill_ids)})", {}


def enqueue_bills(session: Session, bill_ids: Sequence[int], language: str) -> int:
    """The bill notices of a billing batch, in the batch's own transaction: one
    ``INSERT ... SELECT`` over the batch's bills for the customers on the default
    channels, the others through :func:`enqueue_many`. Returns the rows written."""
    if not bill_ids:
        return 0
    conn = session.connection()
    which, params = _bill_filter(bill_ids)
    stamp = bulk.timestamp_text(conn, utcnow())
    now = "CAST(:now AS TIMESTAMP WITH TIME ZONE)" if conn.dialect.name == "postgresql" \
        else ":now"
    done = conn.execute(text(_BILLS_INSERT.format(now=now, which=which)),
                        {**params, "language": language, "now": stamp})
    chosen = bill_notices(session, bill_ids, chosen_only=True)
    added = enqueue_many(session, Kind.BILL_ISSUED, (
        NewMessage(n.account_id, f"bill_issued:{n.bill_number}",
                   {"account_number": n.account_number, "bill_number": n.bill_number},
                   n.language or language, n.contact, n.chosen, n.reminders, n.bill_id)
        for n in chosen))
    return int(done.rowcount or 0) + added


@dataclass(frozen=True)
class NewMessage:
    """One notification for :func:`enqueue_many`: the channels are chosen there."""

    account_id: int
    dedupe_key: str
    context: Mapping[str, Any]
    language: str
    contact: Contact
    chosen: dict[str, list[str]] | None = None
    reminders: bool = True
    bill_id: int | None = None


OUTBOX_COLUMNS = ("channel", "account_id", "recipient", "language", "context", "bill_id",
                  "dedupe_key")


def enqueue_many(session: Session, kind: Kind, messages: Iterable[NewMessage]) -> int:
    """Write many notifications of one ``kind`` in the caller's transaction, in bulk (COPY
    on PostgreSQL): for keys that cannot have been enqueued before (a billing run's new
    bills); a repeated key fails the transaction. Returns the rows written."""
    rows: list[tuple[object, ...]] = []
    for m in messages:
        targets = choose_channels(kind, m.contact, m.chosen, m.reminders)
        if not targets:
            continue
        body = json.dumps(dict(m.context), sort_keys=True, default=str)
        rows.extend((channel.value, m.account_id, address, m.language, body, m.bill_id,
                     f"{m.dedupe_key}:{channel.value}") for channel, address in targets)
    if rows:
        conn = session.connection()
        stamp = bulk.timestamp_text(conn, utcnow())
        bulk.bulk_insert(conn, "notification_outbox", OUTBOX_COLUMNS, rows,
                         {"kind": kind.value, "status": "pending", "attempts": 0,
                          "next_attempt_at": stamp, "created_at": stamp})
    return len(rows)


@dataclass(frozen=True)
class Notice:
    """One notification of :func:`enqueue_notices`: the account's contact and preferences
    are read there, for all the notices at once."""

    account_id: int
    dedupe_key: str
    context: Mapping[str, Any]
    language: str  # the caller's default; the account's own language wins
    bill_id: int | None = None


_CHUNK = 500  # ids per IN (...) list: well inside SQLite's and PostgreSQL's limits


def contacts_of(session: Session, account_ids: Iterable[int]
                ) -> dict[int, tuple[Contact, dict[str, list[str]] | None, bool, str | None]]:
    """:func:`contact_and_preferences` of many accounts, one query per 500 accounts."""
    wanted = sorted(set(account_ids))
    found: dict[int, tuple[Contact, dict[str, list[str]] | None, bool, str | None]] = {}
    for at in range(0, len(wanted), _CHUNK):
        for row in session.execute(
                select(Account.id, Customer.email, Customer.email_status, Customer.phone,
                       Customer.phone_status, AccountPreferences.channels,
                       AccountPreferences.reminders, AccountPreferences.language)
                .select_from(Account)
                .join(Customer, Customer.id == Account.customer_id)
                .outerjoin(AccountPreferences, AccountPreferences.account_id == Account.id)
                .where(Account.id.in_(wanted[at:at + _CHUNK]))):
            found[int(row.id)] = (
                Contact(email=row.email, email_ok=row.email_status == "ok",
                        phone=row.phone, phone_ok=row.phone_status == "ok"),
                json.loads(row.channels) if row.channels else None,
                True if row.reminders is None else bool(row.reminders), row.language)
    return found


def existing_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` (full dedupe keys, channel included) the outbox holds already."""
    wanted = sorted(set(keys))
    found: set[str] = set()
    for at in range(0, len(wanted), _CHUNK):
        found.update(session.scalars(select(OutboxMessage.dedupe_key).where(
            OutboxMessage.dedupe_key.in_(wanted[at:at + _CHUNK]))))
    return found


def enqueue_notices(session: Session, kind: Kind, notices: Sequence[Notice]) -> int:
    """What :func:`enqueue` does for one notice, for many of one ``kind`` at once (a
    dunning run's): the contacts in one query per 500 accounts, the keys already in the
    outbox left as they are (as :func:`enqueue` leaves them), a key repeated among
    ``notices`` written once, then one bulk insert. Returns the rows written."""
    if not notices:
        return 0
    contacts = contacts_of(session, (n.account_id for n in notices))
    planned: dict[str, tuple[object, ...]] = {}
    for n in notices:
        contact, chosen, reminders, own_language = contacts[n.account_id]
        targets = choose_channels(kind, contact, chosen, reminders)
        if not targets:
            continue
        body = json.dumps(dict(n.context), sort_keys=True, default=str)
        for channel, address in targets:
            key = f"{n.dedupe_key}:{channel.value}"
            planned.setdefault(key, (channel.value, n.account_id, address,
                                     own_language or n.language, body, n.bill_id, key))
    for key in existing_keys(session, planned):
        del planned[key]
    rows = list(planned.values())
    if rows:
        conn = session.connection()
        stamp = bulk.timestamp_text(conn, utcnow())
        bulk.bulk_insert(conn, "notification_outbox", OUTBOX_COLUMNS, rows,
                         {"kind": kind.value, "status": "pending", "attempts": 0,
                          "next_attempt_at": stamp, "created_at": stamp})
    return len(rows)


# -- the senders: claim, then finish each message ----------------------------------------

@dataclass(frozen=True)
class Claimed:
    """A message leased by one sender until ``lease_until``."""

    id: int
    kind: str
    channel: str
    account_id: int
    recipient: str
    language: str
    context: dict[str, Any]
    bill_id: int | None
    dedupe_key: str
    attempts: int  # including this one


def claim(session: Session, sender: str, *, limit: int, lease: timedelta, now: datetime,
          channels: Sequence[str]) -> list[Claimed]:
    """Lease up to ``limit`` messages due now on ``channels`` to ``sender``: pending ones
    whose next attempt has come, and ones whose lease ran out (a sender that died).

    PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so senders on several machines each take other
    rows without waiting. SQLite: the caller's ``BEGIN IMMEDIATE`` write transaction makes
    the claim single-writer (the clause is not compiled there)."""
    if not channels or limit <= 0:
        return []
    due = (select(OutboxMessage.id)
           .where(OutboxMessage.channel.in_(list(channels)),
                  or_(and_(OutboxMessage.status == "pending",
                           OutboxMessage.next_attempt_at <= now),
                      and_(OutboxMessage.status == "sending",
                           OutboxMessage.lease_until < now)))
           .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
           .limit(limit)
           .with_for_update(skip_locked=True))
    ids = [int(i) for i in session.scalars(due)]
    if not ids:
        return []
    rows = session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(ids))
        .values(status="sending", leased_by=sender, lease_until=now + lease,
                attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.channel,
                   OutboxMessage.account_id, OutboxMessage.recipient, OutboxMessage.language,
                   OutboxMessage.context, OutboxMessage.bill_id, OutboxMessage.dedupe_key,
                   OutboxMessage.attempts)).all()
    found = [Claimed(int(r[0]), r[1], r[2], int(r[3]), r[4], r[5], json.loads(r[6]),
                     None if r[7] is None else int(r[7]), r[8], int(r[9])) for r in rows]
    return sorted(found, key=lambda c: c.id)


def _mine(message_id: int, sender: str) -> Any:
    return and_(OutboxMessage.id == message_id, OutboxMessage.leased_by == sender,
                OutboxMessage.status == "sending")


def finish_sent(session: Session, message_id: int, sender: str, provider_id: str,
                now: datetime) -> bool:
    """Mark sent (only while still leased by ``sender``); False if another took it over."""
    done = session.execute(
        update(OutboxMessage).where(_mine(message_id, sender))
        .values(status="sent", sent_at=now, provider_id=provider_id[:200], lease_until=None,
                last_error=None))
    return bool(getattr(done, "rowcount", 0))


def finish_sent_many(session: Session, sender: str, sent: Sequence[tuple[int, str]],
                     now: datetime) -> set[int]:
    """:func:`finish_sent` for many messages in one statement: ``sent`` holds (message
    id, provider id); returns the ids marked (those still leased by ``sender``)."""
    if not sent:
        return set()
    provider = case({i: p[:200] for i, p in sent}, value=OutboxMessage.id)
    done = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_([i for i, _ in sent]), OutboxMessage.leased_by == sender,
               OutboxMessage.status == "sending")
        .values(status="sent", sent_at=now, provider_id=provider, lease_until=None,
                last_error=None)
        .returning(OutboxMessage.id))
    return {int(i) for i, in done}


def finish_retry(session: Session, message_id: int, sender: str, error: str,
                 next_attempt_at: datetime) -> bool:
    done = session.execute(
        update(OutboxMessage).where(_mine(message_id, sender))
        .values(status="pending", next_attempt_at=next_attempt_at, lease_until=None,
                leased_by=None, last_error=error))
    return bool(getattr(done, "rowcount", 0))


def finish_failed(session: Session, message_id: int, sender: str, error: str) -> bool:
    done = session.execute(
        update(OutboxMessage).where(_mine(message_id, sender))
        .values(status="failed", lease_until=None, last_error=error))
    return bool(getattr(done, "rowcount", 0))


def postpone(session: Session, message_ids: Sequence[int], sender: str,
             until: datetime) -> None:
    """Give leased messages back, due at ``until`` (SMS in quiet hours), the try uncounted."""
    if message_ids:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(list(message_ids)), OutboxMessage.leased_by == sender,
                   OutboxMessage.status == "sending")
            .values(status="pending", next_attempt_at=until, lease_until=None,
                    leased_by=None, attempts=OutboxMessage.attempts - 1))


def mark_contact_unreachable(session: Session, account_id: int, channel: str,
                             problem: str) -> tuple[int, str | None]:
    """Set the account's customer's email or phone unreachable with the provider's words:
    (customer id, the status before)."""
    customer_id, email_status, phone_status = session.execute(
        select(Customer.id, Customer.email_status, Customer.phone_status)
        .join(Account, Account.customer_id == Customer.id)
        .where(Account.id == account_id)).one()
    if channel == "email":
        values = {"email_status": "unreachable", "email_problem": problem[:500]}
        before = email_status
    else:
        values = {"phone_status": "unreachable", "phone_problem": problem[:500]}
        before = phone_status
    session.execute(update(Customer).where(Customer.id == customer_id).values(**values))
    return int(customer_id), before


@dataclass(frozen=True)
class Backlog:
    counts: dict[tuple[str, str], int]  # (channel, status) -> messages
    oldest_waiting: datetime | None
    failures: list[tuple[int, str, str, str, str | None]]  # id, channel, kind, to, error


def backlog(session: Session, failures: int = 20) -> Backlog:
    counts = {(str(c), str(s)): int(n) for c, s, n in session.execute(
        select(OutboxMessage.channel, OutboxMessage.status, func.count())
        .group_by(OutboxMessage.channel, OutboxMessage.status))}
    oldest = session.scalar(select(func.min(OutboxMessage.created_at))
                            .where(OutboxMessage.status.in_(("pending", "sending"))))
    failed = [(int(r[0]), r[1], r[2], r[3], r[4]) for r in session.execute(
        select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.kind,
               OutboxMessage.recipient, OutboxMessage.last_error)
        .where(OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id.desc()).limit(failures))]
    if isinstance(oldest, str):
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return Backlog(counts, oldest, failed)
