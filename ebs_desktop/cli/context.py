"""What every ``ebs`` command shares: the database, the acting user, output helpers."""

from __future__ import annotations

import getpass
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any

import click

from ebs_desktop.config import resolve_database_url
from ebs_desktop.errors import AuthenticationError, SchemaError
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.services.actor import Actor, system_actor


@dataclass
class CliContext:
    db_url: str | None
    username: str | None
    debug: bool
    _db: Database | None = field(default=None, repr=False)
    _actor: Actor | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return resolve_database_url(self.db_url)

    def database(self, *, check_schema: bool = True) -> Database:
        """The opened database; by default refuses one whose schema is not this program's."""
        if self._db is None:
            self._db = open_database(self.url)
        if check_schema:
            from ebs_desktop.persistence.migrate import check_schema as check

            check(self._db)
        return self._db

    def actor(self) -> Actor:
        """Who the command acts as.

        With ``--user`` (or EBS_USER) the user signs in (password from EBS_PASSWORD or a
        prompt) and their roles apply; ``ebs`` signs in before any command runs, so a
        wrong password stops every command (see ``cli.main``). Without it the command
        acts as the local operator ``cli:<os user>`` with every role, which the audit log
        names: on a SQLite file always (whoever can open the file can already change
        anything in it); on PostgreSQL only while the database has no users or when an
        administrator turned the local operator on
        (:mod:`ebs_desktop.services.database`), otherwise the command is refused.
        """
        if self._actor is None:
            self._actor = self._sign_in() if self.username else self._local_operator()
        return self._actor

    def _sign_in(self) -> Actor:
        from ebs_desktop.persistence.migrate import current_revision
        from ebs_desktop.services import auth

        assert self.username is not None
        db = self.database(check_schema=False)  # so that 'ebs --user X db upgrade' works
        if current_revision(db) is None:
            raise SchemaError(f"{db.display_name} has no EBS Desktop schema yet, so nobody "
                              "can sign in; run 'ebs db upgrade' without --user")
        password = os.environ.get("EBS_PASSWORD")
        if password is None:
            password = getpass.getpass(f"Password for {self.username}: ")
        return auth.login(db, self.username, password)

    def _local_operator(self) -> Actor:
        if not self.url.startswith("sqlite"):
            from ebs_desktop.services.database import local_operator_allowed

            if not local_operator_allowed(self.database(check_schema=False)):
                raise AuthenticationError(
                    "on a PostgreSQL server every command needs --user NAME (or EBS_USER); "
                    "an administrator can allow commands without it with "
                    "'ebs --user ADMIN db local-operator on'")
        return system_actor(f"cli:{getpass.getuser()}")

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str))


def progress_enabled() -> bool:
    return sys.stderr.isatty()
