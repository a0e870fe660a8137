"""Schema versions through Alembic (migrations in the top-level ``db/`` folder).

The program knows the revisions in ``db/versions``. A database at an unknown revision was
migrated by a newer EBS Desktop: we refuse to open it rather than corrupt it.

Checking the schema, which every ``ebs`` command and every sign-in does, needs no Alembic:
importing it costs ~0.4 s of a command's start. The stored revision is read from Alembic's
``alembic_version`` table with one query, and the program's head from the ``revision`` and
``down_revision`` lines of the scripts in ``db/versions`` (a few small text files; a test
proves it is what Alembic computes). Alembic is imported only to upgrade or downgrade.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, text

from ebs_desktop.errors import SchemaError
from ebs_desktop.paths import migrations_dir
from ebs_desktop.persistence.engine import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = migrations_dir()
VERSION_TABLE = "alembic_version"  # Alembic's default, which db/env.py keeps

# ``revision = "0007"`` / ``down_revision = "0006"`` (or None) in a migration script.
_REVISION_LINE = re.compile(
    r"""^(revision|down_revision)\s*(?::[^=]+)?=\s*(?:["']([^"']+)["']|None)\s*$""", re.M)


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@cache
def _script_revisions() -> dict[str, str | None] | None:
    """Each revision of ``db/versions`` and the one it revises, read from the scripts'
    text (what Alembic's script directory holds, without importing Alembic); None when a
    script says it otherwise (a merge's tuple, say), and then Alembic is asked."""
    revisions: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(
            path.read_text(encoding="utf-8"))}
        if found.get("revision") is None or "down_revision" not in found:
            return None
        revisions[str(found["revision"])] = found["down_revision"]
    return revisions


def _alembic_scripts() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def alembic_head_revision() -> str:
    """The head as Alembic computes it (loads Alembic and every script)."""
    head = _alembic_scripts().get_current_head()
    assert head is not None
    return str(head)


@cache
def head_revision() -> str:
    """The newest revision this program ships: the one no other script revises."""
    revisions = _script_revisions()
    if revisions is None:
        return alembic_head_revision()
    revised = set(revisions.values())
    heads = [rev for rev in revisions if rev not in revised]
    if len(heads) != 1:  # a branch: let Alembic say what is wrong
        return alembic_head_revision()
    return heads[0]


def current_revision(db: Database) -> str | None:
    """The revision stored in the database (None for one without the schema yet)."""
    with db.engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(rows) > 1:
        raise SchemaError(f"the database records {len(rows)} schema revisions "
                          f"({', '.join(sorted(rows))}); EBS Desktop has one line of them")
    return str(rows[0]) if rows else None


def known_revisions() -> set[str]:
    revisions = _script_revisions()
    if revisions is None:
        return {rev.revision for rev in _alembic_scripts().walk_revisions()}
    return set(revisions)


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
    from alembic import command

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
