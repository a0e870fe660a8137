"""The counter's store: every query of payments, shifts, Z-reports, counters, printers,
receipts and their print jobs, and the one dialect branch (a shift read FOR SHARE on
PostgreSQL while a payment is posted into it).

The posting's hot path (a clerk waits on it) is Core ``text()`` on the session's
connection; the rest reads single objects and their relations through the ORM. The ledger
itself is written by :mod:`ebs_desktop.persistence.ledger` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from ebs_desktop.domain.payment_allocation import OpenBill
from ebs_desktop.persistence.models import (
    Account,
    Bill,
    Counter,
    Customer,
    LedgerEntry,
    Payment,
    PaymentAllocation,
    PaymentReversal,
    PaymentTender,
    Printer,
    PrintJob,
    Receipt,
    SafeDrop,
    Shift,
    ShiftCount,
    User,
    UserRole,
    ZReport,
)

# --- settings read on the hot path (raw JSON text; the service parses it) -----------------

_POSTING_SETTINGS = text("SELECT key, value FROM settings"
                         " WHERE key IN ('currency', 'payment_supervisor_limit')")


def posting_settings(conn: Connection) -> dict[str, str]:
    """The stored JSON text of the two settings a posting reads (``currency``,
    ``payment_supervisor_limit``), those that are set, in one read without the ORM."""
    return {str(k): str(v) for k, v in conn.execute(_POSTING_SETTINGS)}


# --- the ledger side: open bills, the true balance ---------------------------------------

_OPEN_BILLS = text(
    "SELECT b.id, b.due_date, b.total_minor - COALESCE("
    " (SELECT SUM(pa.amount_minor) FROM payment_allocations pa WHERE pa.bill_id = b.id), 0)"
    " FROM bills b WHERE b.account_id = :a"
    " AND NOT EXISTS (SELECT 1 FROM credit_notes cn WHERE cn.bill_id = b.id)"
    " ORDER BY b.due_date, b.id")


def open_bills(session: Session, account_id: int) -> list[OpenBill]:
    """Bills minus what payments (and reversals) allocated, without credit-noted bills."""
    out: list[OpenBill] = []
    for bill_id, due, open_minor in session.execute(_OPEN_BILLS, {"a": account_id}):
        if int(open_minor) > 0:
            due_date = due if isinstance(due, date) else date.fromisoformat(str(due))
            out.append((int(bill_id), due_date, int(open_minor)))
    return out


def ledger_balance(session: Session, account_id: int, upto_journal: int | None = None) -> int:
    """Sum of the account's AR entries (optionally up to one journal): the true balance."""
    stmt = select(func.coalesce(func.sum(LedgerEntry.amount_minor), 0)).where(
        LedgerEntry.account_id == account_id, LedgerEntry.gl_code == "AR")
    if upto_journal is not None:
        stmt = stmt.where(LedgerEntry.journal_id <= upto_journal)
    return int(session.scalar(stmt) or 0)


def payment_journal(session: Session, payment_id: int, *, last: bool = False) -> int | None:
    """The payment's first AR journal (its posting), or with ``last`` its latest one."""
    agg = func.max if last else func.min
    journal = session.scalar(select(agg(LedgerEntry.journal_id)).where(
        LedgerEntry.payment_id == payment_id, LedgerEntry.gl_code == "AR"))
    return int(journal) if journal else None


# --- posting a payment (Core text on the session's connection: the hot path) -------------

_KEY_TAKEN = text("SELECT 1 FROM payments WHERE idempotency_key = :k")
_OPEN_SHIFT_SQL = ("SELECT s.id, c.printer_id, s.clerk_id, u.username FROM shifts s"
                   " JOIN counters c ON c.id = s.counter_id JOIN users u ON u.id = s.clerk_id"
                   " WHERE c.code = :c AND s.status = 'open'")
