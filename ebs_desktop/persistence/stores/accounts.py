"""Accounts, their customers and premises: the lookup by any key a clerk types, the
customer screen's reads (statement, bills, payments, notes), opening an account.

The lookup runs on every counter visit on a million accounts: each key has its own index
and each function here is one indexed statement (see ``docs/performance.md``, account
lookup p99).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, delete, exists, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ebs_desktop.domain.search_words import customer_words
from ebs_desktop.persistence.bulk import bulk_insert
from ebs_desktop.persistence.models import (
    Account,
    AccountNote,
    Bill,
    BillingCycle,
    BillLine,
    CreditNote,
    Customer,
    CustomerWord,
    Journal,
    LedgerEntry,
    Meter,
    MeterInstallation,
    Payment,
    PaymentAllocation,
    PaymentReversal,
    PaymentTender,
    Premise,
    Receipt,
    Route,
    Tariff,
    User,
)

SummaryRow = tuple[int, str, str, str | None, str, str, str, int]
"""id, account number, customer name, phone, address, category, status, balance (minor)."""


# -- the lookup ------------------------------------------------------------------------------

def _summary_query() -> Any:
    return (select(Account.id, Account.account_number, Customer.name, Customer.phone,
                   Customer.address, Account.category, Account.status, Account.balance_minor)
            .join(Customer, Customer.id == Account.customer_id))


def _summaries(session: Session, stmt: Any) -> list[SummaryRow]:
    return cast("list[SummaryRow]", session.execute(stmt).all())


def summaries_by_number(session: Session, account_number: str) -> list[SummaryRow]:
    return _summaries(session, _summary_query().where(Account.account_number == account_number))


def summaries_by_meter(session: Session, serial: str) -> list[SummaryRow]:
    """The account whose premise has meter ``serial`` installed now."""
    meter_ids = select(Premise.account_id).join(
        MeterInstallation, (MeterInstallation.premise_id == Premise.id)
        & MeterInstallation.removed_on.is_(None)).join(
        Meter, Meter.id == MeterInstallation.meter_id).where(Meter.serial == serial)
    return _summaries(session, _summary_query().where(Account.id.in_(meter_ids)))


def summaries_by_phone(session: Session, phone: str, limit: int) -> list[SummaryRow]:
    return _summaries(session, _summary_query().where(Customer.phone == phone).limit(limit))


def summaries_by_name_prefix(session: Session, prefix: str, limit: int) -> list[SummaryRow]:
    """Customers whose lower-case name starts with ``prefix``, by name."""
    # Prefix search on the indexed lower-case key: a range, so both backends use the index.
    return _summaries(session, _summary_query().where(Customer.name_key >= prefix,
                                                      Customer.name_key < prefix + "\uffff")
                      .order_by(Customer.name_key, Account.account_number).limit(limit))


# -- the search by any word (customer_words, see ebs_desktop.domain.search_words) --------

def after_prefix(prefix: str) -> str:
    """The first string above every string that starts with ``prefix`` (its last
    character plus one): ``word >= p AND word < after_prefix(p)`` is "starts with p", a
    range the planner can estimate from its histogram (code point order: SQLite's BINARY,
    PostgreSQL's collation C)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


WordMatch = str | tuple[str, ...]
"""A query word: a prefix (str), or any of these exact words (a typo's near words)."""


# Core tables, not ORM entities: the search runs several statements per keystroke, and a
# Core statement skips the ORM's per-execution work (~0.3 ms each here).
_WORDS = CustomerWord.__table__
_CUSTOMERS = Customer.__table__
_ACCOUNTS = Account.__table__


def _word_test(column: Any, match: WordMatch) -> ColumnElement[bool]:
    if isinstance(match, str):
        return and_(column >= match, column < after_prefix(match))
    return cast("ColumnElement[bool]", column.in_(match))


def words_seen(session: Session, matches: Sequence[WordMatch], cap: int) -> list[int]:
    """How many (word, customer) rows match each of ``matches``, each counted up to
    ``cap``, in one statement (the search starts from the rarest word; a bounded count
    costs at most ``cap`` index entries, walked in index order)."""
    counts = []
    for match in matches:
        inner = select(_WORDS.c.customer_id).where(
            _word_test(_WORDS.c.word, match)).order_by(
            _WORDS.c.word, _WORDS.c.customer_id).limit(cap).subquery()
        counts.append(select(func.count()).select_from(inner).scalar_subquery())
    row = session.execute(select(*counts)).one()
    return [int(n or 0) for n in row]


def known_words(session: Session, candidates: Iterable[str]) -> list[str]:
    """Which of ``candidates`` some customer has: one index probe each, stopping at the
    first customer (a DISTINCT over the word column would read every customer of a
    common word)."""
    wanted = sorted(set(candidates))
    if not wanted:
        return []
    if session.get_bind().dialect.name == "postgresql":
        stmt = text("SELECT c.w FROM unnest(CAST(:ws AS text[])) AS c(w) WHERE EXISTS "
                    "(SELECT 1 FROM customer_words WHERE word = c.w)")
        return [str(w) for w in session.scalars(stmt, {"ws": wanted})]
    stmt = text("SELECT c.value FROM json_each(:ws) AS c WHERE EXISTS "
                "(SELECT 1 FROM customer_words WHERE word = c.value)")
    return [str(w) for w in session.scalars(stmt, {"ws": json.dumps(wanted)})]


SCAN_CAP = 5000
"""Entries of the first (rarest) word checked for the other words: a bound on the work
when every typed word is common; two common words that rarely meet may find fewer."""


def summaries_by_words(session: Session, matches: Sequence[WordMatch],
                       limit: int) -> list[SummaryRow]:
    """Accounts whose customer has a word matching each of ``matches`` (all of them).

    Walks the word index from ``matches[0]`` (the caller puts the rarest first) in word
    order, so exact words come before longer ones ("haddad" before "haddadi"), and checks
    the others per customer through the (customer, word) index; stops after ``limit``
    accounts. One customer matching twice (name and address) is one row."""
    first, rest = matches[0], matches[1:]
    drive = (select(_WORDS.c.word, _WORDS.c.customer_id)
             .where(_word_test(_WORDS.c.word, first))
             .order_by(_WORDS.c.word, _WORDS.c.customer_id))
    if rest:  # at most SCAN_CAP entries of the first word are looked at
        drive = drive.limit(SCAN_CAP)
    walk = drive.subquery()
    hits = select(walk.c.word, walk.c.customer_id)
    for match in rest:
        other = _WORDS.alias()
        hits = hits.where(exists().where(other.c.customer_id == walk.c.customer_id,
                                         _word_test(other.c.word, match)))
    # The hits in a subquery with its own LIMIT: PostgreSQL plans it apart from the joins
    # (planning the EXISTS and the joins together took ~6 ms), and it is one round trip.
    found = hits.order_by(walk.c.word, walk.c.customer_id).limit(limit * 4).subquery()
    a, c = _ACCOUNTS.c, _CUSTOMERS.c
    stmt = (select(a.id, a.account_number, c.name, c.phone, c.address, a.category, a.status,
                   a.balance_minor)
            .select_from(found.join(_CUSTOMERS, c.id == found.c.customer_id)
                         .join(_ACCOUNTS, a.customer_id == c.id))
            .order_by(found.c.word, found.c.customer_id, a.id))
    rows: list[SummaryRow] = []
    seen: set[int] = set()
    for row in session.execute(stmt):
        if row[0] not in seen:
            seen.add(row[0])
            rows.append(cast("SummaryRow", tuple(row)))
            if len(rows) == limit:
                break
    return rows


def word_rows(customers: Iterable[tuple[int, str, str]]) -> list[tuple[str, int]]:
    """The customer_words rows of (id, name, address) customers, for a bulk insert."""
    return [(w, cid) for cid, name, address in customers for w in customer_words(name, address)]


def insert_customer_words(conn: Connection, customers: Iterable[tuple[int, str, str]]) -> None:
    """Index customers written in bulk (demo, imports, benchmarks): (id, name, address)."""
    bulk_insert(conn, "customer_words", ("word", "customer_id"), word_rows(customers))


def set_customer_words(session: Session, customer_id: int, name: str, address: str) -> None:
    """The customer's words as their name and address are now (a new customer, an edit)."""
    session.flush()
    session.execute(delete(CustomerWord).where(CustomerWord.customer_id == customer_id))
    for word in sorted(customer_words(name, address)):
        session.add(CustomerWord(word=word, customer_id=customer_id))
    session.flush()


def summaries_page(session: Session, limit: int, offset: int) -> list[SummaryRow]:
    """A page of every account, by account number."""
    return _summaries(session, _summary_query().order_by(Account.account_number)
                      .limit(limit).offset(offset))


def count_accounts(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Account)) or 0)


