"""Everything the customer screen shows about one account, read in one unit of work.

The screen runs on another thread than the database work, so it gets frozen records, not
ORM rows: the ledger as a statement (each AR entry with the number of the document behind
it and the running balance after it), the bills with what was paid on them, the payments
with their receipt numbers, the consumption of the last periods and the notes. One call
per account keeps the screen to one round trip; a bill's lines come on demand
(:func:`bill_view`), since most visits never open one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import NotFound
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import accounts as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services.accounts import AccountDetails, account_details_in
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import currency as utility_currency

CONSUMPTION_PERIODS = 24


@dataclass(frozen=True)
class LedgerLine:
    entry_id: int
    entry_date: date
    kind: str  # journal kind: bill, payment, credit_note, reversal, ...
    description: str
    document: str  # bill, receipt or credit-note number ("" when none)
    amount: Money  # positive: the customer owes more
    balance: Money  # running balance after this line


@dataclass(frozen=True)
class BillSummary:
    id: int
    bill_number: str
    period: str
    revision: int
    kind: str
    issue_date: date
    due_date: date
    consumption_kwh: Decimal
    estimated: bool
    total: Money
    paid: Money
    cancelled: bool

    @property
    def open(self) -> Money:
        return Money(0, self.total.currency) if self.cancelled else self.total - self.paid


@dataclass(frozen=True)
class BillLineView:
    seq: int
    code: str
    description: str  # the line's explanation, as printed on the bill
    quantity: Decimal
    rate: Decimal
    amount: Money


@dataclass(frozen=True)
class BillView:
    summary: BillSummary
    account_number: str
    period_start: date
    period_end: date
    demand_kw: Decimal | None
    after_due: Money
    lines: tuple[BillLineView, ...]
    credit_note: str | None  # "number: reason" when the bill was cancelled


@dataclass(frozen=True)
class PaymentView:
    id: int
    received_at: datetime
    amount: Money
    channel: str
    tenders: str  # "cash", "cash+card"
    receipt_number: str
    reversed: bool


@dataclass(frozen=True)
class ConsumptionPoint:
    period: str
    kwh: Decimal
    estimated: bool


@dataclass(frozen=True)
class NoteView:
    id: int
    created_at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class AccountView:
    details: AccountDetails
    ledger: tuple[LedgerLine, ...]
    bills: tuple[BillSummary, ...]
    payments: tuple[PaymentView, ...]
    consumption: tuple[ConsumptionPoint, ...]  # oldest first, at most 24 periods
    notes: tuple[NoteView, ...]  # newest first


# What a customer's statement calls each kind of posting (journal descriptions name whole
# batches, "Bills B2026-0024000 to ...", which means nothing on one account's ledger).
_ENTRY_LABELS = {
    "bill": "Bill", "payment": "Payment, thank you", "bank_payment": "Bank transfer received",
    "credit_note": "Credit note", "reversal": "Payment reversed", "fee": "Fee",
    "adjustment": "Adjustment", "opening": "Opening balance",
}


def _entry_label(kind: str, period: str | None) -> str:
    label = _ENTRY_LABELS.get(kind, kind.replace("_", " ").capitalize())
    return f"{label} {period}" if kind == "bill" and period else label


def _ledger(session: Session, account_id: int, currency: str) -> tuple[LedgerLine, ...]:
    rows = store.ledger_rows(session, account_id)
    out: list[LedgerLine] = []
    balance = 0
    for entry_id, day, kind, period, amount, bill_no, receipt_no, credit_no in rows:
        balance += amount
        document = bill_no or receipt_no or credit_no or ""
        out.append(LedgerLine(entry_id, day, kind, _entry_label(kind, period), document,
                              Money(amount, currency), Money(balance, currency)))
    return tuple(out)


def _bills(session: Session, account_id: int, currency: str) -> tuple[BillSummary, ...]:
    rows = store.bill_rows(session, account_id)
    return tuple(
        BillSummary(b.id, b.bill_number, b.period, b.revision, b.kind, b.issue_date,
                    b.due_date, b.consumption_kwh, b.estimated, Money(b.total_minor, currency),
                    Money(int(p or 0), currency), credit is not None)
        for b, p, credit in rows)


def _payments(session: Session, account_id: int, currency: str) -> tuple[PaymentView, ...]:
    payments = store.payment_rows(session, account_id)
    tenders: dict[int, list[str]] = {}
    if payments:
        for pid, tender in store.tender_rows(session, [p[0] for p in payments]):
            tenders.setdefault(pid, []).append(tender)
    return tuple(
        PaymentView(pid, at, Money(amount, currency), channel, "+".join(tenders.get(pid, [])),
                    number or "", reversal is not None)
        for pid, at, amount, channel, number, reversal in payments)


def _consumption(bills: tuple[BillSummary, ...]) -> tuple[ConsumptionPoint, ...]:
    """Per period, the latest revision still standing (a cancelled bill without rebill
    counts as nothing billed)."""
    latest: dict[str, BillSummary] = {}
    for bill in bills:  # newest revision first
        if bill.cancelled or bill.period in latest:
            continue
        latest[bill.period] = bill
    periods = sorted(latest)[-CONSUMPTION_PERIODS:]
    return tuple(ConsumptionPoint(p, latest[p].consumption_kwh, latest[p].estimated)
                 for p in periods)


def notes_in(session: Session, account_id: int) -> tuple[NoteView, ...]:
    return tuple(NoteView(i, at, author or "system", text)
                 for i, at, author, text in store.note_rows(session, account_id))


def account_view(db: Database, actor: Actor, account_number: str) -> AccountView:
    require(actor, "account.view")
    with db.read() as session:
        details = account_details_in(session, account_number)
        currency = utility_currency(session)
        account_id = details.summary.id
        bills = _bills(session, account_id, currency)
        return AccountView(details, _ledger(session, account_id, currency), bills,
                           _payments(session, account_id, currency), _consumption(bills),
                           notes_in(session, account_id))


def bill_view(db: Database, actor: Actor, bill_id: int) -> BillView:
    require(actor, "account.view")
    with db.read() as session:
        bill = store.bill_by_id(session, bill_id)
        if bill is None:
            raise NotFound(f"no bill with id {bill_id}")
        currency = utility_currency(session)
        summary = next(b for b in _bills(session, bill.account_id, currency) if b.id == bill_id)
        number = store.account_number_of(session, bill.account_id) or ""
        lines = tuple(
            BillLineView(line.seq, line.code, line.description, line.quantity, line.rate,
                         Money(line.amount_minor, currency))
            for line in store.bill_lines(session, bill_id))
        credit = store.credit_note_of(session, bill_id)
        return BillView(summary, number, bill.period_start, bill.period_end, bill.demand_kw,
                        Money(bill.after_due_minor, currency), lines,
                        f"{credit[0]}: {credit[1]}" if credit else None)
