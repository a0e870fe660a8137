"""Imported bank statements and their lines; the unique keys make re-imports add nothing.

Amounts are integer minor units of the row's own ``currency`` (ISO 4217), which need not
be the utility's: a KWD statement's 45.500 is stored as 45500 with ``KWD`` and is never
read as cents of anything (migration 0003).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, BigId, created_at, money_column, one_of
from ebs_desktop.persistence.models.codes import BANK_LINE_STATUSES


class BankStatement(Base):
    __tablename__ = "bank_statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_account: Mapped[str] = mapped_column(String(64))
    statement_ref: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(400))
    opening_minor: Mapped[int | None] = money_column(nullable=True)
    closing_minor: Mapped[int | None] = money_column(nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at()
    currency: Mapped[str] = mapped_column(String(3))
    """ISO 4217 code of the account, the balances and every line of the statement."""

    __table_args__ = (UniqueConstraint("bank_account", "statement_ref"),)


class BankLine(Base):
    __tablename__ = "bank_lines"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("bank_statements.id"), index=True)
    line_key: Mapped[str] = mapped_column(String(128), unique=True)
    booked_on: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = money_column()
    reference: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="review")
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    currency: Mapped[str] = mapped_column(String(3))
    """ISO 4217 code of ``amount_minor``: the statement's, not necessarily the utility's."""
    review_reason: Mapped[str | None] = mapped_column(String(200))
    """Why a line waits for a person (another currency, no or several account numbers)."""

    __table_args__ = (one_of("status", BANK_LINE_STATUSES, "status_known"),)