def account_id_of(session: Session, account_number: str) -> int | None:
    return session.scalar(select(Account.id).where(Account.account_number == account_number))


def account_number_of(session: Session, account_id: int) -> str | None:
    return session.scalar(select(Account.account_number).where(Account.id == account_id))


def details_row(session: Session, account_number: str
                ) -> tuple[Account, Customer, Tariff, BillingCycle, Route, Premise | None] | None:
    """The account with its customer, tariff, cycle, route and premise (if any)."""
    row = session.execute(
        select(Account, Customer, Tariff, BillingCycle, Route, Premise)
        .join(Customer, Customer.id == Account.customer_id)
        .join(Tariff, Tariff.id == Account.tariff_id)
        .join(BillingCycle, BillingCycle.id == Account.cycle_id)
        .join(Route, Route.id == Account.route_id)
        .outerjoin(Premise, Premise.account_id == Account.id)
        .where(Account.account_number == account_number)).one_or_none()
    return None if row is None else cast(
        "tuple[Account, Customer, Tariff, BillingCycle, Route, Premise | None]", tuple(row))


def meter_serials(session: Session, premise_id: int) -> tuple[str, ...]:
    """Serials of the meters installed at the premise now."""
    return tuple(session.scalars(
        select(Meter.serial).join(MeterInstallation, MeterInstallation.meter_id == Meter.id)
        .where(MeterInstallation.premise_id == premise_id,
               MeterInstallation.removed_on.is_(None))))


