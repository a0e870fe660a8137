"""Posting a payment exactly once: one transaction, found again by its idempotency key.

Why this order inside the transaction: the account row is locked first (before the open
bills are read; the journal moves its balance later, through the ledger writer), then the
payment row is inserted, so a second submission of the same key (a double click,
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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ebs_desktop.domain.cash import CardTender, CashTender, ChequeTender, Tender, settle_tenders
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.payment_allocation import allocate
from ebs_desktop.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.ledger import post_journal
from ebs_desktop.persistence.stores import counter as store
from ebs_desktop.persistence.tx import IntegrityError, Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.auth import verify_supervisor
from ebs_desktop.services.counter.ledger_ops import GL_FOR_TENDER, lock_account
from ebs_desktop.services.counter.payment_checks import (
    LIMIT_SETTING,
    check_credit,
    check_limit,
    owed_before,
    payment_limit,
)
from ebs_desktop.services.counter.records import PaymentResult
from ebs_desktop.services.guard import require
from ebs_desktop.services.notify import events as notify
from ebs_desktop.services.numbering import take_number
from ebs_desktop.services.settings import UtilitySettings
from ebs_desktop.services.settings import currency as utility_currency

BANK_SERIES = "BANK"
ONLINE_SERIES = "ONLINE"
# Where each channel's money sits until it reaches the bank (a counter's: per tender).
GL_FOR_CHANNEL = {"bank": "BANK", "online": "GATEWAY"}


def take_receipt_number(session: Session, series: str, prefix: str) -> tuple[str, int]:
    """The receipt number from the series row, locked until commit (see numbering).

    The one function a posting numbers its receipt with, looked up when called: the
    concurrency test replaces this module attribute, in its own worker processes, with a
    deliberately broken variant (``tests/support/broken_numbering.py``) to show that the
    books check catches it."""
    return take_number(session, series, prefix, width=6)


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


def _currency(stored: str | None) -> str:
    """The utility's currency from its stored JSON text (None: unset, the default)."""
    return str(json.loads(stored)) if stored is not None else UtilitySettings().currency


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
    row = store.open_shift_for_posting(session.connection(), counter_code)
    if row is None:
        if store.counter_id(session, counter_code) is None:
            raise NotFound(f"no counter {counter_code!r}")
        raise ConflictError(f"no open shift at counter {counter_code}; open a shift first")
    shift_id, printer_id, clerk_id, owner = row
    if actor.user_id is None or clerk_id != actor.user_id:
        raise PermissionDenied(f"shift {shift_id} at counter {counter_code} belongs to "
                               f"{owner}: only {owner} may post to it")
    return shift_id, printer_id


def payment_by_key(session: Session, key: str) -> PaymentResult | None:
    """The payment already posted under ``key``, as the first submission returned it."""
    row = store.payment_of_key(session, key)
    if row is None:
        return None
    payment_id, amount_minor, number, account_id = row
    currency = utility_currency(session)
    receipt = store.payment_receipt_number(session, payment_id)
    change = store.payment_change(session, payment_id)
    allocations = tuple(store.live_allocations(session, payment_id))
    balance = store.ledger_balance(session, account_id, store.payment_journal(session, payment_id))
    return PaymentResult(
        payment_id, str(receipt), number, Money(amount_minor, currency), Money(balance, currency),
        Money(change, currency), allocations,
        Money(amount_minor - sum(m for _, m in allocations), currency), replayed=True)


def post_payment_in(session: Session, actor: Actor, req: PaymentRequest, *,
                    today: date | None = None) -> PaymentResult:
    """The posting inside the caller's transaction (the bank import uses it per line)."""
    key = _check_key(req.idempotency_key)
    conn = session.connection()
    existing = None
    if store.key_taken(conn, key):
        existing = payment_by_key(session, key)
    if existing is not None:
        if existing.account_number != req.account_number:
            raise ConflictError(f"key {key!r} was already used for account "
                                f"{existing.account_number}")
        return existing
    stored = store.posting_settings(conn)
    currency = _currency(stored.get("currency"))
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
        supervisor = check_limit(payment_limit(stored.get(LIMIT_SETTING), currency), actor,
                                 req.approver, amount)
    # lock first, then read what the posting depends on (see ledger_ops)
    account_id, balance_before = lock_account(session, req.account_number)
    owed = owed_before(balance_before, currency)
    if counter:
        check_credit(req.account_number, owed, amount, req.allow_credit)
    now = datetime.now(UTC)
    payment_id = store.insert_payment(conn, key, account_id, shift_id, amount.minor,
                                      actor.user_id, req.channel, now)
    store.insert_tenders(conn, [_tender_row(payment_id, item.tender, item.applied)
                                   for item in settlement.applied])
    allocation = allocate(amount, store.open_bills(session, account_id), req.override)
    store.insert_allocations(conn, payment_id, allocation.lines)
    gl = GL_FOR_CHANNEL.get(req.channel)
    side: dict[str, int] = {}
    for item in settlement.applied:
        code = gl or GL_FOR_TENDER[item.tender.kind]
        side[code] = side.get(code, 0) + item.applied.minor
    posted = post_journal(
        session, "bank_payment" if req.channel == "bank" else "payment", today,
        f"payment {req.account_number}", actor.user_id,
        [{"gl_code": "AR", "account_id": account_id, "amount_minor": -amount.minor,
          "payment_id": payment_id},
         *({"gl_code": c, "amount_minor": m, "payment_id": payment_id}
           for c, m in side.items())])
    series, prefix = receipt_series(
        req.counter_code or (ONLINE_SERIES if req.channel == "online" else BANK_SERIES), today)
    number, seq = take_receipt_number(session, series, prefix)
    receipt_id = store.insert_payment_receipt(conn, series, seq, number, payment_id, now)
    if req.channel == "counter":
        store.queue_receipt(conn, receipt_id, printer_id, now)
    after: dict[str, object] = {"account": req.account_number, "amount": str(amount),
                                "key": key, "receipt": number, "channel": req.channel}
    if counter and amount > owed:
        after["credit"] = str(amount - owed)
    if supervisor is not None:
        after["supervisor"] = supervisor
    balance = Money(posted.balances[account_id], currency)
    notify.payment_posted(session, account_id, number, amount, today, balance)
    audit.record(session, actor, "payment.post", "payment", payment_id, after=after)
    return PaymentResult(payment_id, number, req.account_number, amount, balance,
                         settlement.change,
                         allocation.lines, allocation.credit)


def post_payment(db: Database, actor: Actor, counter_code: str | None, account_number: str,
                 tenders: Sequence[Tender], idempotency_key: str,
                 allocation_override: Sequence[int] | None = None, *,
                 amount: Money | None = None, today: date | None = None,
                 allow_credit: bool = False,
                 supervisor: tuple[str, str] | None = None) -> PaymentResult:
    """Post one counter payment (amount defaults to the tenders' sum, i.e. no change).

    The same ``idempotency_key`` always returns the first payment (``replayed=True``).
    ``allow_credit`` confirms a payment above what is owed; ``supervisor`` (username,
    password) approves one above the per-payment limit.
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
            return post_payment_in(session, actor, req, today=today)
    except IntegrityError:
        # Another submission of the same key committed while we worked: return it.
        with db.read() as session:
            found = payment_by_key(session, _check_key(idempotency_key))
        if found is None:
            raise
        return found
