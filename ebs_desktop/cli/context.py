"""What every ``ebs`` command shares: the database, the acting user, the facade, output
helpers.

Commands reach the core only through the staff facade built here once per command
(``obj.staff.<area>.<operation>(...)``, see :mod:`ebs_desktop.services.facade`); opening
the database, checking its schema and signing in go through
:mod:`ebs_desktop.services.database` and :mod:`ebs_desktop.services.auth`, which come
before there is anybody to build a facade for.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from ebs_desktop.config import resolve_database_url
from ebs_desktop.errors import AuthenticationError, SchemaError
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.facade import StaffServices

if TYPE_CHECKING:
    from ebs_desktop.services.facade import Database
    from ebs_desktop.services.progress import TaskState


@dataclass
class CliContext:
    db_url: str | None
    username: str | None
    debug: bool
    _db: Database | None = field(default=None, repr=False)
    _actor: Actor | None = field(default=None, repr=False)
    _staff: StaffServices | None = field(default=None, repr=False)
    _schema_checked: bool = field(default=False, repr=False)
    _check_wanted: bool = field(default=False, repr=False)

    @property
    def url(self) -> str:
        return resolve_database_url(self.db_url)

    def database(self, *, check_schema: bool = True) -> Database:
        """The opened database; by default refuses one whose schema is not this program's."""
        # imported here: it brings the migrations' machinery, which --help does not need
        from ebs_desktop.services import database as database_service

        if self._db is None:
            self._db = database_service.open_database(self.url)
        if check_schema and not self._schema_checked:
            database_service.check_schema(self._db)
            self._schema_checked = True
        return self._db

    @property
    def staff(self) -> StaffServices:
        """The staff facade for this command: its database (schema checked) and actor."""
        return self.services()

    def services(self, *, check_schema: bool = True) -> StaffServices:
        """The staff facade, built once per command (``check_schema=False``: for the
        commands that create or inspect the schema itself)."""
        if check_schema:
            self._check_wanted = True
            if self._db is not None:
                self.database()
        if self._staff is None:
            # the database is opened by the first operation that needs it
            self._staff = StaffServices(
                lambda: self.database(check_schema=self._check_wanted), self.actor())
        return self._staff

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
        from ebs_desktop.services import auth
        from ebs_desktop.services import database as database_service

        assert self.username is not None
        db = self.database(check_schema=False)  # so that 'ebs --user X db upgrade' works
        if database_service.current_revision(db) is None:
            raise SchemaError(f"{db.display_name} has no EBS Desktop schema yet, so nobody "
                              "can sign in; run 'ebs db upgrade' without --user")
        password = os.environ.get("EBS_PASSWORD")
        if password is None:
            password = getpass.getpass(f"Password for {self.username}: ")
        return auth.login(db, self.username, password)

    def _local_operator(self) -> Actor:
        from ebs_desktop.services import database as database_service

        if not self.url.startswith("sqlite") and not database_service.local_operator_allowed(
                self.database(check_schema=False)):
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


def line_progress(label: str) -> TaskState:
    """The progress of a long job (billing run, import, export) for ``task=``: a line on
    stderr each time the job is another tenth further or says something new, when stderr
    is a terminal; silent otherwise (scripts, --json)."""
    from ebs_desktop.services.progress import Progress, TaskState

    if not progress_enabled():
        return TaskState()
    last: list[tuple[int, str]] = [(-1, "")]

    def show(p: Progress) -> None:
        tenth = int((p.fraction or 0) * 10)
        if (tenth, p.message) == last[0] and p.done != p.total:
            return
        last[0] = (tenth, p.message)
        of = f"/{p.total:,}" if p.total > 0 else ""
        click.echo(f"{label}: {p.done:,}{of}" + (f" {p.message}" if p.message else ""),
                   err=True)

    return TaskState(on_progress=show)
