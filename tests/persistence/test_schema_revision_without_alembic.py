"""Issue 19, point 3: the schema check every command runs reads the program's head from
the scripts' ``revision``/``down_revision`` lines and the database's revision with one
query; these must be what Alembic itself says."""

from __future__ import annotations

from pathlib import Path

import pytest

from ebs_desktop.errors import SchemaError
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    assert migrate.head_revision() == migrate.alembic_head_revision()
    scripts = migrate._alembic_scripts()
    assert migrate.known_revisions() == {rev.revision for rev in scripts.walk_revisions()}
    assert migrate._script_revisions() == {
        rev.revision: rev.down_revision for rev in scripts.walk_revisions()}


def test_the_stored_revision_is_alembics(db: Database) -> None:
    from alembic.runtime.migration import MigrationContext

    def alembic_current() -> str | None:
        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    assert migrate.current_revision(db) == alembic_current() == migrate.head_revision()
    migrate.downgrade(db, "0006")
    try:
        assert migrate.current_revision(db) == alembic_current() == "0006"
        with pytest.raises(SchemaError, match="older than this program's"):
            migrate.check_schema(db)
    finally:
        migrate.upgrade(db)
    assert migrate.current_revision(db) == migrate.head_revision()


def test_a_database_without_the_schema_has_no_revision(tmp_path: Path) -> None:
    from ebs_desktop.persistence.engine import open_database

    db = open_database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        assert migrate.current_revision(db) is None
        with pytest.raises(SchemaError, match="no EBS Desktop schema yet"):
            migrate.check_schema(db)
    finally:
        db.dispose()
