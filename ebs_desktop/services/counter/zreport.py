"""Z-reports: the record of a shift (or a whole day) at close, stored and printable.

A shift's report lists the cash its drawer paid out for reversals (expected cash is net
of it) and, for a forced close, the supervisor who closed it and why.

Why stored as JSON of the printed document: the Z-report is what the clerk signed and the
supervisor approved; rebuilding it later from rows that might since have changed (a
reversal next week) would show something nobody saw. Each shift has one stored report
(replaced when a supervisor approves); a day report (``shift_id`` null) sums the day's
closed shifts and is replaced when it is run again.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ebs_desktop.devices.printers import PrintOptions, ReceiptPrinter, print_blocks
from ebs_desktop.devices.receipts import (
    ReceiptHeader,
    ZReportDocument,
    ZTenderLine,
    columns_for,
    layout_z_report,
)
from ebs_desktop.domain.cash import TENDER_KINDS
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import NotFound
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Shift
from ebs_desktop.persistence.stores import counter as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter.drawer import expected_by_tender, paid_out, takings
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import UtilitySettings, get_settings
from ebs_desktop.services.settings import currency as utility_currency


def receipt_header(settings: UtilitySettings) -> ReceiptHeader:
    lines = tuple(x for x in (settings.address, settings.phone) if x)
    return ReceiptHeader(settings.utility_name, lines, settings.tax_id, settings.receipt_footer)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def shift_document(session: Session, shift: Shift) -> ZReportDocument:
    settings = get_settings(session)
    cur = settings.currency
    zero = Money.zero(cur)
    taken = takings(session, shift.id, cur)
    expected = expected_by_tender(session, shift, cur)
    counted = {kind: Money(total, cur)
               for kind, total in store.counted_by_tender(session, shift.id)}
    lines = tuple(ZTenderLine(k, taken.get(k, zero), expected.get(k, zero), counted.get(k, zero))
                  for k in TENDER_KINDS if k in taken or k in expected or k in counted)
    drops = tuple(Money(m, cur) for m in store.safe_drops(session, shift.id))
    n_pay, first, last = store.shift_receipt_span(session, shift.id)
    n_rev = store.shift_reversal_count(session, shift.id)
    code = store.counter_code(session, shift.counter_id)
    clerk = store.username(session, shift.clerk_id)
    approver = store.username(session, shift.approved_by)
    forced_by = store.username(session, shift.forced_by)
    closed = shift.closed_at or datetime.now(UTC)
    return ZReportDocument(
        receipt_header(settings), f"S{shift.id}", str(code), str(clerk),
        _aware(shift.opened_at), _aware(closed), Money(shift.opening_float_minor, cur), lines,
        drops, n_pay, n_rev, first or "", last or "", approver or "",
        paid_out=tuple(paid_out(session, shift.id, cur)), forced_by=forced_by or "",
        force_reason=shift.force_reason or "")


def _money(m: Money) -> str:
    return str(m)


def to_json(doc: ZReportDocument) -> str:
    h = doc.header
    data: dict[str, Any] = {
        "currency": doc.opening_float.currency,
        "header": [h.utility_name, list(h.address_lines), h.tax_id, h.footer],
        "shift": doc.shift_id, "counter": doc.counter, "clerk": doc.clerk,
        "opened_at": doc.opened_at.isoformat(), "closed_at": doc.closed_at.isoformat(),
        "opening_float": _money(doc.opening_float),
        "tenders": [[t.kind, _money(t.takings), _money(t.expected), _money(t.counted),
                     _money(t.over_short)] for t in doc.tenders],
        "safe_drops": [_money(d) for d in doc.safe_drops], "payments": doc.payments,
        "reversals": doc.reversals, "first_receipt": doc.first_receipt,
        "last_receipt": doc.last_receipt, "approved_by": doc.approved_by,
        "total_over_short": _money(doc.total_over_short), "extra": [list(e) for e in doc.extra],
        "paid_out": [[r, _money(m)] for r, m in doc.paid_out], "forced_by": doc.forced_by,
        "force_reason": doc.force_reason,
    }
    return json.dumps(data, sort_keys=True)


def from_json(text: str) -> ZReportDocument:
    d = json.loads(text)
    cur = d["currency"]

    def m(v: str) -> Money:
        return Money.of(v, cur)

    name, address, tax_id, footer = d["header"]
    return ZReportDocument(
        ReceiptHeader(name, tuple(address), tax_id, footer), d["shift"], d["counter"],
        d["clerk"], datetime.fromisoformat(d["opened_at"]),
        datetime.fromisoformat(d["closed_at"]), m(d["opening_float"]),
        tuple(ZTenderLine(t[0], m(t[1]), m(t[2]), m(t[3])) for t in d["tenders"]),
        tuple(m(x) for x in d["safe_drops"]), d["payments"], d["reversals"],
        d["first_receipt"], d["last_receipt"], d["approved_by"],
        tuple((a, b) for a, b in d["extra"]),
        paid_out=tuple((r, m(x)) for r, x in d.get("paid_out", [])),
        forced_by=d.get("forced_by", ""), force_reason=d.get("force_reason", ""))


def store_shift_report(session: Session, shift: Shift) -> int:
    doc = shift_document(session, shift)
    content = to_json(doc)
    day = _aware(shift.opened_at).date()
    existing = store.z_report_of_shift(session, shift.id)
    if existing is not None:
        store.replace_z_report(session, existing, content)
        return int(existing)
    return store.insert_z_report(session, shift.id, day, content)


def store_day_report(db: Database, actor: Actor, business_date: date) -> int:
    """Sum the day's closed shifts into one report (replacing an earlier run of it)."""
    require(actor, "report.shift")
    start = datetime.combine(business_date, time(0), tzinfo=UTC)
    with db.write() as session:
        cur = utility_currency(session)
        docs = [shift_document(session, s) for s in store.closed_shifts_opened(
            session, start, start + timedelta(days=1))]
        zero = Money.zero(cur)
        sums: dict[str, list[Money]] = {}
        for doc in docs:
            for t in doc.tenders:
                acc = sums.setdefault(t.kind, [zero, zero, zero])
                acc[0], acc[1], acc[2] = acc[0] + t.takings, acc[1] + t.expected, acc[2] + t.counted
        floats = zero
        for doc in docs:
            floats = floats + doc.opening_float
        day_doc = ZReportDocument(
            receipt_header(get_settings(session)), f"DAY {business_date.isoformat()}", "ALL",
            ", ".join(sorted({d.clerk for d in docs})), start,
            max((d.closed_at for d in docs), default=start), floats,
            tuple(ZTenderLine(k, *sums[k]) for k in TENDER_KINDS if k in sums),
            tuple(x for d in docs for x in d.safe_drops), sum(d.payments for d in docs),
            sum(d.reversals for d in docs), min((d.first_receipt for d in docs), default=""),
            max((d.last_receipt for d in docs), default=""), "",
            (("Shifts", str(len(docs))),),
            paid_out=tuple(p for d in docs for p in d.paid_out))
        content = to_json(day_doc)
        existing = store.day_z_report(session, business_date)
        if existing is not None:
            store.replace_z_report(session, existing, content)
            return int(existing)
        return store.insert_z_report(session, None, business_date, content)


def load_z_report(db: Database, actor: Actor, z_id: int) -> ZReportDocument:
    require(actor, "report.shift")
    with db.read() as session:
        content = store.z_report_content(session, z_id)
    if content is None:
        raise NotFound(f"no Z-report {z_id}")
    return from_json(content)


def print_z_report(db: Database, actor: Actor, z_id: int, printer: ReceiptPrinter,
                   options: PrintOptions) -> bytes:
    """Send a stored Z-report to a printer; returns the bytes sent."""
    doc = load_z_report(db, actor, z_id)
    return print_blocks(printer, layout_z_report(doc, columns_for(options.paper_mm)), options)
