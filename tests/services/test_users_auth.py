"""Users, roles, Argon2id hashes, lockout and permission checks, on both backends."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from ebs_desktop.errors import AuthenticationError, ConflictError, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import User
from ebs_desktop.services import audit, auth, users
from ebs_desktop.services.actor import system_actor

ADMIN = system_actor("test-admin")


def test_password_stored_as_argon2id_with_required_parameters(db: Database) -> None:
    users.add_user(db, ADMIN, "carol", "Carol Clerk", "s3cret-pass", ["clerk"])
    with db.read() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "carol"))
    assert stored is not None and "s3cret-pass" not in stored
    assert stored.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in stored


def test_login_gives_roles_and_wrong_password_is_refused(db: Database) -> None:
    users.add_user(db, ADMIN, "bob", "Bob", "password-1", ["billing", "manager"])
    actor = auth.login(db, "bob", "password-1")
    assert actor.roles == frozenset({"billing", "manager"})
    with pytest.raises(AuthenticationError, match="wrong username or password"):
        auth.login(db, "bob", "password-2")
    with pytest.raises(AuthenticationError, match="wrong username or password"):
        auth.login(db, "nobody", "password-1")


def test_lockout_after_five_failures_even_with_right_password(db: Database) -> None:
    users.add_user(db, ADMIN, "dan", "Dan", "right-pass", ["reader"])
    now = datetime.now(UTC)
    for _ in range(5):
        with pytest.raises(AuthenticationError, match="wrong"):
            auth.login(db, "dan", "wrong-pass", now=now)
    with db.read() as s:
        assert s.scalar(select(User.locked_until).where(User.username == "dan")) is not None
    with pytest.raises(AuthenticationError, match="wrong"):
        auth.login(db, "dan", "right-pass", now=now + timedelta(minutes=1))
    # after the lock period the right password works again and resets the counter
    actor = auth.login(db, "dan", "right-pass", now=now + timedelta(minutes=16))
    assert actor.username == "dan"


def test_disabled_user_cannot_sign_in_and_admin_can_unlock(db: Database) -> None:
    users.add_user(db, ADMIN, "eve", "Eve", "password-e", ["clerk"])
    users.set_active(db, ADMIN, "eve", False)
    with pytest.raises(AuthenticationError, match=f"^{auth.REFUSED}$"):
        auth.login(db, "eve", "password-e")
    users.set_active(db, ADMIN, "eve", True)
    assert auth.login(db, "eve", "password-e").username == "eve"


def test_permissions_are_checked_in_the_service(db: Database) -> None:
    users.add_user(db, ADMIN, "clerk1", "Clerk", "password-c", ["clerk"])
    clerk = auth.login(db, "clerk1", "password-c")
    with pytest.raises(PermissionDenied, match=r"user\.manage"):
        users.add_user(db, clerk, "mallory", "M", "password-m", ["admin"])
    with pytest.raises(PermissionDenied):
        users.list_users(db, clerk)


def test_validation_and_duplicates(db: Database) -> None:
    with pytest.raises(ValidationError, match="at least 8"):
        users.add_user(db, ADMIN, "short", "S", "abc", ["clerk"])
    with pytest.raises(ValidationError, match="unknown role"):
        users.add_user(db, ADMIN, "x", "X", "password-x", ["janitor"])
    users.add_user(db, ADMIN, "dup", "Dup", "password-d", ["clerk"])
    with pytest.raises(ConflictError, match="already exists"):
        users.add_user(db, ADMIN, "dup", "Dup", "password-d", ["clerk"])


def test_first_admin_only_on_empty_database(db: Database) -> None:
    assert users.count_users(db) == 0
    info = users.create_first_admin(db, "root", "Root", "first-admin")
    assert info.roles == ("admin",)
    with pytest.raises(ConflictError):
        users.create_first_admin(db, "root2", "Root", "first-admin")


# -- issue 17, point 10: sign-in answers the same, counts fairly, audits every failure -----

def _refusal(db: Database, username: str, password: str, **kw: datetime) -> str:
    with pytest.raises(AuthenticationError) as caught:
        auth.login(db, username, password, **kw)
    return str(caught.value)


def test_every_failed_sign_in_answers_the_same(db: Database) -> None:
    """Unknown, wrong password, disabled, locked: nothing tells whether the user exists."""
    users.add_user(db, ADMIN, "gina", "Gina", "password-g", ["clerk"])
    users.add_user(db, ADMIN, "hal", "Hal", "password-h", ["clerk"])
    users.add_user(db, ADMIN, "ivy", "Ivy", "password-i", ["clerk"])
    users.set_active(db, ADMIN, "hal", False)
    now = datetime.now(UTC)
    for _ in range(auth.MAX_FAILURES):
        _refusal(db, "ivy", "wrong-pass", now=now)
    answers = {
        "unknown": _refusal(db, "nobody", "password-g"),
        "wrong password": _refusal(db, "gina", "wrong-pass"),
        "disabled, right password": _refusal(db, "hal", "password-h"),
        "locked, right password": _refusal(db, "ivy", "password-i", now=now),
    }
    assert set(answers.values()) == {auth.REFUSED}, answers
    for word in ("gina", "hal", "ivy"):
        assert word not in auth.REFUSED


def test_an_expired_lock_starts_the_count_again(db: Database) -> None:
    users.add_user(db, ADMIN, "jo", "Jo", "password-j", ["clerk"])
    now = datetime.now(UTC)
    for _ in range(auth.MAX_FAILURES):
        _refusal(db, "jo", "wrong-pass", now=now)
    later = now + auth.LOCK_FOR + timedelta(minutes=1)
    _refusal(db, "jo", "wrong-pass", now=later)  # one slip after the lock ran out...
    assert auth.login(db, "jo", "password-j", now=later).username == "jo"  # ...is not a lock
    with db.read() as s:
        failed, locked = s.execute(select(User.failed_logins, User.locked_until)
                                   .where(User.username == "jo")).one()
    assert (failed, locked) == (0, None)


def test_every_failed_sign_in_is_audited_without_the_password(db: Database) -> None:
    users.add_user(db, ADMIN, "kim", "Kim", "password-k", ["clerk"])
    for _ in range(2):
        _refusal(db, "kim", "secret-guess-1")
    _refusal(db, "ghost", "secret-guess-2")
    with db.read() as s:
        rows = s.execute(text("SELECT actor, entity_id, after FROM audit_log "
                              "WHERE action = 'user.login_failed' ORDER BY id")).all()
    assert len(rows) == 3
    assert [json.loads(r.after)["username"] for r in rows] == ["kim", "kim", "ghost"]
    assert [json.loads(r.after)["reason"] for r in rows] == [
        "wrong password", "wrong password", "unknown user"]
    assert all(r.actor == "sign-in" for r in rows) and rows[2].entity_id == ""
    assert not any("secret-guess" in (r.after or "") for r in rows)
    assert audit.verify(db, ADMIN).ok


# -- issue 17, point 8: never zero active administrators --------------------------------

def test_the_last_active_admin_cannot_be_disabled_or_demoted(db: Database) -> None:
    users.add_user(db, ADMIN, "root", "Root", "password-r", ["admin"])
    root = auth.login(db, "root", "password-r")
    with pytest.raises(ConflictError, match="last active administrator"):
        users.set_active(db, root, "root", False)
    with pytest.raises(ConflictError, match="last active administrator"):
        users.set_roles(db, root, "root", ["manager"])
    assert auth.login(db, "root", "password-r").roles == {"admin"}
    # with a second administrator either may go, but not both
    users.add_user(db, root, "deputy", "Deputy", "password-d", ["admin", "manager"])
    users.set_roles(db, root, "deputy", ["manager", "admin"])  # keeping the role is fine
    users.set_active(db, root, "root", False)
    deputy = auth.login(db, "deputy", "password-d")
    with pytest.raises(ConflictError, match="last active administrator"):
        users.set_roles(db, deputy, "deputy", ["manager"])
    users.set_active(db, deputy, "root", True)
    users.set_roles(db, deputy, "deputy", ["manager"])
    # a disabled administrator does not count, and a clerk can always be disabled
    users.add_user(db, root, "clerk9", "Clerk", "password-c", ["clerk"])
    users.set_active(db, root, "clerk9", False)
