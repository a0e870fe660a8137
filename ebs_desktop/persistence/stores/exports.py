"""The reads behind the CSV exports (bills of a period, receipts of some days).

The bill export streams from the driver's cursor in chunks (a million-bill period never
sits in memory); SQL text with ``?`` placeholders, rewritten to ``%s`` for psycopg: the
only dialect branch of the exports.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import Result, func, select
from sqlalchemy.orm import Session

from ebs_desktop.persistence.models import (
    Account,
    Bill,
    Payment,
    PaymentReversal,
    PaymentTender,
    Receipt,
)

AnyResult: TypeAlias = Result[*tuple[Any, ...]]

_BILLS_SQL = (
    "SELECT b.bill_number, a.account_number, b.period, b.total_minor, b.issue_date,"
    " b.due_date, b.period_start, b.period_end, b.consumption_kwh, b.estimated, b.kind,"
    " b.revision, c.number,"
    " (SELECT COALESCE(SUM(pa.amount_minor), 0) FROM payment_allocations pa"
    "  WHERE pa.bill_id = b.id AND pa.reversal_id IS NULL)"
    " FROM bills b JOIN accounts a ON a.id = b.account_id"
    " LEFT JOIN credit_notes c ON c.bill_id = b.id"
    " WHERE b.period = ? ORDER BY b.bill_number")



def count_period_bills(session: Session, period: str) -> int:
    """How many rows :func:`period_bill_chunks` gives for ``period`` (a progress total)."""
    return int(session.scalar(select(func.count()).where(Bill.period == period)) or 0)


def period_bill_chunks(session: Session, period: str,
                       size: int) -> Generator[Sequence[tuple[Any, ...]], None, None]:
    """Every bill of ``period`` in bill-number order, ``size`` rows at a time: (number,
    account, period, total minor, issue, due, start, end, kWh thousandths, estimated,
    kind, revision, credit note number or None, allocated minor). The cursor is closed
    when the generator finishes or is closed."""
    conn = session.connection()
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    sql = _BILLS_SQL.replace("?", "%s") if conn.dialect.name == "postgresql" else _BILLS_SQL
    cur = dbapi.cursor()
    try:
        cur.execute(sql, (period,))
        while chunk := cur.fetchmany(size):
            yield chunk
    finally:
        cur.close()


def receipts_issued(session: Session, start: datetime,
                    end: datetime) -> AnyResult:
    """Receipts created from ``start`` to before ``end``, in series and number order:
    (number, kind, created at, series, seq, account number, payment amount, channel,
    payment id, reversal fee or None)."""
    return session.execute(
        select(Receipt.number, Receipt.kind, Receipt.created_at, Receipt.series, Receipt.seq,
               Account.account_number, Payment.amount_minor, Payment.channel, Payment.id,
               PaymentReversal.fee_minor)
        .join(Payment, Payment.id == Receipt.payment_id)
        .join(Account, Account.id == Payment.account_id)
        .outerjoin(PaymentReversal, PaymentReversal.id == Receipt.reversal_id)
        .where(Receipt.created_at >= start, Receipt.created_at < end)
        .order_by(Receipt.series, Receipt.seq))


def payment_tenders(session: Session, payment_id: int) -> Result[str, int]:
    """(tender, amount minor) of one payment, in the order taken."""
    return session.execute(
        select(PaymentTender.tender, PaymentTender.amount_minor)
        .where(PaymentTender.payment_id == payment_id).order_by(PaymentTender.id))