_OPEN_SHIFT = text(_OPEN_SHIFT_SQL)
_OPEN_SHIFT_SHARED = text(_OPEN_SHIFT_SQL + " FOR SHARE OF s")
_AT = bindparam("at", type_=DateTime(timezone=True))
_INSERT_PAYMENT = text(
    "INSERT INTO payments (idempotency_key, account_id, shift_id, amount_minor, clerk_id,"
    " channel, received_at) VALUES (:k, :a, :s, :m, :c, :ch, :at) RETURNING id"
).bindparams(_AT)
_INSERT_TENDER = text(
    "INSERT INTO payment_tenders (payment_id, tender, amount_minor, tendered_minor,"
    " change_minor, card_scheme, card_last4, approval_code, cheque_number, cheque_bank,"
    " cheque_date, reference) VALUES (:payment_id, :tender, :amount_minor, :tendered_minor,"
    " :change_minor, :card_scheme, :card_last4, :approval_code, :cheque_number,"
    " :cheque_bank, :cheque_date, :reference)"
).bindparams(bindparam("cheque_date", type_=Date()))
_INSERT_ALLOCATION = text(
    "INSERT INTO payment_allocations (payment_id, bill_id, amount_minor) VALUES (:p, :b, :m)")
_INSERT_RECEIPT = text(
    "INSERT INTO receipts (series, seq, number, kind, payment_id, created_at)"
    " VALUES (:s, :q, :n, 'payment', :p, :at) RETURNING id").bindparams(_AT)
_INSERT_JOB = text(
    "INSERT INTO print_jobs (receipt_id, printer_id, duplicate, status, attempts, created_at)"
    " VALUES (:r, :pr, false, 'queued', 0, :at)").bindparams(_AT)


def key_taken(conn: Connection, key: str) -> bool:
    return conn.execute(_KEY_TAKEN, {"k": key}).first() is not None


def open_shift_for_posting(conn: Connection, counter_code: str
                           ) -> tuple[int, int | None, int, str] | None:
    """The counter's open shift (id, printer id, clerk id, clerk's username), read FOR
    SHARE on PostgreSQL so a close waits for the payments being posted into it."""
    query = _OPEN_SHIFT_SHARED if conn.dialect.name == "postgresql" else _OPEN_SHIFT
    row = conn.execute(query, {"c": counter_code}).one_or_none()
    if row is None:
        return None
    return int(row[0]), None if row[1] is None else int(row[1]), int(row[2]), str(row[3])


def insert_payment(conn: Connection, key: str, account_id: int, shift_id: int | None,
                   amount_minor: int, clerk_id: int | None, channel: str,
                   at: datetime) -> int:
    return int(conn.execute(_INSERT_PAYMENT, {
        "k": key, "a": account_id, "s": shift_id, "m": amount_minor, "c": clerk_id,
        "ch": channel, "at": at}).scalar_one())


def insert_tenders(conn: Connection, rows: Sequence[dict[str, object]]) -> None:
    """Tender rows with every column of ``payment_tenders`` but the id."""
    conn.execute(_INSERT_TENDER, list(rows))


def insert_allocations(conn: Connection, payment_id: int,
                       lines: Iterable[tuple[int, int]]) -> None:
    rows = [{"p": payment_id, "b": b, "m": m} for b, m in lines]
    if rows:
        conn.execute(_INSERT_ALLOCATION, rows)


def insert_payment_receipt(conn: Connection, series: str, seq: int, number: str,
                           payment_id: int, at: datetime) -> int:
    return int(conn.execute(_INSERT_RECEIPT, {
        "s": series, "q": seq, "n": number, "p": payment_id, "at": at}).scalar_one())


def queue_receipt(conn: Connection, receipt_id: int, printer_id: int | None,
                  at: datetime) -> None:
    """The print job of a new payment receipt (not a duplicate)."""
    conn.execute(_INSERT_JOB, {"r": receipt_id, "pr": printer_id, "at": at})


# --- a payment found again ---------------------------------------------------------------

def payment_of_key(session: Session, key: str) -> tuple[int, int, str, int] | None:
    """(payment id, amount, account number, account id) of the payment under ``key``."""
    row = session.execute(
        select(Payment.id, Payment.amount_minor, Account.account_number, Account.id)
        .join(Account, Account.id == Payment.account_id)
        .where(Payment.idempotency_key == key)).one_or_none()
    return None if row is None else (int(row[0]), int(row[1]), str(row[2]), int(row[3]))


def payment_receipt_number(session: Session, payment_id: int) -> str | None:
    return session.scalar(select(Receipt.number).where(
        Receipt.payment_id == payment_id, Receipt.kind == "payment"))


def payment_change(session: Session, payment_id: int) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(PaymentTender.change_minor), 0))
                              .where(PaymentTender.payment_id == payment_id)) or 0)


def live_allocations(session: Session, payment_id: int) -> list[tuple[int, int]]:
    """(bill id, minor units) the payment allocated and no reversal undid, in order."""
    return [(int(b), int(m)) for b, m in session.execute(
        select(PaymentAllocation.bill_id, PaymentAllocation.amount_minor)
        .where(PaymentAllocation.payment_id == payment_id,
               PaymentAllocation.reversal_id.is_(None)).order_by(PaymentAllocation.id))]


