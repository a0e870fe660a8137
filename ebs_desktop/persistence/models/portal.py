"""The customer portal's sign-in (issue 21): logins, the accounts each has proven, server-side
sessions, throttle counters, single-use tokens and the activity log.

* ``portal_logins``: one per email address (``email_folded`` is the address trimmed and
  lower-cased, unique), an Argon2id hash, ``verified_at`` once the address is confirmed,
  ``locked`` by staff, an optional TOTP secret (``totp_enabled`` once confirmed by a code).
* ``portal_login_accounts``: the accounts a login has proven, how (``bill_number``,
  ``bill_total``, ``invite``, ``staff``) and when.
* ``portal_sessions``: the id is the SHA-256 of the cookie's secret (a stolen table gives no
  cookie); ``stage`` is ``totp`` between the password and the code. Idle and absolute
  expiries are checked on every request; ``revoked_at`` ends a session.
* ``portal_throttle``: failure counters per ``email:<address>`` / ``ip:<address>`` /
  ``account:<number>`` in a window, in the database so they hold across workers.
* ``portal_tokens``: verification, password reset and invitation links: the SHA-256 of the
  link's secret, an expiry and ``used_at`` (single use).
* ``portal_activity``: what happened (sign-in, failure, password change...), who, from where.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, BigId, one_of
from ebs_desktop.persistence.models.base import created_at as stamped

PROOF_KINDS = ("bill_number", "bill_total", "invite", "staff")
TOKEN_PURPOSES = ("verify", "reset", "invite")
SESSION_STAGES = ("full", "totp")


class PortalLogin(Base):
    __tablename__ = "portal_logins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    email_folded: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    locked_reason: Mapped[str | None] = mapped_column(Text)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime] = stamped()
    created_at: Mapped[datetime] = stamped()


class PortalLoginAccount(Base):
    __tablename__ = "portal_login_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login_id: Mapped[int] = mapped_column(ForeignKey("portal_logins.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    proven_at: Mapped[datetime] = stamped()
    proven_by: Mapped[str] = mapped_column(String(16))

    __table_args__ = (
        UniqueConstraint("login_id", "account_id"),
        one_of("proven_by", PROOF_KINDS, "proven_by_known"),
    )


class PortalSession(Base):
    __tablename__ = "portal_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the secret
    login_id: Mapped[int] = mapped_column(ForeignKey("portal_logins.id"), index=True)
    stage: Mapped[str] = mapped_column(String(8), default="full")
    created_at: Mapped[datetime] = stamped()
    last_seen_at: Mapped[datetime] = stamped()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    __table_args__ = (one_of("stage", SESSION_STAGES, "stage_known"),)


class PortalThrottle(Base):
    __tablename__ = "portal_throttle"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    failures: Mapped[int] = mapped_column(Integer, default=0)


class PortalToken(Base):
    __tablename__ = "portal_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(8))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    login_id: Mapped[int | None] = mapped_column(ForeignKey("portal_logins.id"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    email: Mapped[str | None] = mapped_column(String(254))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = stamped()

    __table_args__ = (one_of("purpose", TOKEN_PURPOSES, "purpose_known"),)


class PortalActivity(Base):
    __tablename__ = "portal_activity"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = stamped()
    login_id: Mapped[int | None] = mapped_column(ForeignKey("portal_logins.id"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    email: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(40))
    ip: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_portal_activity_login", "login_id", "at"),
        Index("ix_portal_activity_account", "account_id", "at"),
    )
