"""Printed bills from the stored ones: :class:`BillDocument` records, a thousand at a time.

Why this shape: a billing run of a million bills must print without a query per bill, so
the bills of a period are read in chunks of ids and each chunk costs seven queries (bills
with account, customer, premise and tariff; lines; meters; readings; ledger balances; recent
ledger entries with receipt numbers; the last 12 periods' consumption). Every figure on the
document is a stored one, never re-priced:

* lines and their explanations are the stored ``bill_lines`` (description ``label: how``);
  taxes are the lines whose code is a tax of the tariff version that priced them;
* **total due** is the account's AR balance through this bill's own ledger entry (entries
  are posted in id order), so the paper equals the ledger; **payments** are the AR entries
  of payments (and reversals) posted since the previous bill; the **previous balance** is
  what makes ``previous - payments + this bill = total due`` hold (it includes any credit
  note or adjustment posted in between);
* the **amount after the due date** adds the stored surcharge (``after_due - total``);
* the QR payload and barcode are :mod:`ebs_desktop.reports.payment_code`'s (the document
  fills them in), which the counter's lookup reads back (account, bill, amount due).

Cancelled bills (with a credit note) and superseded revisions are not printed.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.periods import parse_period, period_text
from ebs_desktop.errors import ValidationError
from ebs_desktop.paths import logo_path
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.persistence.models import (
    Account,
    Bill,
    BillLine,
    CreditNote,
    Customer,
    LedgerEntry,
    Meter,
    MeterInstallation,
    MeterRegister,
    Premise,
    Reading,
    Receipt,
    Tariff,
    TariffVersion,
)
from ebs_desktop.persistence.secrets import lookup_password
from ebs_desktop.reports.bill_document import (
    BillDocument,
    ChargeLine,
    ConsumptionPoint,
    PaymentLine,
    RegisterReading,
    UtilityHeader,
)
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import UtilitySettings, get_settings

CHUNK = 1000
HISTORY_PERIODS = 12


def utility_header(settings: UtilitySettings) -> UtilityHeader:
    return UtilityHeader(name=settings.utility_name, address=_lines(settings.address),
                         tax_id=settings.tax_id, phone=settings.phone,
                         logo_path=logo_path())


def _lines(address: str) -> tuple[str, ...]:
    """``"12 River St, Riverside, RC 1"`` -> two printed lines (street, rest)."""
    street, sep, rest = address.partition(", ")
    return (street, rest) if sep else (address,)


def _period_shift(period: str, months: int) -> str:
    y, m = parse_period(period)
    k = y * 12 + m - 1 + months
    return period_text(k // 12, k % 12 + 1)


def _printable(period: str, account: str | None) -> Any:
    """The bills to print: the latest revision of each account's bill, not cancelled."""
    newer = aliased(Bill)
    stmt = (select(Bill.id).where(Bill.period == period)
            .where(~select(CreditNote.id).where(CreditNote.bill_id == Bill.id).exists())
            .where(~select(newer.id).where(newer.account_id == Bill.account_id,
                                           newer.period == Bill.period,
                                           newer.revision > Bill.revision).exists()))
    if account is not None:
        stmt = stmt.join(Account, Account.id == Bill.account_id).where(
            Account.account_number == account)
    return stmt


def count_bill_documents(db: Database, actor: Actor, period: str,
                         account: str | None = None) -> int:
    require(actor, "bill.print")
    parse_period(period)
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(
            _printable(period, account).subquery())) or 0)


def iter_bill_documents(db: Database, actor: Actor, period: str, account: str | None = None,
                        *, chunk: int = CHUNK) -> Iterator[BillDocument]:
    """Every printable bill of ``period`` (or of one account), in bill-number order."""
    require(actor, "bill.print")
    parse_period(period)
    with db.read() as s:
        ids = [int(i) for i in s.scalars(
            _printable(period, account).order_by(Bill.bill_number))]
        settings = get_settings(s)
    utility = utility_header(settings)
    for at in range(0, len(ids), chunk):
        with db.read() as s:
            yield from load_documents(s, ids[at:at + chunk], settings, utility)


@dataclass(frozen=True)
class DocumentChunk:
    """One chunk of bills to be read where it is rendered (a batch worker process).

    Picklable: a database URL and bill ids. The worker opens the database itself; a
    PostgreSQL password comes from the keyring there as it does here (see
    :func:`document_chunks` for when this is not possible)."""

    url: str
    bill_ids: tuple[int, ...]

    def __call__(self) -> list[BillDocument]:
        db = _worker_database(self.url)
        with db.read() as s:
            settings = get_settings(s)
            return load_documents(s, self.bill_ids, settings, utility_header(settings))