def payment(session: Session, payment_id: int) -> Payment | None:
    return session.get(Payment, payment_id)


def payment_tenders(session: Session, payment_id: int) -> list[PaymentTender]:
    return list(session.scalars(select(PaymentTender).where(
        PaymentTender.payment_id == payment_id).order_by(PaymentTender.id)))


def tender_amounts(session: Session, payment_id: int) -> list[tuple[str, int]]:
    """(tender kind, applied minor units) of a payment."""
    return [(str(k), int(m)) for k, m in session.execute(
        select(PaymentTender.tender, PaymentTender.amount_minor)
        .where(PaymentTender.payment_id == payment_id))]


# --- the account position (what the clerk sees) ------------------------------------------

def account_head(session: Session, account_number: str) -> tuple[int, str, int] | None:
    """(account id, customer name, cached balance)."""
    row = session.execute(select(Account.id, Customer.name, Account.balance_minor)
                          .join(Customer, Customer.id == Account.customer_id)
                          .where(Account.account_number == account_number)).one_or_none()
    return None if row is None else (int(row[0]), str(row[1]), int(row[2]))


def account_and_name(session: Session, account_id: int) -> tuple[str, str]:
    number, name = session.execute(
        select(Account.account_number, Customer.name).join(
            Customer, Customer.id == Account.customer_id)
        .where(Account.id == account_id)).one()
    return str(number), str(name)


def bill_number_period(session: Session, bill_id: int) -> tuple[str, str]:
    number, period = session.execute(select(Bill.bill_number, Bill.period)
                                     .where(Bill.id == bill_id)).one()
    return str(number), str(period)


def last_payments(session: Session, account_id: int, last: int
                  ) -> list[tuple[int, datetime, int, str, bool]]:
    """The account's newest payments: (id, received at, amount, receipt, reversed)."""
    return [(int(pid), at, int(minor), str(receipt), reversed_id is not None)
            for pid, at, minor, receipt, reversed_id in session.execute(
                select(Payment.id, Payment.received_at, Payment.amount_minor, Receipt.number,
                       PaymentReversal.id)
                .join(Receipt, (Receipt.payment_id == Payment.id) & (Receipt.kind == "payment"))
                .outerjoin(PaymentReversal, PaymentReversal.payment_id == Payment.id)
                .where(Payment.account_id == account_id)
                .order_by(Payment.id.desc()).limit(last))]


def tender_kinds(session: Session, payment_id: int) -> tuple[str, ...]:
    return tuple(session.scalars(select(PaymentTender.tender)
                                 .where(PaymentTender.payment_id == payment_id)
                                 .order_by(PaymentTender.id)))


# --- users and counters ------------------------------------------------------------------

def user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_roles(session: Session, user_id: int) -> set[str]:
    return set(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))


def username(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return session.scalar(select(User.username).where(User.id == user_id))


def counter_id(session: Session, code: str) -> int | None:
    cid = session.scalar(select(Counter.id).where(Counter.code == code))
    return None if cid is None else int(cid)


def counter_code(session: Session, counter_id: int) -> str | None:
    return session.scalar(select(Counter.code).where(Counter.id == counter_id))


def counter_printer_id(session: Session, code: str) -> int | None:
    return session.scalar(select(Counter.printer_id).where(Counter.code == code))


def first_active_counter(session: Session) -> str | None:
    first = session.scalar(select(Counter.code).where(Counter.is_active.is_(True))
                           .order_by(Counter.id).limit(1))
    return None if first is None else str(first)


def counter_rows(session: Session) -> list[tuple[str, str, str, bool]]:
    """(code, name, printer name or "", active) of every counter, by code."""
    rows = session.execute(select(Counter.code, Counter.name, Printer.name, Counter.is_active)
                           .outerjoin(Printer, Printer.id == Counter.printer_id)
                           .order_by(Counter.code))
    return [(str(c), str(n), str(p or ""), bool(a)) for c, n, p, a in rows]


def counter_by_code(session: Session, code: str) -> Counter | None:
    return session.scalar(select(Counter).where(Counter.code == code))


def add_counter(session: Session, code: str, name: str, printer_id: int | None,
                active: bool) -> Counter:
    counter = Counter(code=code, name=name, printer_id=printer_id, is_active=active)
    session.add(counter)
    session.flush()
    return counter


# --- printers ------------------------------------------------------------------------------

def all_printers(session: Session) -> list[Printer]:
    return list(session.scalars(select(Printer).order_by(Printer.name)))


def printer(session: Session, printer_id: int) -> Printer | None:
    return session.get(Printer, printer_id)


def printer_by_name(session: Session, name: str) -> Printer | None:
    return session.scalar(select(Printer).where(Printer.name == name))


def add_printer(session: Session, name: str, values: dict[str, Any]) -> Printer:
    row = Printer(name=name, **values)
    session.add(row)
    session.flush()
    return row


# --- shifts --------------------------------------------------------------------------------

def open_shift_at(session: Session, counter_code: str, *,
                  for_update: bool = False) -> Shift | None:
    """The counter's open shift, whoever's it is (locked with ``for_update``)."""
    stmt = (select(Shift).join(Counter, Counter.id == Shift.counter_id)
            .where(Counter.code == counter_code, Shift.status == "open"))
    return session.scalar(stmt.with_for_update() if for_update else stmt)


def has_open_shift(session: Session, counter_id: int) -> bool:
    return session.scalar(select(Shift.id).where(Shift.counter_id == counter_id,
                                                 Shift.status == "open")) is not None


def open_shift_count(session: Session, counter_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(Shift).where(
        Shift.counter_id == counter_id, Shift.status == "open")) or 0)


