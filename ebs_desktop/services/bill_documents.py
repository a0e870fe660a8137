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
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ebs_desktop.domain.insights import PeriodUse, insight_sentences, period_insights
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.periods import parse_period, period_text
from ebs_desktop.domain.tariffs.model import TariffSpec
from ebs_desktop.domain.tariffs.spec_dict import spec_from_dict
from ebs_desktop.errors import ValidationError
from ebs_desktop.paths import logo_path
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.persistence.secrets import lookup_password
from ebs_desktop.persistence.stores import bill_documents as store
from ebs_desktop.persistence.stores.bill_documents import Installed, LedgerRow, ReadingRow
from ebs_desktop.persistence.tx import Session
from ebs_desktop.reports.batch_result import BatchResult
from ebs_desktop.reports.bill_document import (
    BillDocument,
    ChargeLine,
    ConsumptionPoint,
    PaymentLine,
    RegisterReading,
    UtilityHeader,
)
from ebs_desktop.reports.formatting import format_decimal, format_money
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.progress import TaskState
from ebs_desktop.services.settings import UtilitySettings, get_settings

CHUNK = 1000
HISTORY_PERIODS = 12
READ_BACK_DAYS = 100  # readings and ledger entries from this long before the first period
IN_PROCESS_UP_TO = 400  # bills; a larger run is rendered on worker processes
WORKER_CHUNK = 200  # bills a worker reads and renders at a time


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


def count_bill_documents(db: Database, actor: Actor, period: str,
                         account: str | None = None) -> int:
    require(actor, "bill.print")
    parse_period(period)
    with db.read() as s:
        return store.count_printable(s, period, account)


def iter_bill_documents(db: Database, actor: Actor, period: str, account: str | None = None,
                        *, chunk: int = CHUNK) -> Iterator[BillDocument]:
    """Every printable bill of ``period`` (or of one account), in bill-number order."""
    require(actor, "bill.print")
    parse_period(period)
    with db.read() as s:
        ids = store.printable_ids(s, period, account)
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
        ids = store.printable_ids(s, period, account)
    return [DocumentChunk(db.url_text, tuple(ids[at:at + chunk]))
            for at in range(0, len(ids), chunk)]


def print_bills(db: Database, actor: Actor, out: Path, *, period: str | None = None,
                account: str | None = None, bill: str | None = None, split: bool = False,
                task: TaskState | None = None) -> BatchResult:
    """Print the bills of ``period`` (or of one ``account`` in it, or the one ``bill`` by
    number) into ``out``: one PDF, or with ``split`` a folder of one PDF per bill.

    A run of more than :data:`IN_PROCESS_UP_TO` bills is rendered on every core, each
    worker reading its own chunks where it can (:func:`document_chunks`), else fed from
    :func:`iter_bill_documents`. ``task`` sees ``report(bills done, total)`` after each
    chunk and may cancel between chunks: then no output file is written (split mode keeps
    the bills already written) and :class:`~ebs_desktop.services.progress.TaskCancelled`
    is raised. Refuses a selection with no printable bill."""
    require(actor, "bill.print")
    # reportlab loads with the renderer: only the commands that print pay for it
    from ebs_desktop.reports.bill_batch import render_batch

    if (period is None) == (bill is None):
        raise ValidationError("give --period YYYY-MM (all its bills) or --bill NUMBER "
                              "(one bill)", location="--period/--bill")
    if bill is not None:
        if account is not None:
            raise ValidationError("--account selects within --period; --bill is already one "
                                  "bill", location="--account")
        return render_batch([bill_document(db, actor, bill)], out, split=split, total=1,
                            task=task)
    assert period is not None
    total = count_bill_documents(db, actor, period, account)
    if total == 0:
        what = f"account {account} in {period}" if account else period
        raise ValidationError(f"no printable bill for {what}", location="--period")
    if total <= IN_PROCESS_UP_TO:
        return render_batch(list(iter_bill_documents(db, actor, period, account)), out,
                            split=split, total=total, task=task)
    chunks = document_chunks(db, actor, period, account, chunk=WORKER_CHUNK)
    if chunks is not None:
        return render_batch((), out, split=split, total=total, chunks=chunks, task=task,
                            chunk_size=WORKER_CHUNK)
    return render_batch(iter_bill_documents(db, actor, period, account), out, split=split,
                        total=total, task=task, chunk_size=WORKER_CHUNK)


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
        note = store.cancelling_note(s, bill.id)
        if note is not None:
            raise ValidationError(f"bill {bill.bill_number} was cancelled by credit note "
                                  f"{note}; it is not printed", location="--bill")
        newer = store.newer_revision(s, bill.account_id, bill.period, bill.revision)
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
    heads = store.bill_heads(s, bill_ids)
    account_ids = sorted({r.account_id for r in heads.values()})
    lines, versions = _charge_lines(s, bill_ids, cur)
    meters = store.installed_meters(
        s, [r.premise_id for r in heads.values() if r.premise_id is not None])
    starts = [r.period_start for r in heads.values()]
    ends = [r.period_end for r in heads.values()]
    since = date.fromordinal(min(starts).toordinal() - READ_BACK_DAYS)
    readings = store.meter_readings(s, {m[0] for ms in meters.values() for m in ms}, since,
                                    max(ends))
    due = store.ar_through_bills(s, bill_ids, account_ids)
    entries = store.recent_ar_entries(s, account_ids, since)
    usage = store.usage_history(
        s, account_ids, _period_shift(min(r.period for r in heads.values()),
                                      -HISTORY_PERIODS),
        max(r.period for r in heads.values()))
    history = {acc: {p: kwh for p, (kwh, _est) in periods.items()}
               for acc, periods in usage.items()}
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
            history=_history_points(history.get(h.account_id, {}), h.period),
            insights=_insight_box(usage.get(h.account_id, {}), h.period, h.consumption_kwh,
                                  versions.get(bill_id), cur)))
    return docs