_WORKER_DATABASES: dict[str, Database] = {}


def _worker_database(url: str) -> Database:
    if url not in _WORKER_DATABASES:
        _WORKER_DATABASES[url] = open_database(url)
    return _WORKER_DATABASES[url]


def document_chunks(db: Database, actor: Actor, period: str, account: str | None = None,
                    *, chunk: int = 200) -> list[DocumentChunk] | None:
    """The bills of ``period`` as chunks that batch workers read themselves, or None when a
    worker could not open this database on its own (a PostgreSQL password typed at start-up
    rather than kept in the keyring): then feed :func:`iter_bill_documents` instead."""
    require(actor, "bill.print")
    parse_period(period)
    if db.engine.url.password is not None and lookup_password(db.engine.url) is None:
        return None
    with db.read() as s:
        ids = [int(i) for i in s.scalars(
            _printable(period, account).order_by(Bill.bill_number))]
    return [DocumentChunk(db.url_text, tuple(ids[at:at + chunk]))
            for at in range(0, len(ids), chunk)]


def bill_documents(db: Database, actor: Actor, period: str,
                   account: str | None = None) -> list[BillDocument]:
    return list(iter_bill_documents(db, actor, period, account))


def bill_document(db: Database, actor: Actor, ref: str) -> BillDocument:
    """One bill's document by number (or id), as the batch prints it.

    A cancelled bill or a superseded revision is refused with the reason: its figures are
    no longer what the customer owes (the batch leaves them out for the same reason)."""
    from ebs_desktop.services.billing.corrections import find_bill

    require(actor, "bill.print")
    with db.read() as s:
        bill = find_bill(s, ref)
        note = s.scalar(select(CreditNote.number).where(CreditNote.bill_id == bill.id))
        if note is not None:
            raise ValidationError(f"bill {bill.bill_number} was cancelled by credit note "
                                  f"{note}; it is not printed", location="--bill")
        newer = s.scalar(select(Bill.bill_number).where(
            Bill.account_id == bill.account_id, Bill.period == bill.period,
            Bill.revision > bill.revision).order_by(Bill.revision.desc()).limit(1))
        if newer is not None:
            raise ValidationError(f"bill {bill.bill_number} was replaced by bill {newer}; "
                                  "print that one", location="--bill")
        settings = get_settings(s)
        return load_documents(s, [bill.id], settings, utility_header(settings))[0]


def load_documents(s: Session, bill_ids: Sequence[int], settings: UtilitySettings,
                   utility: UtilityHeader) -> list[BillDocument]:
    """The documents of ``bill_ids`` (one chunk), in the order given."""
    if not bill_ids:
        return []
    cur = settings.currency
    heads = {r.id: r for r in s.execute(
        select(Bill.id, Bill.bill_number, Bill.account_id, Bill.period, Bill.period_start,
               Bill.period_end, Bill.issue_date, Bill.due_date, Bill.consumption_kwh,
               Bill.total_minor, Bill.after_due_minor, Account.account_number,
               Account.category, Customer.name, Premise.id.label("premise_id"),
               Premise.address, Tariff.name.label("tariff_name"))
        .join(Account, Account.id == Bill.account_id)
        .join(Customer, Customer.id == Account.customer_id)
        .join(Tariff, Tariff.id == Bill.tariff_id)
        .outerjoin(Premise, Premise.account_id == Account.id)
        .where(Bill.id.in_(bill_ids)))}
    account_ids = sorted({r.account_id for r in heads.values()})
    lines = _charge_lines(s, bill_ids, cur)
    meters = _meters(s, [r.premise_id for r in heads.values() if r.premise_id is not None])
    starts = [r.period_start for r in heads.values()]
    ends = [r.period_end for r in heads.values()]
    readings = _readings(s, [m for ms in meters.values() for m in ms], min(starts), max(ends))
    due, entries = _ledger(s, bill_ids, account_ids, min(starts))
    history = _history(s, account_ids, min(r.period for r in heads.values()),
                       max(r.period for r in heads.values()))
    docs = []
    for bill_id in bill_ids:
        h = heads[bill_id]
        meter = _meter_at(meters.get(h.premise_id, []), h.period_end)
        regs = _register_readings(readings, meter, h.period_start, h.period_end)
        this_entry, total_due = due[bill_id]
        payments = _payments(entries.get(h.account_id, []), this_entry, cur)
        bill_amount = sum(line.amount.minor for line in lines.get(bill_id, ()))
        paid = sum(p.amount.minor for p in payments)
        surcharge = h.after_due_minor - h.total_minor
        after_due = total_due + surcharge if total_due > 0 else total_due
        docs.append(BillDocument(
            utility=utility, currency=cur, account_number=h.account_number,
            customer_name=h.name, premise_address=_lines(h.address or ""),
            category=h.category.capitalize(), tariff_name=h.tariff_name,
            meter_serial=meter[1] if meter else "", bill_number=h.bill_number,
            issue_date=h.issue_date, period_start=h.period_start, period_end=h.period_end,
            due_date=h.due_date, readings=regs, consumption_kwh=h.consumption_kwh,
            charges=lines.get(bill_id, ()),
            previous_balance=Money(total_due - bill_amount + paid, cur),
            payments=payments, total_due=Money(total_due, cur),
            amount_after_due=Money(after_due, cur),
            history=_history_points(history.get(h.account_id, {}), h.period)))
    return docs


