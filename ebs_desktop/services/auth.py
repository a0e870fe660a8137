"""Signing in, with lockout: five wrong passwords in a row lock the user for 15 minutes.

What a failed sign-in tells the person at the keyboard: nothing but :data:`REFUSED`, the
same sentence for an unknown user, a wrong password, a disabled or a locked user, so the
answer never confirms that a username exists. The same Argon2 work is done in every case
(an unknown user is checked against a dummy hash), so the time taken does not tell either.
What it tells the administrator: every failure is an audited ``user.login_failed``
entry with the username tried and the reason (never the password), committed before the
error is raised, so retrying cannot reset the count. When a lock has run out, the count
starts again from zero: the first wrong password after it is one of five, not the sixth.

Sign-in works while the audit chain's head is broken (``audit.AuditChainBroken``: the
entry is then not written), so that an administrator can still sign in to run
``ebs audit verify``; every business action stays refused until the chain is resumed.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from ebs_desktop.errors import AuthenticationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import users as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.passwords import hash_password, needs_rehash, verify_password

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
REFUSED = ("wrong username or password, or the user is locked or disabled; "
           "ask an administrator if it keeps failing")
SIGN_IN = Actor(None, "sign-in", frozenset())  # who acts in a failure's audit entry


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@cache
def _dummy_hash() -> str:
    return hash_password("no such user: the same work as a real check")


def _audit(session: Session, actor: Actor, action: str, user_id: int | None,
           after: dict[str, Any]) -> None:
    with suppress(audit.AuditChainBroken):  # record() then wrote nothing: see above
        audit.record(session, actor, action, "user", "" if user_id is None else user_id,
                     after=after)


def login(db: Database, username: str, password: str, *, now: datetime | None = None) -> Actor:
    now = now or datetime.now(UTC)
    name = username.strip()
    with db.write() as session:
        user = store.user_by_name(session, name)
        if user is not None and user.locked_until is not None \
                and _aware(user.locked_until) <= now:
            user.locked_until = None  # the lock ran out: count from zero again
            user.failed_logins = 0
        right = verify_password(_dummy_hash() if user is None else user.password_hash,
                                password)
        if user is None:
            reason = "unknown user"
        elif not user.is_active:
            reason = "disabled"
        elif user.locked_until is not None:
            reason = "locked"
        elif not right:
            user.failed_logins += 1
            reason = "wrong password"
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + LOCK_FOR
        else:
            user.failed_logins = 0
            user.last_login_at = now
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            roles = frozenset(store.roles_of(session, user.id))
            actor = Actor(user.id, user.username, roles, display_name=user.full_name)
            _audit(session, actor, "user.login", user.id, {})
            return actor
        user_id = None if user is None else user.id
        failures = None if user is None else user.failed_logins
        _audit(session, SIGN_IN, "user.login_failed", user_id,
               {"username": name[:100], "reason": reason, "failed_logins": failures})
        if reason == "wrong password" and user is not None and user.locked_until is not None:
            _audit(session, SIGN_IN, "user.locked", user_id,
                   {"failed_logins": failures, "until": user.locked_until.isoformat()})
    raise AuthenticationError(REFUSED)


def verify_supervisor(db: Database, username: str, password: str, permission: str) -> Actor:
    """A supervisor's credentials for an approval (reversal, shift difference)."""
    actor = login(db, username, password)
    require(actor, permission)
    return actor