def account_and_customer(session: Session, account_number: str
                         ) -> tuple[int, Customer] | None:
    """(account id, customer) of an account number."""
    row = session.execute(select(Account.id, Customer)
                          .join(Customer, Customer.id == Account.customer_id)
                          .where(Account.account_number == account_number)).one_or_none()
    return None if row is None else (int(row[0]), row[1])


# -- the customer screen ---------------------------------------------------------------------

LedgerRow = tuple[int, date, str, str | None, int, str | None, str | None, str | None]
"""entry id, date, journal kind, bill period, amount (minor), bill, receipt and credit-note
numbers."""
PaymentRow = tuple[int, datetime, int, str, str | None, int | None]
"""payment id, received at, amount (minor), channel, receipt number, reversal id."""


def ledger_rows(session: Session, account_id: int) -> list[LedgerRow]:
    """The account's AR entries, oldest first, with the documents behind them."""
    return cast("list[LedgerRow]", session.execute(
        select(LedgerEntry.id, LedgerEntry.entry_date, Journal.kind, Bill.period,
               LedgerEntry.amount_minor, Bill.bill_number, Receipt.number, CreditNote.number)
        .join(Journal, Journal.id == LedgerEntry.journal_id)
        .outerjoin(Bill, Bill.id == LedgerEntry.bill_id)
        .outerjoin(Receipt, (Receipt.payment_id == LedgerEntry.payment_id)
                   & (Receipt.kind == "payment"))
        .outerjoin(CreditNote, CreditNote.id == LedgerEntry.credit_note_id)
        .where(LedgerEntry.account_id == account_id, LedgerEntry.gl_code == "AR")
        .order_by(LedgerEntry.entry_date, LedgerEntry.id)).all())


def bill_rows(session: Session, account_id: int
              ) -> list[tuple[Bill, int | None, int | None]]:
    """(bill, paid on it in minor units or None, id of its credit note or None) for every
    bill of the account, newest period and revision first."""
    paid = (select(PaymentAllocation.bill_id, func.sum(PaymentAllocation.amount_minor)
                   .label("paid"))
            .join(Bill, Bill.id == PaymentAllocation.bill_id)
            .where(Bill.account_id == account_id)
            .group_by(PaymentAllocation.bill_id).subquery())
    return cast("list[tuple[Bill, int | None, int | None]]", session.execute(
        select(Bill, paid.c.paid, CreditNote.id)
        .outerjoin(paid, paid.c.bill_id == Bill.id)
        .outerjoin(CreditNote, CreditNote.bill_id == Bill.id)
        .where(Bill.account_id == account_id)
        .order_by(Bill.period.desc(), Bill.revision.desc())).all())


def payment_rows(session: Session, account_id: int) -> list[PaymentRow]:
    """The account's payments, newest first, with receipt number and reversal."""
    return cast("list[PaymentRow]", session.execute(
        select(Payment.id, Payment.received_at, Payment.amount_minor, Payment.channel,
               Receipt.number, PaymentReversal.id)
        .outerjoin(Receipt, (Receipt.payment_id == Payment.id) & (Receipt.kind == "payment"))
        .outerjoin(PaymentReversal, PaymentReversal.payment_id == Payment.id)
        .where(Payment.account_id == account_id)
        .order_by(Payment.received_at.desc(), Payment.id.desc())).all())


