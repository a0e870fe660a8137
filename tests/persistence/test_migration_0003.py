"""Migration 0003: bank statements and lines get their currency, older rows the utility's."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from ebs_desktop.errors import SchemaError
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database

STATEMENT = ("INSERT INTO bank_statements (id, bank_account, statement_ref, file_name,"
             " opening_minor, closing_minor, created_at) VALUES (1, 'NL91', 'S1', 'a.xml',"
             " 0, 4550, '2026-10-01 00:00:00')")
LINE = ("INSERT INTO bank_lines (statement_id, line_key, booked_on, amount_minor, reference,"
        " status) VALUES (1, :k, '2026-10-01', 4550, 'acc', 'review')")


def _columns(db: Database, table: str) -> dict[str, bool]:
    """Column name -> nullable, as the database holds it."""
    return {c["name"]: bool(c["nullable"]) for c in inspect(db.engine).get_columns(table)}


def test_0003_gives_older_rows_the_utility_currency_and_is_not_null(db: Database) -> None:
    migrate.downgrade(db, "0002")
    assert "currency" not in _columns(db, "bank_lines")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('currency', '\"EUR\"')"))
        conn.execute(text(STATEMENT))
        conn.execute(text(LINE), {"k": "old-line"})
    migrate.upgrade(db)
    assert _columns(db, "bank_lines")["currency"] is False
    assert _columns(db, "bank_statements")["currency"] is False
    assert _columns(db, "bank_lines")["review_reason"] is True
    with db.engine.begin() as conn:
        assert conn.execute(text("SELECT currency FROM bank_lines")).scalar_one() == "EUR"
        assert conn.execute(text("SELECT currency FROM bank_statements")).scalar_one() == "EUR"
    with pytest.raises(Exception, match=r"(?i)not null|null value"), \
            db.engine.begin() as conn:
        conn.execute(text(LINE), {"k": "no-currency"})


def test_0003_downgrade_refuses_to_forget_a_foreign_currency(db: Database) -> None:
    migrate.downgrade(db, "0003")
    with db.engine.begin() as conn:
        conn.execute(text(STATEMENT.replace("created_at)", "created_at, currency)")
                          .replace("00:00:00')", "00:00:00', 'KWD')")))
        conn.execute(text(LINE.replace("status)", "status, currency)")
                          .replace("'review')", "'review', 'KWD')")), {"k": "kwd"})
    with pytest.raises(SchemaError, match="another currency than USD"):
        migrate.downgrade(db, "0002")
    assert migrate.current_revision(db) == "0003"
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM bank_lines"))
        conn.execute(text("DELETE FROM bank_statements"))
    migrate.upgrade(db)
