"""Settings, gapless number series, the hash-chained audit log, the notification outbox
and the record of backups taken."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.domain.sms_receipts import RECEIPT_STATES
from ebs_desktop.persistence.models.base import Base, BigId, created_at, one_of
from ebs_desktop.persistence.models.codes import OUTBOX_KINDS, OUTBOX_STATUSES


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
    """One message to one recipient on one channel (issue 20): written in the same
    transaction as the business action it tells of, drained by the senders.

    ``dedupe_key`` names the message once and for all (``bill_issued:B2026-0000123:email``):
    enqueuing the same key twice does nothing, and the senders pass it to the provider
    (email Message-ID, SMS client reference). ``context`` is the JSON the template renders
    at send time, in ``language``. A sender leases a row (``status='sending'``,
    ``lease_until``); a lease that runs out is taken over by another sender.
    """

    __tablename__ = "notification_outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    recipient: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(16))
    context: Mapped[str] = mapped_column(Text)
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id"))
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = created_at()
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    leased_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    provider_id: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
    # The provider's delivery receipt (SMS): what became of the message after it left.
    receipt_state: Mapped[str | None] = mapped_column(String(16))
    receipt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        one_of("status", OUTBOX_STATUSES, "status_known"),
        CheckConstraint("receipt_state IS NULL OR " + " OR ".join(
            f"receipt_state = '{s}'" for s in RECEIPT_STATES), name="receipt_state_known"),
        Index("ix_notification_outbox_provider_id", "provider_id"),
        one_of("kind", OUTBOX_KINDS, "kind_known"),
        CheckConstraint("channel = 'email' OR channel = 'sms'", name="channel_known"),
        CheckConstraint("attempts >= 0", name="attempts_positive"),
        Index("ix_notification_outbox_due", "status", "next_attempt_at"),
        Index("ix_notification_outbox_account", "account_id"),
    )


class NotificationTemplate(Base):
    """An administrator's replacement of one shipped message template in one language
    (issue 20, point 7); no row means the file under ``templates/notify/<language>/``."""

    __tablename__ = "notification_templates"

    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(48), primary_key=True)  # e.g. reminder.sms
    source: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = created_at()


class AccountPreferences(Base):
    """How an account's customer wants to hear from the utility (issue 20, point 8).

    No row means the defaults (:func:`ebs_desktop.domain.notifications.choose_channels`).
    ``channels`` is JSON ``{"kind": ["email", "sms"], ...}`` for the kinds the customer
    chose; ``reminders`` False opts out of reminders (never of notices the law requires).
    """

    __tablename__ = "account_preferences"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    paperless: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(16))
    reminders: Mapped[bool] = mapped_column(Boolean, default=True)
    channels: Mapped[str | None] = mapped_column(Text)
    # the customer's own SMS quiet window (HH:MM, utility's time zone); None: none
    quiet_from: Mapped[str | None] = mapped_column(String(5))
    quiet_to: Mapped[str | None] = mapped_column(String(5))
    updated_at: Mapped[datetime] = created_at()


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