def tender_rows(session: Session, payment_ids: list[int]) -> list[tuple[int, str]]:
    """(payment id, tender) of the payments' tenders, in the order they were given."""
    return cast("list[tuple[int, str]]", session.execute(
        select(PaymentTender.payment_id, PaymentTender.tender)
        .where(PaymentTender.payment_id.in_(payment_ids))
        .order_by(PaymentTender.id)).all())


def note_rows(session: Session, account_id: int
              ) -> list[tuple[int, datetime, str | None, str]]:
    """(id, created at, author's username or None, text) of the notes, newest first."""
    return cast("list[tuple[int, datetime, str | None, str]]", session.execute(
        select(AccountNote.id, AccountNote.created_at, User.username, AccountNote.text)
        .outerjoin(User, User.id == AccountNote.user_id)
        .where(AccountNote.account_id == account_id)
        .order_by(AccountNote.created_at.desc(), AccountNote.id.desc())).all())


def bill_by_id(session: Session, bill_id: int) -> Bill | None:
    return session.get(Bill, bill_id)


def bill_lines(session: Session, bill_id: int) -> list[BillLine]:
    return list(session.scalars(select(BillLine).where(BillLine.bill_id == bill_id)
                                .order_by(BillLine.seq)))


def credit_note_of(session: Session, bill_id: int) -> tuple[str, str] | None:
    """(number, reason) of the credit note cancelling the bill."""
    row = session.execute(select(CreditNote.number, CreditNote.reason)
                          .where(CreditNote.bill_id == bill_id)).one_or_none()
    return None if row is None else (row[0], row[1])


# -- opening an account ----------------------------------------------------------------------

def route_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every route, by code."""
    return [(c, n) for c, n in session.execute(
        select(Route.code, Route.name).order_by(Route.code))]


def route_and_cycle(session: Session, route_code: str) -> tuple[int, int] | None:
    """(route id, its billing cycle's id)."""
    row = session.execute(select(Route.id, Route.cycle_id)
                          .where(Route.code == route_code)).one_or_none()
    return None if row is None else (int(row[0]), int(row[1]))


def cycle_exists(session: Session, cycle_id: int) -> bool:
    return session.get(BillingCycle, cycle_id) is not None


def last_walk_order(session: Session, route_id: int) -> int:
    """The highest walk order on the route (0 for an empty route)."""
    return int(session.scalar(select(func.max(Account.walk_order))
                              .where(Account.route_id == route_id)) or 0)


def series_exists(session: Session, code: str) -> bool:
    return session.execute(text("SELECT 1 FROM number_series WHERE code = :c"),
                           {"c": code}).first() is not None


def highest_account_number(session: Session) -> str | None:
    return session.scalar(select(func.max(Account.account_number)))


def start_series(session: Session, code: str, start: int) -> None:
    """Create the number series ``code`` at ``start`` unless it exists."""
    session.execute(text("INSERT INTO number_series (code, prefix, next_value) "
                         "VALUES (:c, '', :n) ON CONFLICT (code) DO NOTHING"),
                    {"c": code, "n": start})


def add_customer(session: Session, name: str, phone: str | None, email: str | None,
                 address: str) -> Customer:
    """A new customer (flushed: it has its id)."""
    customer = Customer(name=name, name_key=name.lower(), phone=phone, email=email,
                        address=address)
    session.add(customer)
    session.flush()
    set_customer_words(session, customer.id, name, address)
    return customer


def add_account(session: Session, *, account_number: str, customer_id: int, category: str,
                tariff_id: int, cycle_id: int, route_id: int, walk_order: int,
                opened_on: date) -> Account:
    """A new active account with a zero balance (flushed: it has its id)."""
    account = Account(account_number=account_number, customer_id=customer_id,
                      category=category, tariff_id=tariff_id, cycle_id=cycle_id,
                      route_id=route_id, walk_order=walk_order, status="active",
                      opened_on=opened_on, balance_minor=0)
    session.add(account)
    session.flush()
    return account


def add_premise(session: Session, *, account_id: int, address: str,
                sanctioned_load_kw: Decimal, phases: int, connected_on: date) -> None:
    session.add(Premise(account_id=account_id, address=address,
                        sanctioned_load_kw=sanctioned_load_kw, phases=phases,
                        connected_on=connected_on))
    session.flush()


def add_note(session: Session, account_id: int, user_id: int | None, body: str) -> int:
    """A note on the account; returns its id."""
    row = AccountNote(account_id=account_id, user_id=user_id, text=body)
    session.add(row)
    session.flush()
    return row.id
