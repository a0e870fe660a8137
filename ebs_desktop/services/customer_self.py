"""What a customer signed in to the portal may see of their own accounts.

The principal is a customer (:meth:`ebs_desktop.services.actor.Actor.customer`) carrying
the account numbers it has proven. Every function checks its permission first (``self.*``,
which only the ``customer`` role holds), then reads through
:mod:`ebs_desktop.persistence.stores.customer_self`, whose every query is scoped to those
accounts. An account number, bill number or payment id that is not the principal's raises
the same :class:`~ebs_desktop.errors.NotFound`, with the same text, as one that does not
exist: a caller cannot learn from the answer whether somebody else's id is real.

Records are frozen; nothing here hands out a session or an ORM object.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import customer_self as store
from ebs_desktop.persistence.stores import preferences as pref_store
from ebs_desktop.persistence.stores import settings as settings_store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import UtilitySettings, get_settings
from ebs_desktop.services.settings import currency as utility_currency

USAGE_PERIODS = 24
PORTAL_LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class CustomerAccount:
    account_number: str
    name: str
    category: str
    status: str
    balance: Money  # what the customer owes; negative is credit


@dataclass(frozen=True)
class CustomerBill:
    bill_number: str
    account_number: str
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
class CustomerBillLine:
    seq: int
    code: str
    description: str
    quantity: Decimal
    rate: Decimal
    amount: Money


@dataclass(frozen=True)
class CustomerBillDetail:
    bill: CustomerBill
    period_start: date
    period_end: date
    after_due: Money
    lines: tuple[CustomerBillLine, ...]
    credit_note: str | None  # the credit note's number when the bill was cancelled


@dataclass(frozen=True)
class CustomerPayment:
    payment_id: int
    account_number: str
    received_at: datetime
    amount: Money
    channel: str
    receipt_number: str
    reversed: bool


@dataclass(frozen=True)
class UsagePoint:
    period: str
    kwh: Decimal
    estimated: bool


@dataclass(frozen=True)
class AccountSummary:
    account: CustomerAccount
    open_bills: int
    latest_bill: CustomerBill | None
    latest_payment: CustomerPayment | None


def _proven(actor: Actor, permission: str) -> frozenset[str]:
    """Check the permission, then the account numbers this principal may reach."""
    require(actor, permission)
    if actor.kind != "customer":  # the role is a customer's only; belt and braces
        raise PermissionDenied(f"{actor.username} is not a customer")
    return actor.accounts


def _bill(row: store.BillRow, cur: str) -> CustomerBill:
    (_id, number, account, period, revision, kind, issued, due, kwh, estimated, total,
     _after, _start, _end, paid, credit) = row
    return CustomerBill(number, account, period, revision, kind, issued, due, kwh, estimated,
                        Money(total, cur), Money(paid, cur), credit is not None)


def _payment(row: store.PaymentRow, cur: str) -> CustomerPayment:
    pid, account, at, amount, channel, receipt, reversed_ = row
    return CustomerPayment(pid, account, at, Money(amount, cur), channel, receipt or "",
                           reversed_)


def _no_account(number: str) -> NotFound:
    return NotFound(f"no account {number!r}")


def _no_bill(number: str) -> NotFound:
    return NotFound(f"no bill {number!r}")


def locale_in(s: Session, numbers: Collection[str]) -> str:
    """The portal's locale for these accounts (Babel's name), read in the caller's
    transaction: the first language chosen on one of them, else the utility's locale (kept
    whole, ``fr_CA``, when its language is the one chosen; another language alone)."""
    stored = settings_store.stored_value(s, "locale")
    language = pref_store.first_language(s, sorted(numbers))
    utility = str(json.loads(stored)) if stored else UtilitySettings().locale
    chosen = (language or "")[:2]
    if chosen not in PORTAL_LANGUAGES:
        chosen = utility[:2] if utility[:2] in PORTAL_LANGUAGES else "en"
    return utility if utility[:2] == chosen else chosen


@dataclass(frozen=True)
class DashboardPage:
    """Everything the portal's first page shows, read in one transaction."""

    locale: str
    summaries: tuple[AccountSummary, ...]


