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


def _code_check_texts(db: Database) -> list[str]:
    """The text of every code CHECK (one_of) as the database holds it."""
    with db.engine.connect() as conn:
        if db.backend == "sqlite":
            return [str(r[0]) for r in conn.execute(text(
                "SELECT sql FROM sqlite_master WHERE type = 'table'"))]
        return [str(r[0]) for r in conn.execute(text(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'c' AND conname LIKE 'ck_%_known'"))]


def _is_in_list(check: str) -> bool:
    """An IN list as SQLite keeps it, or as PostgreSQL shows it (= ANY (ARRAY[...]))."""
    return "gl_code IN (" in check or ("gl_code" in check and "ANY (" in check)


def test_0002_rewrites_code_checks_keeping_rows_and_rules(db: Database) -> None:
    """0001 -> 0002 on a database with rows: same rows, same rule, no IN list left."""
    migrate.downgrade(db, "0001")
    assert any(_is_in_list(t) for t in _code_check_texts(db))
    insert = ("INSERT INTO journals (id, kind, entry_date, description, created_at)"
              " VALUES (1, 'bill', '2026-10-01', 'j', '2026-10-01 00:00:00')")
    entry = ("INSERT INTO ledger_entries (journal_id, gl_code, account_id, amount_minor,"
             " entry_date) VALUES (1, :gl, NULL, 5, '2026-10-01')")
    with db.engine.begin() as conn:
        conn.execute(text(insert))
        conn.execute(text(entry), {"gl": "SALES"})
    migrate.upgrade(db)
    texts = _code_check_texts(db)
    assert not any(_is_in_list(t) for t in texts)
    assert any("gl_code = 'AR'" in t or "gl_code)::text = 'AR'" in t for t in texts)
    with db.engine.begin() as conn:
        assert conn.execute(text("SELECT gl_code FROM ledger_entries")).scalar_one() == "SALES"
        conn.execute(text(entry), {"gl": "CASH"})  # a known code still goes in
    with pytest.raises(Exception, match=r"(?i)check"), db.engine.begin() as conn:
        conn.execute(text(entry), {"gl": "PETTY"})
    with pytest.raises(Exception, match=r"(?i)check"), db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO readings (register_id, read_on, value, source, status, flags,"
            " created_at) VALUES (1, '2026-10-01', 1, 'guess', 'valid', '',"
            " '2026-10-01 00:00:00')"))
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM ledger_entries"))
        conn.execute(text("DELETE FROM journals"))
