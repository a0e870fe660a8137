"""Posting a payment exactly once: one transaction, found again by its idempotency key.

Why this order inside the transaction: the account row is locked first (its balance moves),
then the payment row is inserted, so a second submission of the same key (a double click,
a retry after a timeout, another process) either sees the committed payment at once or
waits on the unique key and gets an IntegrityError, after which it re-reads and returns
the first payment. The receipt number is taken from the counter's own series row late in
the transaction (counters never wait for each other's numbers), and a rollback returns
the number, so series stay gapless. Printing is queued here and done after commit: a
printer that is off never loses a payment.

The payment goes into the acting clerk's own open shift at the counter, never into another
clerk's (:mod:`.ownership`); the shift row is read FOR SHARE on PostgreSQL so a close
waits for the payments being posted into it. A counter payment above what is owed or
above the per-payment limit is refused unless confirmed or approved
(:mod:`.payment_checks`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Date, DateTime, bindparam, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ebs_desktop.domain.cash import CardTender, CashTender, ChequeTender, Tender, settle_tenders
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.payment_allocation import allocate
from ebs_desktop.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    Counter,
    LedgerEntry,
    Payment,
    PaymentAllocation,
    PaymentTender,
    Receipt,
)
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.auth import verify_supervisor
from ebs_desktop.services.counter.ledger_ops import (
    GL_FOR_TENDER,
    bump_account,
    ledger_balance,
    open_bills,
    write_journal,
)
from ebs_desktop.services.counter.payment_checks import (
    check_credit,
    check_limit,
    owed_before,
)
from ebs_desktop.services.counter.records import PaymentResult
from ebs_desktop.services.guard import require
from ebs_desktop.services.numbering import format_number, take_number
from ebs_desktop.services.settings import UtilitySettings, get_settings

NumberSource = Callable[[Session, str, str], tuple[str, int]]
BANK_SERIES = "BANK"


def gapless_number(session: Session, series: str, prefix: str) -> tuple[str, int]:
    """The receipt number from the series row, locked until commit (see numbering)."""
    return take_number(session, series, prefix, width=6)


def max_plus_one_number(session: Session, series: str, prefix: str) -> tuple[str, int]:
    """DELIBERATELY BROKEN (tests only): two counters read the same MAX and collide."""
    top = session.scalar(select(func.max(Receipt.seq)).where(Receipt.series == series))
    seq = int(top or 0) + 1
    return format_number(prefix, seq, 6), seq


def receipt_series(code: str, when: date) -> tuple[str, str]:
    return f"{code}-{when.year}", f"{code}-{when.year}-"


@dataclass(frozen=True)
class PaymentRequest:
    account_number: str
    tenders: tuple[Tender, ...]
    idempotency_key: str
    amount: Money | None = None
    override: tuple[int, ...] = ()
    counter_code: str | None = None
    channel: str = "counter"
    allow_credit: bool = False
    """The clerk confirmed that the part above what is owed stays as credit."""
    approver: Actor | None = None
    """The supervisor (already signed in) approving a payment above the limit."""


_KEY_TAKEN = text("SELECT 1 FROM payments WHERE idempotency_key = :k")
_OPEN_SHIFT_SQL = ("SELECT s.id, c.printer_id, s.clerk_id, u.username FROM shifts s"
                   " JOIN counters c ON c.id = s.counter_id JOIN users u ON u.id = s.clerk_id"
                   " WHERE c.code = :c AND s.status = 'open'")
_OPEN_SHIFT = text(_OPEN_SHIFT_SQL)
_OPEN_SHIFT_SHARED = text(_OPEN_SHIFT_SQL + " FOR SHARE OF s")
_CURRENCY = text("SELECT value FROM settings WHERE key = 'currency'")
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


def _currency(conn: Connection) -> str:
    """The utility's currency (the one setting a posting needs), read without the ORM."""
    value = conn.execute(_CURRENCY).scalar()
    return str(json.loads(value)) if value is not None else UtilitySettings().currency


def _check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > 64:
        raise ValidationError("idempotency key must be 1-64 characters", location="key")
    return key


