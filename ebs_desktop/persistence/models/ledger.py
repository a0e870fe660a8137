"""The account ledger: double-entry journals whose entries sum to zero.

Every posting is one ``Journal`` whose ``LedgerEntry`` rows sum to zero. Entries with
``gl_code = 'AR'`` carry the customer's account and make up its balance (positive: the
customer owes); the other side (SALES, CASH, CARD...) is the utility's. Each entry names
the document it comes from (bill, payment, credit note), so an account's ledger reads
like a statement. A billing batch is one journal: one AR entry per bill and one SALES
entry for the batch total, which keeps a million-bill run lean. Entries are never
updated or deleted; mistakes are reversed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, BigId, created_at, money_column, one_of
from ebs_desktop.persistence.models.codes import GL_CODES, LEDGER_KINDS


class Journal(Base):
    __tablename__ = "journals"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    entry_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(400), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (one_of("kind", LEDGER_KINDS, "kind_known"),)


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id"), index=True)
    gl_code: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    amount_minor: Mapped[int] = money_column()
    entry_date: Mapped[date] = mapped_column(Date)
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("credit_notes.id"))

    __table_args__ = (
        one_of("gl_code", GL_CODES, "gl_known"),
        CheckConstraint("(gl_code = 'AR') = (account_id IS NOT NULL)",
                        name="ar_has_account"),
        Index("ix_ledger_entries_account", "account_id", "journal_id"),
    )