@dataclass(frozen=True)
class BillsPage:
    """Everything the bill list shows, read in one transaction: each account's bills."""

    locale: str
    accounts: tuple[tuple[str, tuple[CustomerBill, ...]], ...]


def _summary(s: Session, numbers: Collection[str], row: store.AccountRow,
             cur: str) -> AccountSummary:
    a, n, c, st, b = row
    bills_ = [_bill(x, cur) for x in store.bills(s, numbers, a)]
    pays = store.payments(s, numbers, a)
    return AccountSummary(CustomerAccount(a, n, c, st, Money(b, cur)),
                          sum(1 for x in bills_ if x.open.minor > 0),
                          bills_[0] if bills_ else None,
                          _payment(pays[0], cur) if pays else None)


def dashboard(db: Database, actor: Actor) -> DashboardPage:
    """The first page: the locale and each proven account's summary (see
    :func:`account_summary`), in one read transaction."""
    numbers = _proven(actor, "self.view")
    with db.read() as s:
        cur = utility_currency(s)
        return DashboardPage(locale_in(s, numbers), tuple(
            _summary(s, numbers, row, cur) for row in store.accounts(s, numbers)))


def bills_page(db: Database, actor: Actor) -> BillsPage:
    """The bill list: the locale and every proven account's bills (newest first), in one
    read transaction."""
    numbers = _proven(actor, "self.bills")
    with db.read() as s:
        cur = utility_currency(s)
        return BillsPage(locale_in(s, numbers), tuple(
            (row[0], tuple(_bill(b, cur) for b in store.bills(s, numbers, row[0])))
            for row in store.accounts(s, numbers)))


def my_accounts(db: Database, actor: Actor) -> list[CustomerAccount]:
    """The principal's proven accounts, in account-number order."""
    numbers = _proven(actor, "self.view")
    with db.read() as s:
        cur = utility_currency(s)
        return [CustomerAccount(a, n, c, st, Money(b, cur))
                for a, n, c, st, b in store.accounts(s, numbers)]


def account_summary(db: Database, actor: Actor, account_number: str) -> AccountSummary:
    """Balance, open bills, the latest bill and the latest payment of one account."""
    numbers = _proven(actor, "self.view")
    with db.read() as s:
        row = store.account(s, numbers, account_number)
        if row is None:
            raise _no_account(account_number)
        return _summary(s, numbers, row, utility_currency(s))


def bills(db: Database, actor: Actor, account_number: str) -> list[CustomerBill]:
    """The account's bills, newest period (and revision) first."""
    numbers = _proven(actor, "self.bills")
    with db.read() as s:
        if store.account(s, numbers, account_number) is None:
            raise _no_account(account_number)
        cur = utility_currency(s)
        return [_bill(b, cur) for b in store.bills(s, numbers, account_number)]


def bill(db: Database, actor: Actor, bill_number: str) -> CustomerBillDetail:
    """One bill of the principal's with its lines."""
    numbers = _proven(actor, "self.bills")
    with db.read() as s:
        row = store.bill(s, numbers, bill_number.strip())
        if row is None:
            raise _no_bill(bill_number)
        cur = utility_currency(s)
        lines = tuple(CustomerBillLine(q, c, d, qty, rate, Money(a, cur))
                      for q, c, d, qty, rate, a in store.bill_lines(s, row[0]))
    return CustomerBillDetail(_bill(row, cur), row[12], row[13], Money(row[11], cur), lines,
                              row[15])


