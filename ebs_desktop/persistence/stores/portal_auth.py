"""The portal's sign-in tables (see :mod:`ebs_desktop.persistence.models.portal`).

Plain queries for :mod:`ebs_desktop.services.portal_auth`, which owns the transactions and
the rules. Throttle counters are one upsert each (``INSERT ... ON CONFLICT DO UPDATE``), so
two workers counting the same failure at once both count: the count lives in the database,
not in a process.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ebs_desktop.domain.notifications import Kind
from ebs_desktop.persistence.models import (
    Account,
    Bill,
    Customer,
    OutboxMessage,
    PortalActivity,
    PortalLogin,
    PortalLoginAccount,
    PortalSession,
    PortalThrottle,
    PortalToken,
)
from ebs_desktop.persistence.tx import Session


def _insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def ping(session: Session) -> bool:
    return bool(session.execute(text("SELECT 1")).scalar_one() == 1)


# -- logins and their accounts -----------------------------------------------------------

def login_by_email(session: Session, folded: str) -> PortalLogin | None:
    return session.scalars(select(PortalLogin).where(PortalLogin.email_folded == folded)
                           ).one_or_none()


def login_by_id(session: Session, login_id: int) -> PortalLogin | None:
    return session.get(PortalLogin, login_id)


def add_login(session: Session, *, email: str, folded: str, password_hash: str,
              now: datetime, verified: bool) -> PortalLogin:
    login = PortalLogin(email=email, email_folded=folded, password_hash=password_hash,
                        verified_at=now if verified else None, locked=False,
                        totp_enabled=False, failed_logins=0, password_changed_at=now,
                        created_at=now)
    session.add(login)
    session.flush()
    return login


def account_id(session: Session, account_number: str) -> int | None:
    found = session.scalar(select(Account.id).where(Account.account_number == account_number))
    return None if found is None else int(found)


def account_number(session: Session, account_id: int) -> str:
    return str(session.scalar(select(Account.account_number).where(Account.id == account_id)))


def recent_bills(session: Session, account_id: int, count: int = 3) -> list[tuple[str, int]]:
    """(bill number, total) of the account's latest ``count`` bills, newest first."""
    rows = session.execute(select(Bill.bill_number, Bill.total_minor)
                           .where(Bill.account_id == account_id)
                           .order_by(Bill.issue_date.desc(), Bill.id.desc()).limit(count))
    return [(str(n), int(t)) for n, t in rows]


def link_account(session: Session, login_id: int, account_id: int, how: str,
                 now: datetime) -> bool:
    """Add the proven account to the login; False when it already held it."""
    statement = _insert(session)(PortalLoginAccount).values(
        login_id=login_id, account_id=account_id, proven_by=how, proven_at=now
    ).on_conflict_do_nothing(index_elements=["login_id", "account_id"])
    done: Any = session.execute(statement)
    return bool(done.rowcount)


def account_numbers(session: Session, login_id: int) -> list[str]:
    return list(session.scalars(
        select(Account.account_number)
        .join(PortalLoginAccount, PortalLoginAccount.account_id == Account.id)
        .where(PortalLoginAccount.login_id == login_id).order_by(Account.account_number)))


def first_account_id(session: Session, login_id: int) -> int | None:
    found = session.scalar(select(PortalLoginAccount.account_id)
                           .where(PortalLoginAccount.login_id == login_id)
                           .order_by(PortalLoginAccount.id).limit(1))
    return None if found is None else int(found)


# (id, email, verified at, locked, TOTP on, last sign-in, account numbers)
LoginRow = tuple[int, str, datetime | None, bool, bool, datetime | None, list[str]]


def logins(session: Session, account_number: str | None = None) -> list[LoginRow]:
    query = select(PortalLogin).order_by(PortalLogin.email_folded)
    if account_number is not None:
        query = query.where(PortalLogin.id.in_(
            select(PortalLoginAccount.login_id)
            .join(Account, Account.id == PortalLoginAccount.account_id)
            .where(Account.account_number == account_number)))
    found = list(session.scalars(query))
    held: dict[int, list[str]] = {}
    if found:
        for login_id, number in session.execute(
                select(PortalLoginAccount.login_id, Account.account_number)
                .join(Account, Account.id == PortalLoginAccount.account_id)
                .where(PortalLoginAccount.login_id.in_([x.id for x in found]))
                .order_by(Account.account_number)):
            held.setdefault(int(login_id), []).append(str(number))
    return [(x.id, x.email, x.verified_at, bool(x.locked), bool(x.totp_enabled),
             x.last_login_at, held.get(x.id, [])) for x in found]