def _charge_lines(s: Session, bill_ids: Sequence[int],
                  cur: str) -> dict[int, tuple[ChargeLine, ...]]:
    rows = s.execute(select(BillLine.bill_id, BillLine.code, BillLine.description,
                            BillLine.amount_minor, BillLine.tariff_version_id)
                     .where(BillLine.bill_id.in_(bill_ids))
                     .order_by(BillLine.bill_id, BillLine.seq)).all()
    version_ids = {r.tariff_version_id for r in rows if r.tariff_version_id is not None}
    taxes: dict[int | None, set[str]] = {}
    for version_id, spec in s.execute(select(TariffVersion.id, TariffVersion.spec)
                               .where(TariffVersion.id.in_(version_ids))):
        codes = spec.get("taxes") if isinstance(spec, dict) else None
        listed: list[Any] = codes if isinstance(codes, list) else []
        taxes[version_id] = {str(t.get("code")) for t in listed if isinstance(t, dict)}
    out: dict[int, list[ChargeLine]] = defaultdict(list)
    for bill_id, code, description, minor, vid in rows:
        label, sep, how = description.partition(": ")
        out[bill_id].append(ChargeLine(code, label if sep else description,
                                       Money(minor, cur), how if sep else "",
                                       code in taxes.get(vid, ())))
    return {k: tuple(v) for k, v in out.items()}


Installed = tuple[int, str, date, date | None]  # meter id, serial, installed, removed


def _meters(s: Session, premise_ids: Sequence[int]) -> dict[int, list[Installed]]:
    out: dict[int, list[Installed]] = defaultdict(list)
    for pid, mid, serial, on, off in s.execute(
            select(MeterInstallation.premise_id, Meter.id, Meter.serial,
                   MeterInstallation.installed_on, MeterInstallation.removed_on)
            .join(Meter, Meter.id == MeterInstallation.meter_id)
            .where(MeterInstallation.premise_id.in_(premise_ids))
            .order_by(MeterInstallation.installed_on)):
        out[pid].append((mid, serial, on, off))
    return out


def _meter_at(installed: list[Installed], day: date) -> Installed | None:
    """The meter on the premise at the end of the period (the last one installed by then)."""
    found = None
    for inst in installed:
        if inst[2] <= day and (inst[3] is None or inst[3] >= day):
            found = inst
    return found or (installed[-1] if installed else None)


ReadingRow = tuple[str, str, Decimal, date, Decimal, bool]  # code, kind, multiplier, on, v, est


def _readings(s: Session, installed: list[Installed], first: date,
              last: date) -> dict[int, list[ReadingRow]]:
    """Readings per meter from about three months before the earliest period to its end."""
    out: dict[int, list[ReadingRow]] = defaultdict(list)
    since = date.fromordinal(first.toordinal() - 100)
    for mid, code, kind, mult, on, value, source in s.execute(
            select(MeterRegister.meter_id, MeterRegister.code, MeterRegister.kind,
                   Meter.multiplier, Reading.read_on, Reading.value, Reading.source)
            .join(Meter, Meter.id == MeterRegister.meter_id)
            .join(Reading, Reading.register_id == MeterRegister.id)
            .where(MeterRegister.meter_id.in_({m[0] for m in installed}),
                   Reading.read_on >= since, Reading.read_on <= last,
                   Reading.status.not_in(("superseded", "rejected")))
            .order_by(Reading.read_on)):
        out[mid].append((code, kind, mult, on, value, source == "estimated"))
    return out


