"""Settings, gapless number series, the hash-chained audit log, the notification outbox
and the record of backups taken."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, BigId, created_at, one_of
from ebs_desktop.persistence.models.codes import OUTBOX_STATUSES


class Setting(Base):
    """Business settings (utility name, currency, due days...), one JSON value per key."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class NumberSeries(Base):
    """A gapless document number series (bills, credit notes, receipts per counter/year).

    ``next_value`` is taken with ``UPDATE ... SET next_value = next_value + n`` inside the
    document's own transaction: a rollback gives the numbers back, and only transactions
    using the same series wait for each other.
    """

    __tablename__ = "number_series"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(24))
    next_value: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (CheckConstraint("next_value >= 1", name="next_positive"),)


class AuditEntry(Base):
    """Who did what, when, with the before/after; ``hash`` covers ``prev_hash``."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = created_at()
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The chain's last hash in one row: appending locks it, so the chain stays a chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class OutboxMessage(Base):
    """A notification to send (bill by email, SMS reminder); a sender process drains it."""

    __tablename__ = "notification_outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(400), default="")
    body: Mapped[str] = mapped_column(Text)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (
        one_of("status", OUTBOX_STATUSES, "status_known"),
        CheckConstraint("channel IN ('email', 'sms')", name="channel_known"),
    )


class BackupRecord(Base):
    """A backup taken (``ebs db backup`` or the daily automatic copy): when, where, how big,
    and how big the database was then (the dashboard's growth figure)."""

    __tablename__ = "backups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    taken_at: Mapped[datetime] = created_at()
    kind: Mapped[str] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    database_bytes: Mapped[int] = mapped_column(BigInteger)
    actor: Mapped[str] = mapped_column(String(100))

    __table_args__ = (one_of("kind", ("manual", "daily"), "kind_known"),)
