"""Money columns are CHECKed in the database (issue 17, point 2; migration 0004): within the
ceiling, and on SQLite stored as integers only, so a balance can never turn into a float."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from ebs_desktop.domain.money import MAX_AMOUNT_MINOR, MAX_TOTAL_MINOR
from ebs_desktop.errors import SchemaError
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Base

# Running totals (MAX_TOTAL_MINOR); every other money column holds one amount.
TOTAL_COLUMNS = {"accounts.balance_minor", "billing_runs.total_minor",
                 "ledger_entries.amount_minor", "bank_statements.opening_minor",
                 "bank_statements.closing_minor"}
MONEY_COLUMNS = sorted((t.name, c.name) for t in Base.metadata.tables.values()
                       for c in t.columns if c.info.get("money"))


def _constraints(db: Database) -> dict[str, str]:
    """Name -> text of every CHECK constraint the database holds."""
    with db.engine.connect() as conn:
        if db.backend == "sqlite":
            found: dict[str, str] = {}
            for (sql,) in conn.execute(text("SELECT sql FROM sqlite_master WHERE type = "
                                            "'table'")):
                for name, body in re.findall(r"CONSTRAINT (\w+) CHECK \((.*)\)", str(sql)):
                    found[name] = body
            return found
        return {str(n): str(d) for n, d in conn.execute(text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'c'"))}


def test_every_money_column_has_its_checks(db: Database) -> None:
    assert len(MONEY_COLUMNS) >= 20
    held = _constraints(db)
    missing = []
    for table, column in MONEY_COLUMNS:
        ceiling = MAX_TOTAL_MINOR if f"{table}.{column}" in TOTAL_COLUMNS else MAX_AMOUNT_MINOR
        name = f"ck_{table}_{column}_range"
        if name not in held or str(ceiling) not in held[name]:
            missing.append(name)
        if db.backend == "sqlite" and f"ck_{table}_{column}_integer" not in held:
            missing.append(f"ck_{table}_{column}_integer")
    assert missing == []


ENTRY = ("INSERT INTO ledger_entries (journal_id, gl_code, account_id, amount_minor,"
         " entry_date) VALUES (1, 'SALES', NULL, :a, '2026-10-01')")


def _one_journal(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO journals (id, kind, entry_date, description, created_at)"
                          " VALUES (1, 'bill', '2026-10-01', 'j', '2026-10-01 00:00:00')"))


@pytest.mark.books_broken  # lone ledger entries
@pytest.mark.parametrize("amount", [MAX_TOTAL_MINOR + 1, -MAX_TOTAL_MINOR - 1, 2**63 - 1])
def test_values_beyond_the_ceiling_are_refused(db: Database, amount: int) -> None:
    _one_journal(db)
    with db.engine.begin() as conn:
        conn.execute(text(ENTRY), {"a": MAX_TOTAL_MINOR})  # a total may reach the ceiling
    with pytest.raises(IntegrityError, match="ck_ledger_entries_amount_minor_range"), \
            db.engine.begin() as conn:
        conn.execute(text(ENTRY), {"a": amount})


def test_an_overflowing_balance_is_refused_not_stored_as_a_float(db: Database) -> None:
    """The issue's crash: balance + amount past 2**63 became -9.2e18 (a REAL) on SQLite."""
    _one_journal(db)
    with db.engine.begin() as conn:
        conn.execute(text(ENTRY), {"a": 5})
    bump = "UPDATE ledger_entries SET amount_minor = amount_minor + :d"
    with pytest.raises(DBAPIError, match=r"(?i)ck_ledger_entries_amount_minor|out of range"), \
            db.engine.begin() as conn:
        conn.execute(text(bump), {"d": 2**63 - 2})
    if db.backend == "sqlite":
        for value in (1.5, "abc", b"\x01"):
            with pytest.raises(IntegrityError, match="ck_ledger_entries_amount_minor"), \
                    db.engine.begin() as conn:
                conn.execute(text("UPDATE ledger_entries SET amount_minor = :v"), {"v": value})
    with db.engine.connect() as conn:
        kind = "typeof(amount_minor)" if db.backend == "sqlite" else "pg_typeof(amount_minor)"
        row = conn.execute(text(f"SELECT amount_minor, {kind} FROM ledger_entries")).one()
    assert row[0] == 5 and str(row[1]) in ("integer", "bigint")
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM ledger_entries"))
        conn.execute(text("DELETE FROM journals"))


def test_0004_refuses_bad_rows_then_adds_and_removes_its_checks(db: Database) -> None:
    migrate.downgrade(db, "0003")
    assert not any(n.endswith(("_minor_range", "_minor_integer")) for n in _constraints(db))
    _one_journal(db)
    with db.engine.begin() as conn:
        conn.execute(text(ENTRY), {"a": 10**16})  # no CHECK before 0004
        conn.execute(text(ENTRY), {"a": 7})
    with pytest.raises(SchemaError, match=r"ledger_entries ids \d+ break "
                                           r"ck_ledger_entries_amount_minor_range"):
        migrate.upgrade(db)
    assert migrate.current_revision(db) == "0003"
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM ledger_entries WHERE id = 1"))
    migrate.upgrade(db)
    assert migrate.current_revision(db) == migrate.head_revision()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT amount_minor FROM ledger_entries")).scalar_one() == 7
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(text(ENTRY), {"a": 10**16})
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM ledger_entries"))
        conn.execute(text("DELETE FROM journals"))