def _tender_row(payment_id: int, tender: Tender, applied: Money) -> dict[str, object]:
    row: dict[str, object] = {
        "payment_id": payment_id, "tender": tender.kind, "amount_minor": applied.minor,
        "tendered_minor": None, "change_minor": 0, "card_scheme": None, "card_last4": None,
        "approval_code": None, "cheque_number": None, "cheque_bank": None,
        "cheque_date": None, "reference": None}
    if isinstance(tender, CashTender):
        row["tendered_minor"] = tender.tendered.minor
        row["change_minor"] = tender.tendered.minor - applied.minor
    elif isinstance(tender, CardTender):
        row.update(card_scheme=tender.scheme.upper(), card_last4=tender.last4,
                   approval_code=tender.approval_code.upper())
    elif isinstance(tender, ChequeTender):
        row.update(cheque_number=tender.number, cheque_bank=tender.bank.strip(),
                   cheque_date=tender.cheque_date)
    else:
        row["reference"] = tender.reference.strip()[:140]
    return row


def _shift_for(session: Session, actor: Actor, counter_code: str) -> tuple[int, int | None]:
    """The acting clerk's open shift at the counter (id, printer id)."""
    conn = session.connection()
    query = _OPEN_SHIFT_SHARED if conn.dialect.name == "postgresql" else _OPEN_SHIFT
    row = conn.execute(query, {"c": counter_code}).one_or_none()
    if row is None:
        if session.scalar(select(Counter.id).where(Counter.code == counter_code)) is None:
            raise NotFound(f"no counter {counter_code!r}")
        raise ConflictError(f"no open shift at counter {counter_code}; open a shift first")
    if actor.user_id is None or int(row[2]) != actor.user_id:
        owner = row[3]
        raise PermissionDenied(f"shift {row[0]} at counter {counter_code} belongs to {owner}: "
                               f"only {owner} may post to it")
    return int(row[0]), row[1]


def payment_by_key(session: Session, key: str) -> PaymentResult | None:
    """The payment already posted under ``key``, as the first submission returned it."""
    row = session.execute(
        select(Payment.id, Payment.amount_minor, Account.account_number, Account.id)
        .join(Account, Account.id == Payment.account_id)
        .where(Payment.idempotency_key == key)).one_or_none()
    if row is None:
        return None
    payment_id, amount_minor, number, account_id = int(row[0]), int(row[1]), row[2], int(row[3])
    currency = get_settings(session).currency
    receipt = session.scalar(select(Receipt.number).where(
        Receipt.payment_id == payment_id, Receipt.kind == "payment"))
    change = session.scalar(select(func.coalesce(func.sum(PaymentTender.change_minor), 0))
                            .where(PaymentTender.payment_id == payment_id))
    allocations = tuple((int(b), int(m)) for b, m in session.execute(
        select(PaymentAllocation.bill_id, PaymentAllocation.amount_minor)
        .where(PaymentAllocation.payment_id == payment_id,
               PaymentAllocation.reversal_id.is_(None)).order_by(PaymentAllocation.id)))
    journal = session.scalar(select(func.min(LedgerEntry.journal_id)).where(
        LedgerEntry.payment_id == payment_id, LedgerEntry.gl_code == "AR"))
    balance = ledger_balance(session, account_id, int(journal) if journal else None)
    return PaymentResult(
        payment_id, str(receipt), number, Money(amount_minor, currency), Money(balance, currency),
        Money(int(change or 0), currency), allocations,
        Money(amount_minor - sum(m for _, m in allocations), currency), replayed=True)


