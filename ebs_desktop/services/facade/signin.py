"""The door before anyone is signed in: sign-in, the first administrator of an empty
database, and whether it has users. A successful sign-in gives the principal that
:class:`~ebs_desktop.services.facade.StaffServices` is then built for."""

from __future__ import annotations

from ebs_desktop.persistence.engine import Database
from ebs_desktop.services import auth, users
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.facade import StaffServices


class SignIn:
    def __init__(self, db: Database) -> None:
        self.db = db

    def login(self, username: str, password: str) -> Actor:
        """The user's principal; refused (and counted toward a lockout) on a wrong password."""
        return auth.login(self.db, username, password)

    def create_first_admin(self, username: str, full_name: str, password: str) -> None:
        """The first administrator of a database with no users (refused once it has one)."""
        users.create_first_admin(self.db, username, full_name, password)

    def has_users(self) -> bool:
        return users.count_users(self.db) > 0

    def daily_backup(self) -> str | None:
        """At start: the daily copy of the default SQLite file when one is due (see
        :mod:`ebs_desktop.services.backup`); the file written, or None."""
        from ebs_desktop.services import backup

        taken = backup.daily_backup_if_due(self.db)
        return None if taken is None else taken.path

    def staff(self, actor: Actor) -> StaffServices:
        return StaffServices(self.db, actor)
