"""Collections (issue 20, point 9): holds, payment arrangements, the dunning steps taken
and the field orders (disconnect, reconnect) for the crews.

``dunning_events`` is the path's state: one row per bill and level reached (unique), so a
second run on the same day finds every step done and does nothing. A field order is done
by the crew (``done``: the account's status changes) or cancelled when the arrears are paid
first. Its ``number`` is unique (``D-<bill>``, ``R-<bill>``): the same disconnection is
never ordered twice. The rules live in :mod:`ebs_desktop.domain.dunning`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, BigId, created_at, money_column, one_of
from ebs_desktop.persistence.models.codes import (
    ARRANGEMENT_STATUSES,
    DUNNING_LEVELS,
    FIELD_ORDER_KINDS,
    FIELD_ORDER_STATUSES,
    HOLD_KINDS,
)


class PaymentArrangement(Base):
    """An instalment plan for an account's arrears; active, it holds the path."""

    __tablename__ = "payment_arrangements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    reference: Mapped[str] = mapped_column(String(100), default="")
    agreed_on: Mapped[date] = mapped_column(Date)
    total_minor: Mapped[int] = money_column()
    status: Mapped[str] = mapped_column(String(16), default="active")
    ended_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (
        one_of("status", ARRANGEMENT_STATUSES, "status_known"),
        CheckConstraint("total_minor > 0", name="total_positive"),
    )


class ArrangementInstalment(Base):
    __tablename__ = "arrangement_instalments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("payment_arrangements.id"))
    seq: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = money_column()

    __table_args__ = (
        UniqueConstraint("arrangement_id", "seq"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
    )


class CollectionHold(Base):
    """A hold on an account's collection path: from ``starts_on`` until ``ends_on``
    (open-ended when NULL) unless released earlier."""

    __tablename__ = "collection_holds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    arrangement_id: Mapped[int | None] = mapped_column(ForeignKey("payment_arrangements.id"))
    released_on: Mapped[date | None] = mapped_column(Date)
    release_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (
        one_of("kind", HOLD_KINDS, "kind_known"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
    )


class DunningEvent(Base):
    """A level of the path reached on a bill (the notice enqueued in the same transaction)."""

    __tablename__ = "dunning_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"))
    level: Mapped[str] = mapped_column(String(16))
    event_date: Mapped[date] = mapped_column(Date)
    arrears_minor: Mapped[int] = money_column()
    disconnect_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (
        UniqueConstraint("bill_id", "level"),
        one_of("level", DUNNING_LEVELS, "level_known"),
        Index("ix_dunning_events_account", "account_id"),
    )


class FieldOrder(Base):
    """Work for a field crew: disconnect or reconnect an account's supply."""

    __tablename__ = "field_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    ordered_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    arrears_minor: Mapped[int] = money_column(default=0)
    fee_minor: Mapped[int] = money_column(default=0)
    journal_id: Mapped[int | None] = mapped_column(ForeignKey("journals.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (
        one_of("kind", FIELD_ORDER_KINDS, "kind_known"),
        one_of("status", FIELD_ORDER_STATUSES, "status_known"),
        CheckConstraint("fee_minor >= 0", name="fee_not_negative"),
    )