def shift_awaiting_approval(session: Session, counter_id: int) -> Shift | None:
    """The counter's oldest closed shift still waiting for a supervisor's approval."""
    return session.scalar(select(Shift).where(
        Shift.counter_id == counter_id, Shift.status == "closed",
        Shift.needs_approval.is_(True), Shift.approved_by.is_(None))
        .order_by(Shift.id).limit(1))


def clerks_open_shift(session: Session, user_id: int) -> tuple[int, str] | None:
    """(shift id, counter code) of the clerk's open shift, if any."""
    row = session.execute(select(Shift.id, Counter.code)
                          .join(Counter, Counter.id == Shift.counter_id)
                          .where(Shift.clerk_id == user_id, Shift.status == "open")
                          .limit(1)).one_or_none()
    return None if row is None else (int(row[0]), str(row[1]))


def add_shift(session: Session, counter_id: int, clerk_id: int,
              opening_float_minor: int) -> Shift:
    shift = Shift(counter_id=counter_id, clerk_id=clerk_id, status="open",
                  opening_float_minor=opening_float_minor)
    session.add(shift)
    session.flush()
    return shift


def lock_shift(session: Session, shift_id: int) -> Shift | None:
    return session.get(Shift, shift_id, with_for_update=True)


def set_shift_approver(session: Session, shift: Shift, approver_id: int | None) -> None:
    """Record the approving supervisor and reload the shift."""
    session.execute(update(Shift).where(Shift.id == shift.id)
                    .values(approved_by=approver_id))
    session.flush()
    session.refresh(shift)


def insert_safe_drop(session: Session, shift_id: int, amount_minor: int,
                     user_id: int | None) -> int:
    return int(session.execute(insert(SafeDrop).values(
        shift_id=shift_id, amount_minor=amount_minor, user_id=user_id)
        .returning(SafeDrop.id)).scalar_one())


def insert_shift_counts(session: Session, rows: Sequence[dict[str, object]]) -> None:
    if rows:
        session.execute(insert(ShiftCount), list(rows))


def shift_takings(session: Session, shift_id: int) -> list[tuple[str, int]]:
    """(tender, applied minor units) summed over the shift's payments."""
    return [(str(k), int(total)) for k, total in session.execute(
        select(PaymentTender.tender, func.sum(PaymentTender.amount_minor))
        .join(Payment, Payment.id == PaymentTender.payment_id)
        .where(Payment.shift_id == shift_id).group_by(PaymentTender.tender))]


def shift_paid_out(session: Session, shift_id: int) -> list[tuple[str, int]]:
    """(reversed receipt, cash minor units) the shift's drawer paid out for reversals."""
    return [(str(number), int(total)) for number, total in session.execute(
        select(Receipt.number, func.sum(PaymentTender.amount_minor))
        .select_from(PaymentReversal)
        .join(PaymentTender, (PaymentTender.payment_id == PaymentReversal.payment_id)
              & (PaymentTender.tender == "cash"))
        .join(Receipt, (Receipt.payment_id == PaymentReversal.payment_id)
              & (Receipt.kind == "payment"))
        .where(PaymentReversal.shift_id == shift_id)
        .group_by(PaymentReversal.id, Receipt.number).order_by(PaymentReversal.id))]


