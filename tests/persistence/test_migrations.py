"""Migrations: empty to head, head matches the models, and a downgrade/upgrade round trip."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from ebs_desktop.errors import SchemaError
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Base


def test_fixture_database_is_at_head(db: Database) -> None:
    assert migrate.current_revision(db) == migrate.head_revision()
    migrate.check_schema(db)  # does not raise
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_models_and_migrations_agree(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_to_empty_and_upgrade_again(db: Database) -> None:
    migrate.downgrade(db, "base")
    remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    assert migrate.current_revision(db) is None
    with pytest.raises(SchemaError, match="ebs db upgrade"):
        migrate.check_schema(db)
    migrate.upgrade(db)
    assert migrate.current_revision(db) == migrate.head_revision()


def test_newer_schema_is_refused(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed9999'"))
    with pytest.raises(SchemaError, match="newer than this EBS Desktop knows"):
        migrate.check_schema(db)
    with pytest.raises(SchemaError, match="newer"):
        migrate.upgrade(db)
