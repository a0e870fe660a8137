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
        prompt) and their roles apply. Without it the command acts as the local operator
        ``cli:<os user>`` with every role: whoever can open the database file or holds the
        server credentials can already do anything, and the audit log names them.
        """
        if self._actor is None:
            if self.username:
                from ebs_desktop.services import auth

                password = os.environ.get("EBS_PASSWORD")
                if password is None:
                    password = getpass.getpass(f"Password for {self.username}: ")
                self._actor = auth.login(self.database(), self.username, password)
            else:
                self._actor = system_actor(f"cli:{getpass.getuser()}")
        return self._actor

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str))


def progress_enabled() -> bool:
    return sys.stderr.isatty()
