"""Users, roles, Argon2id hashes, lockout and permission checks, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ebs_desktop.errors import AuthenticationError, ConflictError, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import User
from ebs_desktop.services import auth, users
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
    for _ in range(4):
        with pytest.raises(AuthenticationError, match="wrong"):
            auth.login(db, "dan", "wrong-pass", now=now)
    with pytest.raises(AuthenticationError, match="now locked"):
        auth.login(db, "dan", "wrong-pass", now=now)
    with pytest.raises(AuthenticationError, match="locked"):
        auth.login(db, "dan", "right-pass", now=now + timedelta(minutes=1))
    # after the lock period the right password works again and resets the counter
    actor = auth.login(db, "dan", "right-pass", now=now + timedelta(minutes=16))
    assert actor.username == "dan"


def test_disabled_user_cannot_sign_in_and_admin_can_unlock(db: Database) -> None:
    users.add_user(db, ADMIN, "eve", "Eve", "password-e", ["clerk"])
    users.set_active(db, ADMIN, "eve", False)
    with pytest.raises(AuthenticationError, match="disabled"):
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
