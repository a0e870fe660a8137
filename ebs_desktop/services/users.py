"""Staff users: add, change password, disable, list. Admin-only, audited.

There is always at least one active administrator: disabling the last one, or taking the
admin role from them, is refused (otherwise nobody could manage users again, and on
PostgreSQL nobody could turn the CLI's local operator on either). The check locks the
active administrators' rows, so two administrators disabling each other at the same
time cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ebs_desktop.domain.permissions import ALL_ROLES
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import User
from ebs_desktop.persistence.stores import users as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.passwords import check_strength, hash_password


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    roles: tuple[str, ...]
    is_active: bool
    locked: bool


def _roles_of(session: Session, user_id: int) -> tuple[str, ...]:
    return tuple(sorted(store.roles_of(session, user_id)))


def _info(session: Session, user: User) -> UserInfo:
    locked = user.locked_until is not None and (
        user.locked_until if user.locked_until.tzinfo else
        user.locked_until.replace(tzinfo=UTC)) > datetime.now(UTC)
    return UserInfo(user.id, user.username, user.full_name, _roles_of(session, user.id),
                    user.is_active, locked)


def _keep_an_admin(session: Session, user: User, what: str) -> None:
    """Refuse ``what`` if it would leave no active administrator."""
    admins = store.lock_active_admins(session)
    if admins <= {user.id}:
        raise ConflictError(f"{user.username} is the last active administrator: {what} "
                            "would leave nobody to manage users; add or enable another "
                            "administrator first")


def _validate_roles(roles: list[str] | tuple[str, ...]) -> None:
    if not roles:
        raise ValidationError("a user needs at least one role", location="roles")
    for role in roles:
        if role not in ALL_ROLES:
            raise ValidationError(f"unknown role {role!r} (known: {', '.join(ALL_ROLES)})",
                                  location="roles")


def _by_name(session: Session, username: str) -> User:
    user = store.user_by_name(session, username)
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def count_users(db: Database) -> int:
    with db.read() as session:
        return store.count_users(session)


def add_user_in(session: Session, actor: Actor, username: str, full_name: str, password: str,
                roles: list[str] | tuple[str, ...]) -> UserInfo:
    """Add a user inside an existing transaction (the demo set-up uses it too)."""
    require(actor, "user.manage")
    username = username.strip()
    if not username or len(username) > 64 or " " in username:
        raise ValidationError(f"invalid username {username!r}", location="username")
    _validate_roles(roles)
    check_strength(password)
    if store.username_taken(session, username):
        raise ConflictError(f"user {username!r} already exists")
    user = store.add_user(session, username, full_name.strip() or username,
                          hash_password(password))
    store.add_roles(session, user.id, roles)
    info = _info(session, user)
    audit.record(session, actor, "user.add", "user", user.id,
                 after={"username": username, "full_name": user.full_name,
                        "roles": list(info.roles)})
    return info


def add_user(db: Database, actor: Actor, username: str, full_name: str, password: str,
             roles: list[str] | tuple[str, ...]) -> UserInfo:
    with db.write() as session:
        return add_user_in(session, actor, username, full_name, password, roles)


def create_first_admin(db: Database, username: str, full_name: str, password: str) -> UserInfo:
    """First start: only allowed while the database has no users at all."""
    with db.write() as session:
        if store.count_users(session):
            raise ConflictError("users already exist; sign in as an administrator")
        return add_user_in(session, system_actor("first-start"), username, full_name,
                           password, ["admin"])


def set_password(db: Database, actor: Actor, username: str, password: str) -> None:
    if actor.username != username:
        require(actor, "user.manage")  # before the lookup: a refusal says nothing of them
    with db.write() as session:
        user = _by_name(session, username)
        if actor.user_id is None or actor.user_id != user.id:
            require(actor, "user.manage")
        check_strength(password)
        user.password_hash = hash_password(password)
        user.failed_logins = 0
        user.locked_until = None
        audit.record(session, actor, "user.passwd", "user", user.id,
                     after={"username": username})


def set_active(db: Database, actor: Actor, username: str, active: bool) -> None:
    with db.write() as session:
        require(actor, "user.manage")
        user = _by_name(session, username)
        before = user.is_active
        if before and not active and "admin" in _roles_of(session, user.id):
            _keep_an_admin(session, user, "disabling them")
        user.is_active = active
        if active:
            user.failed_logins = 0
            user.locked_until = None
        audit.record(session, actor, "user.enable" if active else "user.disable", "user",
                     user.id, before={"is_active": before}, after={"is_active": active})


def set_roles(db: Database, actor: Actor, username: str, roles: list[str]) -> UserInfo:
    with db.write() as session:
        require(actor, "user.manage")
        _validate_roles(roles)
        user = _by_name(session, username)
        before = _roles_of(session, user.id)
        if "admin" in before and "admin" not in roles and user.is_active:
            _keep_an_admin(session, user, "taking the admin role from them")
        store.replace_roles(session, user.id, roles)
        audit.record(session, actor, "user.roles", "user", user.id,
                     before={"roles": list(before)}, after={"roles": sorted(set(roles))})
        return _info(session, user)


def list_users(db: Database, actor: Actor) -> list[UserInfo]:
    require(actor, "user.manage")
    with db.read() as session:
        return [_info(session, u) for u in store.all_users(session)]