# -- throttling ----------------------------------------------------------------------------

def failures(session: Session, keys: Sequence[str], since: datetime) -> dict[str, int]:
    """Failures counted under each key in a window that began at or after ``since``."""
    rows = session.execute(select(PortalThrottle.key, PortalThrottle.failures)
                           .where(PortalThrottle.key.in_(list(keys)),
                                  PortalThrottle.window_start >= since))
    return {str(k): int(n) for k, n in rows}


def count_failure(session: Session, key: str, now: datetime, window_start_after: datetime
                  ) -> None:
    """One more failure under ``key``; a window that began before ``window_start_after``
    is over, so the count starts again at one."""
    table = PortalThrottle.__table__
    statement = _insert(session)(PortalThrottle).values(key=key, window_start=now, failures=1)
    expired = table.c.window_start < window_start_after
    statement = statement.on_conflict_do_update(index_elements=["key"], set_={
        "failures": case((expired, 1), else_=table.c.failures + 1),
        "window_start": case((expired, now), else_=table.c.window_start)})
    session.execute(statement)


def clear_failures(session: Session, key: str) -> None:
    session.execute(delete(PortalThrottle).where(PortalThrottle.key == key))


# -- sessions ------------------------------------------------------------------------------

def add_session(session: Session, *, session_id: str, login_id: int, stage: str,
                now: datetime, expires_at: datetime, ip: str, user_agent: str) -> None:
    session.add(PortalSession(id=session_id, login_id=login_id, stage=stage, created_at=now,
                              last_seen_at=now, expires_at=expires_at, ip=ip[:64],
                              user_agent=user_agent[:300]))


@dataclass(frozen=True)
class SessionRow:
    login_id: int
    stage: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked: bool
    email: str
    locked: bool
    password_changed_at: datetime


def session_row(session: Session, session_id: str) -> SessionRow | None:
    row = session.execute(
        select(PortalSession.login_id, PortalSession.stage, PortalSession.created_at,
               PortalSession.last_seen_at, PortalSession.expires_at, PortalSession.revoked_at,
               PortalLogin.email, PortalLogin.locked, PortalLogin.password_changed_at)
        .join(PortalLogin, PortalLogin.id == PortalSession.login_id)
        .where(PortalSession.id == session_id)).one_or_none()
    if row is None:
        return None
    return SessionRow(int(row[0]), str(row[1]), row[2], row[3], row[4], row[5] is not None,
                      str(row[6]), bool(row[7]), row[8])


def session_with_accounts(session: Session, session_id: str
                          ) -> tuple[SessionRow, list[str]] | None:
    """:func:`session_row` and the login's account numbers (in order) in one statement:
    the session by its primary key, its login, and the login's accounts through the
    (login, account) unique index; the portal resolves every page's session with it."""
    rows = session.execute(
        select(PortalSession.login_id, PortalSession.stage, PortalSession.created_at,
               PortalSession.last_seen_at, PortalSession.expires_at, PortalSession.revoked_at,
               PortalLogin.email, PortalLogin.locked, PortalLogin.password_changed_at,
               Account.account_number)
        .join(PortalLogin, PortalLogin.id == PortalSession.login_id)
        .outerjoin(PortalLoginAccount, PortalLoginAccount.login_id == PortalSession.login_id)
        .outerjoin(Account, Account.id == PortalLoginAccount.account_id)
        .where(PortalSession.id == session_id)
        .order_by(Account.account_number)).all()
    if not rows:
        return None
    row = rows[0]
    return (SessionRow(int(row[0]), str(row[1]), row[2], row[3], row[4], row[5] is not None,
                       str(row[6]), bool(row[7]), row[8]),
            [str(r[9]) for r in rows if r[9] is not None])


def touch_session(session: Session, session_id: str, now: datetime) -> None:
    session.execute(update(PortalSession).where(PortalSession.id == session_id)
                    .values(last_seen_at=now))


