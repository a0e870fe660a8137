"""Billing runs, bills, bill lines, credit notes and run exceptions.

Bills are documents: once written, no column changes. What a bill still owes is derived
from payment allocations and credit notes, never stored on the bill.
``(account_id, period, revision)`` is unique: the billing run writes revision 0, so two
racing runs cannot bill an account twice for one period; a rebill takes the next revision.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, BigId, created_at, money_column, one_of
from ebs_desktop.persistence.models.codes import BILL_KINDS, RUN_STATUSES
from ebs_desktop.persistence.types import DecimalText, Quantity


class BillingRun(Base):
    __tablename__ = "billing_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(7))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("billing_cycles.id"))
    status: Mapped[str] = mapped_column(String(16), default="running")
    bills_created: Mapped[int] = mapped_column(Integer, default=0)
    total_minor: Mapped[int] = money_column(default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = created_at()
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Why a run ended ``failed`` (the error as a person reads it); cleared when resumed.
    failure_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        one_of("status", RUN_STATUSES, "status_known"),
        CheckConstraint("period LIKE '____-__'", name="period_format"),
    )


class Bill(Base):
    __tablename__ = "bills"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    bill_number: Mapped[str] = mapped_column(String(32), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    period: Mapped[str] = mapped_column(String(7))
    revision: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16), default="regular")
    replaces_bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("billing_runs.id"))
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    issue_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    consumption_kwh: Mapped[Decimal] = mapped_column(Quantity)
    demand_kw: Mapped[Decimal | None] = mapped_column(Quantity)
    estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    total_minor: Mapped[int] = money_column()
    # The amount the customer pays after the due date (total plus late surcharge).
    after_due_minor: Mapped[int] = money_column()
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (
        UniqueConstraint("account_id", "period", "revision"),
        one_of("kind", BILL_KINDS, "kind_known"),
        CheckConstraint("period LIKE '____-__'", name="period_format"),
        CheckConstraint("period_end >= period_start", name="period_order"),
        CheckConstraint("revision >= 0", name="revision_non_negative"),
        Index("ix_bills_period", "period"),
    )


class BillPdf(Base):
    """A bill's PDF as issued, rendered once and kept: the print run, the bill email and
    the portal hand out these very bytes (named by their SHA-256), whatever later
    changes to the layout would draw."""

    __tablename__ = "bill_pdfs"

    bill_id: Mapped[int] = mapped_column(BigId, ForeignKey("bills.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    # the figures the PDF shows that a message quotes (JSON: names, numbers, amount due
    # in minor units, dates), so a bill notice needs neither the document nor the PDF
    figures: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (
        CheckConstraint("size > 0", name="size_positive"),
    )


class BillLine(Base):
    __tablename__ = "bill_lines"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # (bill_id, seq) is unique, and that index serves look-ups by bill too.
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"))
    seq: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(String(400))
    quantity: Mapped[Decimal] = mapped_column(DecimalText)
    rate: Mapped[Decimal] = mapped_column(DecimalText)
    amount_minor: Mapped[int] = money_column()
    # The tariff version the line was priced under. Deliberately not a foreign key: on
    # PostgreSQL each key check is a trigger per row, and this one made writing a billing
    # run's lines half again as slow (measured, docs/performance.md). Versions are never
    # deleted or edited (a change is a new version), so the id stays valid without it.
    tariff_version_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("bill_id", "seq"),)


class CreditNote(Base):
    """Cancels a bill in full; at most one per bill."""

    __tablename__ = "credit_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), unique=True)
    amount_minor: Mapped[int] = money_column()
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (CheckConstraint("length(reason) > 0", name="reason_given"),)


class BillingException(Base):
    """Something a billing run wants a person to look at (zero, high/low, estimated...)."""

    __tablename__ = "billing_exceptions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("billing_runs.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    code: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")