def _register_readings(readings: dict[int, list[ReadingRow]], meter: Installed | None,
                       start: date, end: date) -> tuple[RegisterReading, ...]:
    """Per energy register: the last reading before the period and the last one in it."""
    if meter is None:
        return ()
    before: dict[str, ReadingRow] = {}
    now: dict[str, ReadingRow] = {}
    for row in readings.get(meter[0], []):
        if row[1] != "energy":
            continue
        if row[3] < start:
            before[row[0]] = row
        elif row[3] <= end:
            now[row[0]] = row
    out = []
    for code in sorted(now):
        cur = now[code]
        prev = before.get(code)
        if prev is None:
            continue
        out.append(RegisterReading(code, prev[3], prev[4], cur[3], cur[4],
                                   previous_estimated=prev[5], current_estimated=cur[5],
                                   multiplier=cur[2]))
    return tuple(out)


LedgerRow = tuple[int, date, int, bool, str]  # entry id, date, amount, is bill, receipt


def _ledger(s: Session, bill_ids: Sequence[int], account_ids: Sequence[int],
            first: date) -> tuple[dict[int, tuple[int, int]], dict[int, list[LedgerRow]]]:
    """Per bill (its AR entry id, the AR balance through it); per account recent entries."""
    this = aliased(LedgerEntry)
    ar = aliased(LedgerEntry)
    due = {int(b or 0): (int(e), int(t)) for b, e, t in s.execute(
        select(this.bill_id, this.id, func.sum(ar.amount_minor))
        .join(ar, (ar.account_id == this.account_id) & (ar.gl_code == "AR")
              & (ar.id <= this.id))
        .where(this.bill_id.in_(bill_ids), this.gl_code == "AR",
               this.payment_id.is_(None), this.credit_note_id.is_(None))
        .group_by(this.bill_id, this.id))}
    since = date.fromordinal(first.toordinal() - 100)
    entries: dict[int, list[LedgerRow]] = defaultdict(list)
    for eid, acc, day, amount, bill_id, pay_id, receipt in s.execute(
            select(LedgerEntry.id, LedgerEntry.account_id, LedgerEntry.entry_date,
                   LedgerEntry.amount_minor, LedgerEntry.bill_id, LedgerEntry.payment_id,
                   Receipt.number)
            .outerjoin(Receipt, (Receipt.payment_id == LedgerEntry.payment_id)
                       & (Receipt.kind == "payment"))
            .where(LedgerEntry.account_id.in_(account_ids), LedgerEntry.gl_code == "AR",
                   LedgerEntry.entry_date >= since)
            .order_by(LedgerEntry.id)):
        if acc is None or (pay_id is None and bill_id is None):
            continue
        is_bill = pay_id is None
        entries[acc].append((eid, day, amount, is_bill, receipt or f"payment {pay_id}"))
    return due, entries


def _payments(entries: list[LedgerRow], this_entry: int, cur: str) -> tuple[PaymentLine, ...]:
    """Payments (and reversals, as negative payments) posted since the previous bill."""
    at = bisect_left([e[0] for e in entries], this_entry)
    out: list[PaymentLine] = []
    for eid, day, amount, is_bill, reference in reversed(entries[:at]):
        del eid
        if is_bill:
            break
        out.append(PaymentLine(day, reference, Money(-amount, cur)))
    return tuple(reversed(out))


def _history(s: Session, account_ids: Sequence[int], first: str,
             last: str) -> dict[int, dict[str, Decimal]]:
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for acc, period, kwh in s.execute(
            select(Bill.account_id, Bill.period, Bill.consumption_kwh)
            .where(Bill.account_id.in_(account_ids),
                   Bill.period >= _period_shift(first, 1 - HISTORY_PERIODS),
                   Bill.period <= last,
                   ~select(CreditNote.id).where(CreditNote.bill_id == Bill.id).exists())
            .order_by(Bill.revision)):
        out[acc][period] = kwh
    return out


def _history_points(periods: dict[str, Decimal], period: str) -> tuple[ConsumptionPoint, ...]:
    points = []
    for k in range(1 - HISTORY_PERIODS, 1):
        p = _period_shift(period, k)
        if p in periods:
            points.append(ConsumptionPoint(p[2:], periods[p]))
    return tuple(points)
