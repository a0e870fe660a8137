"""Schema versions through Alembic (migrations in the top-level ``db/`` folder).

The program knows the revisions in ``db/versions``. A database at an unknown revision was
migrated by a newer EBS Desktop: we refuse to open it rather than corrupt it.
"""

from __future__ import annotations

from functools import cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ebs_desktop.errors import SchemaError
from ebs_desktop.paths import migrations_dir
from ebs_desktop.persistence.engine import Database

MIGRATIONS_DIR = migrations_dir()


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@cache
def head_revision() -> str:
    """The newest revision this program ships (read once: loading the scripts costs ~20 ms,
    and every command checks the schema before it starts)."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}


def check_schema(db: Database) -> None:
    """Raise SchemaError unless the database is exactly at this program's head."""
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return
    if current is None:
        raise SchemaError(
            f"{db.display_name} has no EBS Desktop schema yet; run 'ebs db upgrade'"
        )
    if current not in known_revisions():
        raise SchemaError(
            f"the database schema ({current}) is newer than this EBS Desktop knows "
            f"(head {head}); install the newer EBS Desktop that upgraded it"
        )
    raise SchemaError(
        f"the database schema ({current}) is older than this program's ({head}); "
        "run 'ebs db upgrade'"
    )


def _run(db: Database, fn: str, target: str) -> None:
    current = current_revision(db)
    if current is not None and current not in known_revisions():
        raise SchemaError(
            f"the database schema ({current}) is newer than this EBS Desktop knows "
            f"(head {head_revision()}); refusing to change it"
        )
    cfg = _config()
    try:
        with db.write_connection() as conn:
            cfg.attributes["connection"] = conn
            getattr(command, fn)(cfg, target)
    except RuntimeError as exc:  # a migration refusing the data it found (0002, 0004)
        raise SchemaError(f"{fn} stopped, nothing changed: {exc}") from exc


def upgrade(db: Database, target: str = "head") -> None:
    _run(db, "upgrade", target)


def downgrade(db: Database, target: str) -> None:
    _run(db, "downgrade", target)
