"""The hash-chained audit log: its entries, its head row and the head's mirror in
``settings`` (what each holds and why: :mod:`ebs_desktop.services.audit`).

The append path (:func:`lock_head`, :func:`move_mirror`, :func:`insert_entry`,
:func:`move_head`) runs on every payment: prepared Core statements on the session's
connection, no ORM.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from ebs_desktop.persistence.models import AuditEntry, AuditHead, Setting

MIRROR_KEY = "audit.head"

_HEAD: Table = AuditHead.__table__  # type: ignore[assignment]
_LOG: Table = AuditEntry.__table__  # type: ignore[assignment]
_SETTINGS: Table = Setting.__table__  # type: ignore[assignment]
_LOCK_HEAD = select(_HEAD.c.last_id, _HEAD.c.last_hash).where(_HEAD.c.id == 1).with_for_update()
_READ_HEAD = select(_HEAD.c.last_id, _HEAD.c.last_hash).where(_HEAD.c.id == 1)
_INSERT = insert(_LOG)
_MOVE_HEAD = update(_HEAD).where(_HEAD.c.id == 1)
_MOVE_MIRROR = (update(_SETTINGS)
                .where(_SETTINGS.c.key == MIRROR_KEY, _SETTINGS.c.value == bindparam("old_value"))
                .values(value=bindparam("new_value")))
_MIRROR = select(_SETTINGS.c.value).where(_SETTINGS.c.key == MIRROR_KEY)


def _pair(row: Any) -> tuple[int, str] | None:
    return None if row is None else (int(row[0]), str(row[1]))


# -- the head --------------------------------------------------------------------------------

def lock_head(conn: Connection | Session) -> tuple[int, str] | None:
    """(last id, last hash) of the head row, locked until the transaction ends; None when
    the row is missing."""
    return _pair(conn.execute(_LOCK_HEAD).first())


def read_head(session: Session) -> tuple[int, str] | None:
    """(last id, last hash) of the head row without a lock; None when missing."""
    return _pair(session.execute(_READ_HEAD).first())


def create_head(session: Session, last_id: int, last_hash: str) -> None:
    session.execute(insert(_HEAD).values(id=1, last_id=last_id, last_hash=last_hash))


def move_head(conn: Connection, last_id: int, last_hash: str) -> None:
    conn.execute(_MOVE_HEAD, {"last_id": last_id, "last_hash": last_hash})


# -- the head's mirror in settings -----------------------------------------------------------

def mirror_text(session: Session) -> str | None:
    """The stored JSON text of the mirror; None when the row is missing."""
    return session.execute(_MIRROR).scalar()


def create_mirror(session: Session, value: str) -> None:
    session.execute(insert(_SETTINGS).values(key=MIRROR_KEY, value=value))


def move_mirror(conn: Connection, old_value: str, new_value: str) -> bool:
    """Move the mirror from ``old_value`` to ``new_value``; False (nothing written) when
    it did not hold ``old_value`` or is missing."""
    moved = conn.execute(_MOVE_MIRROR, {"old_value": old_value, "new_value": new_value})
    return bool(moved.rowcount == 1)


def replace_mirror(conn: Connection, value: str) -> None:
    """Set the mirror whatever it held (or create it)."""
    conn.execute(delete(_SETTINGS).where(_SETTINGS.c.key == MIRROR_KEY))
    conn.execute(insert(_SETTINGS).values(key=MIRROR_KEY, value=value))


# -- entries ---------------------------------------------------------------------------------

def insert_entry(conn: Connection, values: dict[str, Any]) -> None:
    """One entry: id, at, user_id, actor, action, entity, entity_id, before, after,
    prev_hash, hash."""
    conn.execute(_INSERT, values)


def has_entries(session: Session) -> bool:
    return session.scalar(select(_LOG.c.id).limit(1)) is not None


def last_entry(session: Session) -> tuple[int, str] | None:
    """(id, hash) of the newest entry, None for an empty log."""
    return _pair(session.execute(select(_LOG.c.id, _LOG.c.hash)
                                 .order_by(_LOG.c.id.desc()).limit(1)).first())


def newest_id(session: Session) -> int:
    """The id of the newest entry, 0 for an empty log."""
    return int(session.scalar(select(func.max(_LOG.c.id))) or 0)


def stream_entries(session: Session) -> Iterator[AuditEntry]:
    """Every entry in id order, streamed (5,000 at a time)."""
    stmt = select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=5000)
    yield from session.scalars(stmt)


def entries_below(session: Session, top: int, limit: int) -> list[AuditEntry]:
    """Entries ``top`` and down, at most ``limit``, newest first."""
    return list(session.scalars(select(AuditEntry).where(
        AuditEntry.id <= top, AuditEntry.id > top - limit)
        .order_by(AuditEntry.id.desc())))


def entity_ids_of(session: Session, action: str) -> set[str]:
    """The entity ids of every entry of ``action`` (``user.add``: the users recorded)."""
    return set(session.scalars(select(_LOG.c.entity_id).where(_LOG.c.action == action)))
