"""The database itself, as an administrator sees it: schema version, row counts, upgrade,
and whether the command line may act as the local operator on a PostgreSQL server.

The local operator. ``ebs`` without ``--user`` acts as ``cli:<os user>`` with every role.
On a SQLite file that is fair: whoever can open the file can change anything in it
anyway. On a PostgreSQL server shared by an office it is not: the server credentials
sit on every counter PC, and an implicit all-roles operator would make each PC an
administrator. So on PostgreSQL a command needs ``--user`` unless an administrator has
turned the ``cli.local_operator`` setting on (``ebs --user ADMIN db local-operator on``,
audited; ``off`` again the same way), for instance for a nightly billing job on the
server. A database with no users at all is the exception (``ebs db upgrade``,
``ebs user add`` or ``ebs demo`` on a new server): there is nobody to sign in as yet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import schema as schema_store
from ebs_desktop.persistence.stores import settings as settings_store
from ebs_desktop.persistence.stores import users as user_store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require

LOCAL_OPERATOR_KEY = "cli.local_operator"


@dataclass(frozen=True)
class DatabaseInfo:
    backend: str
    url: str
    schema_version: str | None
    program_schema: str
    row_counts: dict[str, int]

    @property
    def up_to_date(self) -> bool:
        return self.schema_version == self.program_schema


def database_info(db: Database, actor: Actor) -> DatabaseInfo:
    """``ebs db info``: backend, schema version and the row count of every table."""
    require(actor, "db.manage")
    current = migrate.current_revision(db)
    counts: dict[str, int] = {}
    if current is not None:
        with db.read() as session:
            counts = schema_store.row_counts(session)
    return DatabaseInfo(db.backend, db.display_name, current, migrate.head_revision(),
                        counts)


def upgrade_database(db: Database, actor: Actor) -> tuple[str | None, str | None]:
    """``ebs db upgrade``: create or upgrade the schema; returns (before, after)."""
    require(actor, "db.manage")
    before = migrate.current_revision(db)
    migrate.upgrade(db)
    return before, migrate.current_revision(db)


def has_users(db: Database) -> bool:
    """Whether anybody could sign in (False for a database without schema yet)."""
    if migrate.current_revision(db) is None:
        return False
    with db.read() as session:
        return user_store.any_user(session)


def local_operator_in(session: Session) -> bool:
    value = settings_store.stored_value(session, LOCAL_OPERATOR_KEY)
    return value is not None and json.loads(value) is True


def local_operator_allowed(db: Database) -> bool:
    """May the command line act without ``--user`` here (see the module docstring)?"""
    if db.backend == "sqlite" or not has_users(db):
        return True
    with db.read() as session:
        return local_operator_in(session)


def set_local_operator(db: Database, actor: Actor, on: bool) -> bool:
    """Turn the local operator on or off (administrators); returns the previous state."""
    require(actor, "db.manage")
    with db.write() as session:
        before = local_operator_in(session)
        settings_store.store_value(session, LOCAL_OPERATOR_KEY, json.dumps(on))
        session.flush()
        audit.record(session, actor, "settings.local_operator", "settings",
                     LOCAL_OPERATOR_KEY, before={"on": before}, after={"on": on})
        return before


# -- opening the database, for front ends (which import no persistence module) ------------

def open_database(url: str) -> Database:
    """Open (not migrate) the database at ``url``: the handle every facade is built on."""
    from ebs_desktop.persistence.engine import open_database as open_

    return open_(url)


def check_schema(db: Database) -> None:
    """Refuse a database whose schema is not this program's (SchemaError, saying what to do)."""
    migrate.check_schema(db)


def current_revision(db: Database) -> str | None:
    """The schema revision of the database; None for one without the schema yet."""
    return migrate.current_revision(db)


def server_password_entry(url: str) -> str:
    """How the OS keyring names a PostgreSQL server's password (``user@host:port/db``)."""
    from ebs_desktop.persistence.secrets import keyring_entry_for

    return keyring_entry_for(url)


def store_server_password(url: str, password: str) -> None:
    """Keep a PostgreSQL server's password in the OS keyring (never in a file)."""
    from ebs_desktop.persistence.secrets import store_password

    store_password(url, password)