def post_payment_in(session: Session, actor: Actor, req: PaymentRequest, *,
                    today: date | None = None,
                    number_source: NumberSource = gapless_number) -> PaymentResult:
    """The posting inside the caller's transaction (the bank import uses it per line)."""
    key = _check_key(req.idempotency_key)
    conn = session.connection()
    existing = None
    if conn.execute(_KEY_TAKEN, {"k": key}).first() is not None:
        existing = payment_by_key(session, key)
    if existing is not None:
        if existing.account_number != req.account_number:
            raise ConflictError(f"key {key!r} was already used for account "
                                f"{existing.account_number}")
        return existing
    currency = _currency(conn)
    today = today or datetime.now(UTC).date()
    amount = req.amount
    if amount is None:
        amount = Money.zero(currency)
        for t in req.tenders:
            amount = amount + (t.tendered if isinstance(t, CashTender) else t.amount)
    if amount.currency != currency:
        raise ValidationError(f"the utility takes {currency}, not {amount.currency}",
                              location="amount")
    settlement = settle_tenders(amount, req.tenders, today=today)
    for i, item in enumerate(settlement.applied, start=1):
        if item.applied.minor == 0:
            raise ValidationError("this cash is not needed: the other tenders cover the "
                                  "amount", location=f"tender[{i}]")
    shift_id: int | None = None
    printer_id: int | None = None
    supervisor: str | None = None
    counter = req.channel == "counter"
    if counter:
        if not req.counter_code:
            raise ValidationError("a counter payment needs a counter", location="counter")
        shift_id, printer_id = _shift_for(session, actor, req.counter_code)
        supervisor = check_limit(conn, actor, req.approver, amount)
    account_id, balance = bump_account(session, req.account_number, -amount.minor)
    owed = owed_before(balance, amount)
    if counter:
        check_credit(req.account_number, owed, amount, req.allow_credit)
    now = datetime.now(UTC)
    payment_id = int(conn.execute(_INSERT_PAYMENT, {
        "k": key, "a": account_id, "s": shift_id, "m": amount.minor, "c": actor.user_id,
        "ch": req.channel, "at": now}).scalar_one())
    conn.execute(_INSERT_TENDER, [
        _tender_row(payment_id, item.tender, item.applied) for item in settlement.applied])
    allocation = allocate(amount, open_bills(session, account_id), req.override)
    if allocation.lines:
        conn.execute(_INSERT_ALLOCATION, [{"p": payment_id, "b": b, "m": m}
                                          for b, m in allocation.lines])
    gl = "BANK" if req.channel == "bank" else None
    side: dict[str, int] = {}
    for item in settlement.applied:
        code = gl or GL_FOR_TENDER[item.tender.kind]
        side[code] = side.get(code, 0) + item.applied.minor
    write_journal(session, "bank_payment" if req.channel == "bank" else "payment", today,
                  f"payment {req.account_number}", actor.user_id,
                  [{"gl_code": "AR", "account_id": account_id, "amount_minor": -amount.minor,
                    "payment_id": payment_id},
                   *({"gl_code": c, "amount_minor": m, "payment_id": payment_id}
                     for c, m in side.items())])
    series, prefix = receipt_series(req.counter_code or BANK_SERIES, today)
    number, seq = number_source(session, series, prefix)
    receipt_id = int(conn.execute(_INSERT_RECEIPT, {
        "s": series, "q": seq, "n": number, "p": payment_id, "at": now}).scalar_one())
    if req.channel == "counter":
        conn.execute(_INSERT_JOB, {"r": receipt_id, "pr": printer_id, "at": now})
    after: dict[str, object] = {"account": req.account_number, "amount": str(amount),
                                "key": key, "receipt": number, "channel": req.channel}
    if counter and amount > owed:
        after["credit"] = str(amount - owed)
    if supervisor is not None:
        after["supervisor"] = supervisor
    audit.record(session, actor, "payment.post", "payment", payment_id, after=after)
    return PaymentResult(payment_id, number, req.account_number, amount,
                         Money(balance, currency), settlement.change, allocation.lines,
                         allocation.credit)


def post_payment(db: Database, actor: Actor, counter_code: str | None, account_number: str,
                 tenders: Sequence[Tender], idempotency_key: str,
                 allocation_override: Sequence[int] | None = None, *,
                 amount: Money | None = None, today: date | None = None,
                 allow_credit: bool = False, supervisor: tuple[str, str] | None = None,
                 number_source: NumberSource = gapless_number) -> PaymentResult:
    """Post one counter payment (amount defaults to the tenders' sum, i.e. no change).

    The same ``idempotency_key`` always returns the first payment (``replayed=True``).
    ``allow_credit`` confirms a payment above what is owed; ``supervisor`` (username,
    password) approves one above the per-payment limit. ``number_source`` exists for the
    concurrency test's deliberately broken variant.
    """
    require(actor, "payment.post")
    approver = None
    if supervisor is not None:
        approver = verify_supervisor(db, supervisor[0], supervisor[1], "payment.approve_large")
    req = PaymentRequest(account_number.strip(), tuple(tenders), idempotency_key, amount,
                         tuple(allocation_override or ()), counter_code,
                         allow_credit=allow_credit, approver=approver)
    try:
        with db.write() as session:
            return post_payment_in(session, actor, req, today=today,
                                   number_source=number_source)
    except IntegrityError:
        # Another submission of the same key committed while we worked: return it.
        with db.read() as session:
            found = payment_by_key(session, _check_key(idempotency_key))
        if found is None:
            raise
        return found
