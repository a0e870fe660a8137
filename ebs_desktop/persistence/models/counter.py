"""The cash counter: counters, printers, shifts, payments, tenders, receipts, print queue.

Payments and receipts are documents: a mistake is a ``PaymentReversal`` (with its own
receipt), never an edit. ``payments.idempotency_key`` is unique: the same key submitted
twice (double click, retry, another process) finds the first payment.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, BigId, created_at, money_column, one_of
from ebs_desktop.persistence.models.codes import (
    PAYMENT_CHANNELS,
    PRINT_JOB_STATUSES,
    PRINTER_KINDS,
    RECEIPT_KINDS,
    SHIFT_STATUSES,
    TENDERS,
)


class Printer(Base):
    __tablename__ = "printers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(200))
    paper_mm: Mapped[int] = mapped_column(Integer, default=80)
    logo: Mapped[bool] = mapped_column(default=False)
    drawer_kick: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        one_of("kind", PRINTER_KINDS, "kind_known"),
        CheckConstraint("paper_mm IN (58, 80)", name="paper_known"),
    )


class Counter(Base):
    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id"))
    is_active: Mapped[bool] = mapped_column(default=True)


class Shift(Base):
    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    clerk_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    opening_float_minor: Mapped[int] = money_column()
    opened_at: Mapped[datetime] = created_at()
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    needs_approval: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Closed with a difference above the threshold: blocks the counter until approved."""
    forced_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """The supervisor who closed another clerk's shift (with ``force_reason``)."""
    force_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        one_of("status", SHIFT_STATUSES, "status_known"),
        CheckConstraint("opening_float_minor >= 0", name="float_non_negative"),
        CheckConstraint("forced_by IS NULL OR length(coalesce(force_reason, '')) > 0",
                        name="force_reason_given"),
        Index("uq_shifts_open_counter", "counter_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )


class ShiftCount(Base):
    """The blind count at close: one row per tender and denomination (cash), or per tender."""

    __tablename__ = "shift_counts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    tender: Mapped[str] = mapped_column(String(16))
    denomination_minor: Mapped[int | None] = money_column(nullable=True)
    quantity: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = money_column()

    __table_args__ = (one_of("tender", TENDERS, "tender_known"),)


class SafeDrop(Base):
    __tablename__ = "safe_drops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    amount_minor: Mapped[int] = money_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (CheckConstraint("amount_minor > 0", name="amount_positive"),)


class ZReport(Base):
    """A stored Z-report (per shift, or per day when ``shift_id`` is null)."""

    __tablename__ = "z_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"), unique=True)
    business_date: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"), index=True)
    amount_minor: Mapped[int] = money_column()
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(16), default="counter")
    received_at: Mapped[datetime] = created_at()

    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        one_of("channel", PAYMENT_CHANNELS, "channel_known"),
    )


class PaymentTender(Base):
    """One tender of a payment; card rows hold only scheme, last four and approval code."""

    __tablename__ = "payment_tenders"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    tender: Mapped[str] = mapped_column(String(16))
    amount_minor: Mapped[int] = money_column()
    tendered_minor: Mapped[int | None] = money_column(nullable=True)
    change_minor: Mapped[int] = money_column(default=0)
    card_scheme: Mapped[str | None] = mapped_column(String(16))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    approval_code: Mapped[str | None] = mapped_column(String(16))
    cheque_number: Mapped[str | None] = mapped_column(String(32))
    cheque_bank: Mapped[str | None] = mapped_column(String(100))
    cheque_date: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(140))

    __table_args__ = (
        one_of("tender", TENDERS, "tender_known"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("change_minor >= 0", name="change_non_negative"),
        CheckConstraint("card_last4 IS NULL OR length(card_last4) = 4", name="last4_only"),
    )


class PaymentReversal(Base):
    __tablename__ = "payment_reversals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    fee_minor: Mapped[int] = money_column(default=0)
    # null for both: the gateway reversed it (a refund or dispute it reported online)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at()
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"), index=True)
    """The shift whose drawer paid the reversed cash out (null: no cash was paid out)."""

    __table_args__ = (CheckConstraint("length(reason) > 0", name="reason_given"),)


class PaymentAllocation(Base):
    """How much of a payment settled which bill; a reversal adds the negative rows."""

    __tablename__ = "payment_allocations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True)
    amount_minor: Mapped[int] = money_column()
    reversal_id: Mapped[int | None] = mapped_column(ForeignKey("payment_reversals.id"))


class Receipt(Base):
    """A numbered receipt: ``series`` is the counter and year (``C01-2026``), gapless."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    series: Mapped[str] = mapped_column(String(24))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"))
    reversal_id: Mapped[int | None] = mapped_column(ForeignKey("payment_reversals.id"),
                                                    unique=True)
    # The receipt exactly as first issued (JSON of the receipt document: balance after,
    # tenders, clerk...), so a reprint years later shows what the customer was handed.
    content: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (
        UniqueConstraint("series", "seq"),
        one_of("kind", RECEIPT_KINDS, "kind_known"),
        Index("uq_receipts_payment_original", "payment_id", unique=True,
              sqlite_where=text("kind = 'payment'"), postgresql_where=text("kind = 'payment'")),
    )


class PrintJob(Base):
    """The receipt print queue: a failed print stays queued and is retried or reprinted."""

    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id"), index=True)
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id"))
    duplicate: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
    printed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (one_of("status", PRINT_JOB_STATUSES, "status_known"),)