def revoke_session(session: Session, session_id: str, now: datetime) -> None:
    session.execute(update(PortalSession).where(PortalSession.id == session_id,
                                                PortalSession.revoked_at.is_(None))
                    .values(revoked_at=now))


def revoke_sessions(session: Session, login_id: int, now: datetime,
                    keep: str | None = None) -> int:
    query = update(PortalSession).where(PortalSession.login_id == login_id,
                                        PortalSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(PortalSession.id != keep)
    done: Any = session.execute(query.values(revoked_at=now))
    return int(done.rowcount or 0)


def purge_sessions(session: Session, login_id: int, ended_before: datetime) -> None:
    """Forget the login's sessions that ended (expired or revoked) before the moment."""
    session.execute(delete(PortalSession).where(
        PortalSession.login_id == login_id,
        (PortalSession.expires_at < ended_before) | (PortalSession.revoked_at < ended_before)))


def open_sessions(session: Session, login_id: int, now: datetime) -> int:
    return int(session.scalar(select(func.count()).select_from(PortalSession).where(
        PortalSession.login_id == login_id, PortalSession.revoked_at.is_(None),
        PortalSession.expires_at > now)) or 0)


# -- single-use tokens -----------------------------------------------------------------------

def add_token(session: Session, *, purpose: str, token_hash: str, expires_at: datetime,
              now: datetime, login_id: int | None = None, account_id: int | None = None,
              email: str | None = None) -> None:
    session.add(PortalToken(purpose=purpose, token_hash=token_hash, login_id=login_id,
                            account_id=account_id, email=email, expires_at=expires_at,
                            created_at=now))
    session.flush()


def token(session: Session, purpose: str, token_hash: str) -> PortalToken | None:
    return session.scalars(select(PortalToken).where(
        PortalToken.token_hash == token_hash, PortalToken.purpose == purpose)
        .with_for_update()).one_or_none()


def use_token(session: Session, token_id: int, now: datetime) -> bool:
    """Mark the token used; False when another request used it first."""
    done: Any = session.execute(update(PortalToken).where(PortalToken.id == token_id,
                                                     PortalToken.used_at.is_(None))
                           .values(used_at=now))
    return bool(done.rowcount)


# -- email through the outbox -------------------------------------------------------------

def customer_name(session: Session, account_id: int) -> str:
    return str(session.scalar(select(Customer.name).join(
        Account, Account.customer_id == Customer.id).where(Account.id == account_id)))


def enqueue_email(session: Session, *, kind: Kind, account_id: int, recipient: str,
                  language: str, context: Mapping[str, Any], dedupe_key: str,
                  now: datetime) -> None:
    """A portal email to the login's address (not the account's contact on file)."""
    session.add(OutboxMessage(kind=kind.value, channel="email", account_id=account_id,
                              recipient=recipient, language=language,
                              context=json.dumps(dict(context), sort_keys=True),
                              dedupe_key=f"{dedupe_key}:email", status="pending",
                              attempts=0, next_attempt_at=now, created_at=now))


# -- activity -----------------------------------------------------------------------------

def add_activity(session: Session, *, action: str, now: datetime, login_id: int | None = None,
                 account_id: int | None = None, email: str = "", ip: str = "",
                 detail: str = "") -> None:
    session.add(PortalActivity(at=now, login_id=login_id, account_id=account_id,
                               email=email[:254], action=action, ip=ip[:64],
                               detail=detail[:1000]))


# (at, email, action, ip, detail)
ActivityRow = tuple[datetime, str, str, str, str]


def activity(session: Session, *, account_id: int | None = None, login_id: int | None = None,
             limit: int = 50) -> list[ActivityRow]:
    query = select(PortalActivity.at, PortalActivity.email, PortalActivity.action,
                   PortalActivity.ip, PortalActivity.detail)
    if account_id is not None:
        holders = select(PortalLoginAccount.login_id).where(
            PortalLoginAccount.account_id == account_id)
        query = query.where((PortalActivity.account_id == account_id)
                            | PortalActivity.login_id.in_(holders))
    if login_id is not None:
        query = query.where(PortalActivity.login_id == login_id)
    rows = session.execute(query.order_by(PortalActivity.at.desc(), PortalActivity.id.desc())
                           .limit(limit))
    return [(a, str(e), str(x), str(i), str(d)) for a, e, x, i, d in rows]
