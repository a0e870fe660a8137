"""Receipts as CSV, for the accountant and the auditor: one row per receipt, in number order.

Amounts are plain decimal text with the currency in its own column (never floats), so a
spreadsheet sums them exactly and a script can compare them with the ledger. Text cells
go through :mod:`ebs_desktop.reports.spreadsheet_cells`, so none becomes a live formula.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    Payment,
    PaymentReversal,
    PaymentTender,
    Receipt,
)
from ebs_desktop.reports.spreadsheet_cells import SafeCsvWriter
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import get_settings

COLUMNS = ("receipt_number", "kind", "issued_at", "series", "seq", "account_number", "amount",
           "currency", "tenders", "channel", "payment_id", "reverses_payment_id", "fee")


def export_receipts(db: Database, actor: Actor, date_from: date, date_to: date,
                    out: Path) -> int:
    """Write receipts issued from ``date_from`` to ``date_to`` (inclusive, UTC); returns rows."""
    require(actor, "report.shift")
    start = datetime.combine(date_from, time(0), tzinfo=UTC)
    end = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=UTC)
    count = 0
    with db.read() as s, out.open("w", newline="", encoding="utf-8") as fh:
        currency = get_settings(s).currency
        writer = SafeCsvWriter(fh)
        writer.writerow(COLUMNS)
        rows = s.execute(
            select(Receipt.number, Receipt.kind, Receipt.created_at, Receipt.series, Receipt.seq,
                   Account.account_number, Payment.amount_minor, Payment.channel, Payment.id,
                   PaymentReversal.fee_minor)
            .join(Payment, Payment.id == Receipt.payment_id)
            .join(Account, Account.id == Payment.account_id)
            .outerjoin(PaymentReversal, PaymentReversal.id == Receipt.reversal_id)
            .where(Receipt.created_at >= start, Receipt.created_at < end)
            .order_by(Receipt.series, Receipt.seq))
        for number, kind, at, series, seq, acct, minor, channel, pid, fee in rows:
            tenders = ";".join(f"{t}:{Money(int(m), currency)}" for t, m in s.execute(
                select(PaymentTender.tender, PaymentTender.amount_minor)
                .where(PaymentTender.payment_id == pid).order_by(PaymentTender.id)))
            sign = -1 if kind == "reversal" else 1
            writer.writerow((number, kind, at.isoformat(), series, seq, acct,
                             Money(sign * int(minor), currency), currency, tenders, channel,
                             pid, pid if kind == "reversal" else "",
                             Money(int(fee or 0), currency)))
            count += 1
    return count