def safe_drops(session: Session, shift_id: int) -> list[int]:
    """The shift's safe drops (minor units), in the order taken."""
    return [int(m) for m in session.scalars(
        select(SafeDrop.amount_minor).where(SafeDrop.shift_id == shift_id)
        .order_by(SafeDrop.id))]


def counted_total(session: Session, shift_id: int) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(ShiftCount.amount_minor), 0))
                              .where(ShiftCount.shift_id == shift_id)) or 0)


def counted_by_tender(session: Session, shift_id: int) -> list[tuple[str, int]]:
    return [(str(kind), int(total)) for kind, total in session.execute(
        select(ShiftCount.tender, func.sum(ShiftCount.amount_minor))
        .where(ShiftCount.shift_id == shift_id).group_by(ShiftCount.tender))]


def shift_receipt_span(session: Session, shift_id: int) -> tuple[int, str | None, str | None]:
    """(payment receipts, first number, last number) of the shift."""
    n, first, last = session.execute(
        select(func.count(Receipt.id), func.min(Receipt.number), func.max(Receipt.number))
        .join(Payment, Payment.id == Receipt.payment_id)
        .where(Payment.shift_id == shift_id, Receipt.kind == "payment")).one()
    return int(n or 0), first, last


def shift_reversal_count(session: Session, shift_id: int) -> int:
    return int(session.scalar(select(func.count(PaymentReversal.id)).join(
        Payment, Payment.id == PaymentReversal.payment_id)
        .where(Payment.shift_id == shift_id)) or 0)


def shift_payment_rows(session: Session, shift_id: int, limit: int = 500
                       ) -> list[tuple[str, str, int, datetime, bool]]:
    """(original receipt, account, amount, received at, reversed), newest first."""
    reversed_ids = select(PaymentReversal.payment_id)
    first_receipt = (select(Receipt.payment_id, func.min(Receipt.id).label("rid"))
                     .where(Receipt.reversal_id.is_(None))
                     .group_by(Receipt.payment_id).subquery())
    rows = session.execute(
        select(Receipt.number, Account.account_number, Payment.amount_minor,
               Payment.received_at, Payment.id.in_(reversed_ids))
        .join(first_receipt, first_receipt.c.payment_id == Payment.id)
        .join(Receipt, Receipt.id == first_receipt.c.rid)
        .join(Account, Account.id == Payment.account_id)
        .where(Payment.shift_id == shift_id)
        .order_by(Payment.id.desc()).limit(limit))
    return [(str(n), str(a), int(m), at, bool(r)) for n, a, m, at, r in rows]


def closed_shifts_opened(session: Session, start: datetime, end: datetime) -> list[Shift]:
    return list(session.scalars(
        select(Shift).where(Shift.status == "closed", Shift.opened_at >= start,
                            Shift.opened_at < end).order_by(Shift.id)))


# --- Z-reports -----------------------------------------------------------------------------

def z_report_of_shift(session: Session, shift_id: int) -> int | None:
    return session.scalar(select(ZReport.id).where(ZReport.shift_id == shift_id))


def day_z_report(session: Session, business_date: date) -> int | None:
    return session.scalar(select(ZReport.id).where(
        ZReport.shift_id.is_(None), ZReport.business_date == business_date))


def replace_z_report(session: Session, z_id: int, content: str) -> None:
    session.execute(update(ZReport).where(ZReport.id == z_id).values(content=content))


def insert_z_report(session: Session, shift_id: int | None, business_date: date,
                    content: str) -> int:
    return int(session.execute(insert(ZReport).values(
        shift_id=shift_id, business_date=business_date, content=content)
        .returning(ZReport.id)).scalar_one())


def z_report_content(session: Session, z_id: int) -> str | None:
    return session.scalar(select(ZReport.content).where(ZReport.id == z_id))


# --- receipts and the print queue --------------------------------------------------------

def receipt(session: Session, receipt_id: int) -> Receipt | None:
    return session.get(Receipt, receipt_id)


def receipt_id_of(session: Session, number: str) -> int | None:
    rid = session.scalar(select(Receipt.id).where(Receipt.number == number))
    return None if rid is None else int(rid)


