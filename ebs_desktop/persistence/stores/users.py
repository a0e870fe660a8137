"""Staff users and their roles (sign-in, user management, the audit chain's check that
every user's creation is on record)."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ebs_desktop.persistence.models import User, UserRole


def user_by_name(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def username_taken(session: Session, username: str) -> bool:
    return session.scalar(select(User.id).where(User.username == username)) is not None


def all_users(session: Session) -> list[User]:
    """Every user, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def count_users(session: Session, *, excluding: int | None = None) -> int:
    """How many users exist (but the one with id ``excluding``)."""
    stmt = select(func.count()).select_from(User)
    if excluding is not None:
        stmt = stmt.where(User.id != excluding)
    return int(session.scalar(stmt) or 0)


def any_user(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def user_ids_and_names(session: Session) -> list[tuple[int, str]]:
    """(id, username) of every user, by id."""
    return [(int(i), str(n)) for i, n in
            session.execute(select(User.id, User.username).order_by(User.id))]


def user_ids(session: Session) -> list[int]:
    """Every user's id, ascending."""
    return [int(u) for u in session.scalars(select(User.id).order_by(User.id))]


def roles_of(session: Session, user_id: int) -> list[str]:
    """The roles of a user, in no particular order."""
    return list(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))


def add_user(session: Session, username: str, full_name: str, password_hash: str) -> User:
    """A new active user (flushed: it has its id)."""
    user = User(username=username, full_name=full_name, password_hash=password_hash,
                is_active=True, failed_logins=0)
    session.add(user)
    session.flush()
    return user


def replace_roles(session: Session, user_id: int, roles: list[str] | tuple[str, ...]) -> None:
    """Give the user exactly ``roles`` (flushed)."""
    session.execute(delete(UserRole).where(UserRole.user_id == user_id))
    add_roles(session, user_id, roles)


def add_roles(session: Session, user_id: int, roles: list[str] | tuple[str, ...]) -> None:
    """Add ``roles`` to a user that has none of them yet (flushed)."""
    for role in sorted(set(roles)):
        session.add(UserRole(user_id=user_id, role=role))
    session.flush()


def lock_active_admins(session: Session) -> set[int]:
    """Lock the active administrators' rows (waiting for another change to administrators
    to commit), then read them again: on PostgreSQL a new statement sees what that other
    change committed. Returns their ids."""
    active_admins = (select(User.id).join(UserRole, UserRole.user_id == User.id)
                     .where(UserRole.role == "admin", User.is_active.is_(True)))
    session.execute(active_admins.with_for_update(of=User)).all()
    return set(session.scalars(active_admins))
