"""The hash-chained audit log: its entries, its head row and the head's mirror in
``settings`` (what each holds and why: :mod:`ebs_desktop.services.audit`).

The append path (:func:`lock_head`, :func:`move_mirror`, :func:`insert_entry`,
:func:`move_head`) runs on every payment: prepared Core statements on the session's
connection, no ORM.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    String,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from ebs_desktop.persistence.models import Account, AuditEntry, AuditHead, Setting, User

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


# -- the viewer: entries by user, action, account and day -----------------------------------

def _day_bound(session: Session, day: date) -> Any:
    """A whole day as a bound for ``at`` (SQLite stores text: the bare day string sorts
    exactly; PostgreSQL compares an aware datetime)."""
    if session.get_bind().dialect.name == "sqlite":
        return literal(day.isoformat(), String())
    return literal(datetime(day.year, day.month, day.day, tzinfo=UTC), DateTime(timezone=True))


def _filters(session: Session, *, user_id: int | None, actions: Sequence[str],
             account_id: int | None, account_number: str | None, first: date | None,
             last: date | None) -> list[ColumnElement[bool]]:
    log = _LOG.c
    where: list[ColumnElement[bool]] = []
    if user_id is not None:
        # what the user did, and the failed sign-ins and locks recorded against them
        where.append(or_(log.user_id == user_id,
                         and_(log.action.in_(("user.login_failed", "user.locked")),
                              log.entity_id == str(user_id))))
    if actions:
        where.append(log.action.in_(list(actions)))
    if account_number is not None:
        # the account itself, or any entry whose facts name it (a payment, an edit)
        quoted = f'%"{account_number}"%'
        mentions = or_(log.after.like(quoted), log.before.like(quoted))
        if account_id is not None:
            mentions = or_(and_(log.entity == "account", log.entity_id == str(account_id)),
                           mentions)
        where.append(mentions)
    if first is not None:
        where.append(log.at >= _day_bound(session, first))
    if last is not None:
        where.append(log.at < _day_bound(session, last + timedelta(days=1)))
    return where


def count_matching(session: Session, **filters: Any) -> int:
    """How many entries pass the filters (see :func:`find_matching`)."""
    return int(session.scalar(select(func.count()).select_from(_LOG)
                              .where(*_filters(session, **filters))) or 0)


def find_matching(session: Session, offset: int, limit: int, *, top: int | None = None,
                  **filters: Any) -> list[tuple[Any, ...]]:
    """Entries passing the filters, newest first, with the acting user's full name:
    (id, at, user id, actor, full name or None, action, entity, entity id, before, after).
    Filters: ``user_id``, ``actions``, ``account_id``/``account_number``, ``first``/``last``
    (days, both included). ``top``: start at that id (a keyset page: ids are contiguous, so
    the unfiltered log pages without an OFFSET scan)."""
    log = _LOG.c
    where = _filters(session, **filters)
    if top is not None:
        where.append(log.id <= top)
    stmt = (select(log.id, log.at, log.user_id, log.actor, User.full_name, log.action,
                   log.entity, log.entity_id, log.before, log.after)
            .outerjoin(User, User.id == log.user_id)
            .where(*where)
            .order_by(log.id.desc()).offset(offset).limit(limit))
    return [tuple(row) for row in session.execute(stmt)]


def staff_names(session: Session) -> list[tuple[int, str, str]]:
    """(id, username, full name) of every user, by name: the viewer's user filter."""
    return [(int(i), str(u), str(n)) for i, u, n in session.execute(
        select(User.id, User.username, User.full_name).order_by(User.full_name, User.id))]


def account_numbers(session: Session, account_ids: Sequence[int]) -> dict[int, str]:
    """The account numbers of entries about accounts (their entity id is the row id)."""
    if not account_ids:
        return {}
    return {int(i): str(n) for i, n in session.execute(
        select(Account.id, Account.account_number).where(Account.id.in_(list(account_ids))))}