class _PdfCache:
    """Rendered bill PDFs by the SHA-256 of what they were rendered from (the document's
    every field and the title), least recently used first out past ``limit`` bytes.

    Content-addressed, so never stale: a payment, a reversal or a changed setting changes
    the document and with it the key; the renderer is deterministic (``invariant``), so a
    hit returns exactly the bytes a fresh rendering would. One per worker process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: str, data: bytes) -> None:
        with self.lock:
            if key in self.entries or len(data) > self.limit:
                return
            self.entries[key] = data
            self.size += len(data)
            while self.size > self.limit:
                _old, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped)


PDF_CACHE = _PdfCache(64 * 1024 * 1024)


def bill_pdf(db: Database, actor: Actor, bill_number: str) -> bytes:
    """The bill as printed (the batch's PDF builder), for download.

    A cancelled bill or a superseded revision is refused with the reason, as the printed
    batch leaves them out: their figures are no longer what the customer owes. The
    document is read every time (so the PDF shows today's figures); its rendering is
    kept by content (:data:`PDF_CACHE`), since the print run stores no PDF bytes."""
    from ebs_desktop.reports.bill_pdf import render_bills
    from ebs_desktop.services.bill_documents import load_documents, utility_header

    numbers = _proven(actor, "self.bills")
    with db.read() as s:
        row = store.bill(s, numbers, bill_number.strip())
        if row is None:
            raise _no_bill(bill_number)
        if row[15] is not None:
            raise ValidationError(f"bill {row[1]} was cancelled by credit note {row[15]}")
        newer = store.newer_revision(s, row[0])
        if newer is not None:
            raise ValidationError(f"bill {row[1]} was replaced by bill {newer}")
        settings = get_settings(s)
        doc = load_documents(s, [row[0]], settings, utility_header(settings))[0]
    title = f"Bill {doc.bill_number}"
    logo = doc.utility.logo_path  # a file: its content is named by its stamp and size
    stamp = None if logo is None else (logo.stat().st_mtime_ns, logo.stat().st_size)
    key = hashlib.sha256(repr((title, doc, stamp)).encode()).hexdigest()
    found = PDF_CACHE.get(key)
    if found is not None:
        return found
    out = BytesIO()
    render_bills([doc], out, title=title)
    data = out.getvalue()
    PDF_CACHE.put(key, data)
    return data


def payments(db: Database, actor: Actor, account_number: str) -> list[CustomerPayment]:
    """Payments on the account, newest first."""
    numbers = _proven(actor, "self.view")
    with db.read() as s:
        if store.account(s, numbers, account_number) is None:
            raise _no_account(account_number)
        cur = utility_currency(s)
        return [_payment(p, cur) for p in store.payments(s, numbers, account_number)]


def payment(db: Database, actor: Actor, payment_id: int) -> CustomerPayment:
    """One payment of the principal's (for a receipt link)."""
    numbers = _proven(actor, "self.view")
    with db.read() as s:
        row = store.payment(s, numbers, payment_id)
        if row is None:
            raise NotFound(f"no payment {payment_id!r}")
        return _payment(row, utility_currency(s))


def usage(db: Database, actor: Actor, account_number: str) -> list[UsagePoint]:
    """Billed consumption per period, oldest first, the last 24 periods."""
    numbers = _proven(actor, "self.view")
    with db.read() as s:
        if store.account(s, numbers, account_number) is None:
            raise _no_account(account_number)
        return [UsagePoint(p, kwh, est)
                for p, kwh, est in store.usage(s, numbers, account_number, USAGE_PERIODS)]


@dataclass(frozen=True)
class CustomerReading:
    account_number: str
    meter: str  # the meter's serial
    register: str  # "kwh", a TOU register's code, or demand
    read_on: date
    value: Decimal
    consumption: Decimal | None  # since the previous reading (kWh), None for the first
    source: str
    status: str


@dataclass(frozen=True)
class PaymentReceipt:
    """A payment with what it paid: the portal's receipt view."""

    payment: CustomerPayment
    paid_bills: tuple[tuple[str, str, Money], ...]  # (bill number, period, amount)


def readings(db: Database, actor: Actor) -> list[CustomerReading]:
    """The meter readings of every account of the principal's, newest first (for the
    readings download)."""
    numbers = _proven(actor, "self.view")
    with db.read() as s:
        return [CustomerReading(*row) for row in store.readings(s, numbers)]


def payment_receipt(db: Database, actor: Actor, payment_id: int) -> PaymentReceipt:
    """One payment of the principal's with the bills it paid (NotFound otherwise)."""
    numbers = _proven(actor, "self.view")
    with db.read() as s:
        row = store.payment(s, numbers, payment_id)
        if row is None:
            raise NotFound(f"no payment {payment_id!r}")
        cur = utility_currency(s)
        paid = tuple((n, p, Money(a, cur)) for n, p, a in store.payment_allocations(s, row[0]))
    return PaymentReceipt(_payment(row, cur), paid)