def receipt_and_series(session: Session, number: str) -> tuple[int, str] | None:
    row = session.execute(select(Receipt.id, Receipt.series).where(
        Receipt.number == number)).one_or_none()
    return None if row is None else (int(row[0]), str(row[1]))


def payment_of_receipt(session: Session, number: str) -> tuple[int, str] | None:
    """(payment id, series) of a payment receipt (not a reversal's)."""
    row = session.execute(select(Receipt.payment_id, Receipt.series).where(
        Receipt.number == number, Receipt.kind == "payment")).one_or_none()
    return None if row is None else (int(row[0]), str(row[1]))


def shift_clerk(session: Session, shift_id: int) -> int | None:
    return session.scalar(select(Shift.clerk_id).where(Shift.id == shift_id))


def reversal(session: Session, reversal_id: int | None) -> PaymentReversal | None:
    return None if reversal_id is None else session.get(PaymentReversal, reversal_id)


def queued_job_ids(session: Session, printer_id: int | None, only_configured: bool,
                   limit: int) -> list[int]:
    """Queued print jobs oldest first: of ``printer_id`` if given, else with
    ``only_configured`` those that have a printer, else all."""
    stmt = select(PrintJob.id).where(PrintJob.status == "queued").order_by(PrintJob.id)
    if printer_id is not None:
        stmt = stmt.where(PrintJob.printer_id == printer_id)
    elif only_configured:
        stmt = stmt.where(PrintJob.printer_id.is_not(None))
    return [int(i) for i in session.scalars(stmt.limit(limit))]


def print_job(session: Session, job_id: int) -> PrintJob | None:
    return session.get(PrintJob, job_id)


def reprints_up_to(session: Session, job: PrintJob) -> int:
    """Which reprint of its receipt ``job`` is (1 for the first duplicate)."""
    return int(session.scalar(select(func.count(PrintJob.id)).where(
        PrintJob.receipt_id == job.receipt_id, PrintJob.duplicate.is_(True),
        PrintJob.id <= job.id)) or 0)


def reprints(session: Session, receipt_id: int) -> int:
    return int(session.scalar(select(func.count(PrintJob.id)).where(
        PrintJob.receipt_id == receipt_id, PrintJob.duplicate.is_(True))) or 0)


def job_failed(session: Session, job_id: int, error: str) -> None:
    session.execute(update(PrintJob).where(PrintJob.id == job_id).values(
        attempts=PrintJob.attempts + 1, last_error=error[:2000]))


def job_printed(session: Session, job_id: int, at: datetime) -> None:
    session.execute(update(PrintJob).where(PrintJob.id == job_id).values(
        attempts=PrintJob.attempts + 1, status="printed", printed_at=at, last_error=None))


def queue_job(session: Session, receipt_id: int, printer_id: int | None, *,
              duplicate: bool) -> int:
    """A print job (created now by the database's default); returns its id."""
    return int(session.execute(insert(PrintJob).values(
        receipt_id=receipt_id, printer_id=printer_id, duplicate=duplicate, status="queued",
        attempts=0).returning(PrintJob.id)).scalar_one())


# --- reversals ---------------------------------------------------------------------------

def is_reversed(session: Session, payment_id: int) -> bool:
    return session.scalar(select(PaymentReversal.id).where(
        PaymentReversal.payment_id == payment_id)) is not None


def insert_reversal(session: Session, payment_id: int, reason: str, fee_minor: int,
                    user_id: int | None, approved_by: int | None, shift_id: int | None) -> int:
    return int(session.execute(insert(PaymentReversal).values(
        payment_id=payment_id, reason=reason, fee_minor=fee_minor, user_id=user_id,
        approved_by=approved_by, shift_id=shift_id).returning(PaymentReversal.id))
        .scalar_one())


def reopen_allocations(session: Session, payment_id: int, reversal_id: int,
                       paid: Sequence[tuple[int, int]]) -> None:
    """Negative twins of the payment's allocations, tied to the reversal."""
    if paid:
        session.execute(insert(PaymentAllocation), [
            {"payment_id": payment_id, "bill_id": b, "amount_minor": -m,
             "reversal_id": reversal_id} for b, m in paid])


def insert_reversal_receipt(session: Session, series: str, seq: int, number: str,
                            payment_id: int, reversal_id: int) -> int:
    return int(session.execute(insert(Receipt).values(
        series=series, seq=seq, number=number, kind="reversal", payment_id=payment_id,
        reversal_id=reversal_id).returning(Receipt.id)).scalar_one())