def _insight_box(periods: dict[str, tuple[Decimal, bool]], period: str, kwh: Decimal,
                 spec: TariffSpec | None, cur: str) -> tuple[str, ...]:
    """The bill's insight box, from this account's bills up to this period and the bill's
    tariff version only: nothing that changes when other accounts are billed, so the same
    bill renders to the same bytes whenever it is printed, emailed or downloaded."""
    points = [PeriodUse(p, k, est) for p, (k, est) in periods.items() if p <= period]
    if period not in periods:
        points.append(PeriodUse(period, kwh))
    box = period_insights(period, points, spec)
    return tuple(insight_sentences(box, "en", lambda m: format_money(m),
                                   lambda r: f"{format_decimal(r)} {cur}",
                                   lambda k: format_decimal(k.quantize(Decimal(1))), tips=2))


def _charge_lines(s: Session, bill_ids: Sequence[int], cur: str
                  ) -> tuple[dict[int, tuple[ChargeLine, ...]], dict[int, TariffSpec]]:
    """The bills' lines, and the spec of the tariff version each bill ends under."""
    rows = store.line_rows(s, bill_ids)
    version_ids = {r.tariff_version_id for r in rows if r.tariff_version_id is not None}
    taxes: dict[int | None, set[str]] = {}
    specs: dict[int, TariffSpec] = {}
    for version_id, spec in store.version_specs(s, version_ids):
        codes = spec.get("taxes") if isinstance(spec, dict) else None
        listed: list[Any] = codes if isinstance(codes, list) else []
        taxes[version_id] = {str(t.get("code")) for t in listed if isinstance(t, dict)}
        with suppress(ValidationError):  # a spec the reader no longer takes: no tips
            specs[version_id] = spec_from_dict(spec)
    out: dict[int, list[ChargeLine]] = defaultdict(list)
    last_version: dict[int, int] = {}
    for bill_id, code, description, minor, vid in rows:
        label, sep, how = description.partition(": ")
        out[bill_id].append(ChargeLine(code, label if sep else description,
                                       Money(minor, cur), how if sep else "",
                                       code in taxes.get(vid, ())))
        if vid is not None and vid in specs:
            last_version[bill_id] = vid
    return ({k: tuple(v) for k, v in out.items()},
            {b: specs[v] for b, v in last_version.items()})


def _meter_at(installed: list[Installed], day: date) -> Installed | None:
    """The meter on the premise at the end of the period (the last one installed by then)."""
    found = None
    for inst in installed:
        if inst[2] <= day and (inst[3] is None or inst[3] >= day):
            found = inst
    return found or (installed[-1] if installed else None)


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


def _history_points(periods: dict[str, Decimal], period: str) -> tuple[ConsumptionPoint, ...]:
    points = []
    for k in range(1 - HISTORY_PERIODS, 1):
        p = _period_shift(period, k)
        if p in periods:
            points.append(ConsumptionPoint(p[2:], periods[p]))
    return tuple(points)
