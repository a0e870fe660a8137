"""Signing in, with lockout: five wrong passwords lock the user for 15 minutes.

A failed attempt is committed before the error is raised, so the counter cannot be
reset by retrying; the message does not say whether the username exists.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ebs_desktop.errors import AuthenticationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import User, UserRole
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.passwords import hash_password, needs_rehash, verify_password

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
_BAD = "wrong username or password"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def login(db: Database, username: str, password: str, *, now: datetime | None = None) -> Actor:
    now = now or datetime.now(UTC)
    failure: str | None = None
    with db.write() as session:
        user = session.scalar(select(User).where(User.username == username.strip()))
        if user is None:
            failure = _BAD
        elif not user.is_active:
            failure = f"user {username} is disabled; ask an administrator"
        elif user.locked_until is not None and _aware(user.locked_until) > now:
            failure = (f"user {username} is locked after {MAX_FAILURES} failed sign-ins; "
                       "try again later or ask an administrator")
        elif not verify_password(user.password_hash, password):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + LOCK_FOR
                failure = (f"user {username} is now locked after {MAX_FAILURES} failed "
                           "sign-ins")
                audit.record(session, Actor(user.id, user.username, frozenset()),
                             "user.locked", "user", user.id,
                             after={"failed_logins": user.failed_logins})
            else:
                failure = _BAD
        else:
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            roles = frozenset(session.scalars(
                select(UserRole.role).where(UserRole.user_id == user.id)))
            actor = Actor(user.id, user.username, roles)
            audit.record(session, actor, "user.login", "user", user.id)
            return actor
    raise AuthenticationError(failure)


def verify_supervisor(db: Database, username: str, password: str, permission: str) -> Actor:
    """A supervisor's credentials for an approval (reversal, shift difference)."""
    from ebs_desktop.services.guard import require

    actor = login(db, username, password)
    require(actor, permission)
    return actor
