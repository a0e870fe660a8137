"""Meter readings and the files they were imported from.

A reading is never overwritten: a correction supersedes it (status ``superseded``) and a
new row takes its place. At most one current reading per register and day, guarded by a
partial unique index, is what makes every import path idempotent.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, BigId, created_at, one_of
from ebs_desktop.persistence.models.codes import READING_CODES, READING_SOURCES, READING_STATUSES
from ebs_desktop.persistence.types import Quantity


class ReadingBatch(Base):
    """One imported file or handheld upload; the content hash makes re-imports no-ops."""

    __tablename__ = "reading_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(400))
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (one_of("source", READING_SOURCES, "source_known"),)


class Reading(Base):
    __tablename__ = "readings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("meter_registers.id"))
    read_on: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Quantity)
    # Consumption since the previous reading, multiplier applied (kWh); null for a first
    # reading and for demand registers, whose value is itself the quantity billed.
    consumption: Mapped[Decimal | None] = mapped_column(Quantity)
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="valid")
    reading_code: Mapped[str | None] = mapped_column(String(24))
    flags: Mapped[str] = mapped_column(String(200), default="")
    reader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("reading_batches.id"))
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (
        one_of("source", READING_SOURCES, "source_known"),
        one_of("status", READING_STATUSES, "status_known"),
        one_of("reading_code", READING_CODES, "code_known"),
        Index("uq_readings_current", "register_id", "read_on", unique=True,
              sqlite_where=text("status <> 'superseded'"),
              postgresql_where=text("status <> 'superseded'")),
        Index("ix_readings_register_date", "register_id", "read_on"),
    )


class CustomerRead(Base):
    """A reading a customer submitted in the portal: who, when, and the meter's photo.

    The reading itself is an ordinary row of ``readings`` (source ``customer``), checked by
    the same rules; one outside the expected range is ``pending`` until staff confirm it.
    """

    __tablename__ = "customer_reads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reading_id: Mapped[int] = mapped_column(BigId, ForeignKey("readings.id"), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    login_id: Mapped[int | None] = mapped_column(Integer)  # the portal login, when known
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)  # re-encoded, no metadata
    photo_type: Mapped[str | None] = mapped_column(String(32))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
