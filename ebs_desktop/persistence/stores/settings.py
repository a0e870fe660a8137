"""The ``settings`` table: one JSON text per key (business settings, switches, the audit
head's mirror). Values go in and out as the stored JSON text; decoding and defaults are
the business of :mod:`ebs_desktop.services.settings`.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from ebs_desktop.persistence.models import Setting

_CURRENCY = text("SELECT value FROM settings WHERE key = 'currency'")


def stored_values(session: Session) -> dict[str, str]:
    """Every stored key with its JSON text."""
    return {row.key: row.value for row in session.scalars(select(Setting))}


def stored_value(session: Session, key: str) -> str | None:
    """The JSON text of one key, None when the key was never stored."""
    row = session.get(Setting, key)
    return None if row is None else row.value


def store_value(session: Session, key: str, value: str) -> None:
    """Insert or replace the JSON text of ``key`` (flushed with the caller's session)."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def stored_currency(conn: Session | Connection) -> str | None:
    """The JSON text of the ``currency`` setting: one primary-key probe, no ORM (a payment
    reads it on its own connection)."""
    return conn.execute(_CURRENCY).scalar()
