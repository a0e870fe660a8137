"""The audit chain: intact after actions, and tampering is found and named."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import text

from ebs_desktop.persistence.engine import Database
from ebs_desktop.services import audit, users
from ebs_desktop.services.actor import system_actor

ADMIN = system_actor("test-admin")


def _make_entries(db: Database, n: int) -> None:
    for i in range(n):
        users.add_user(db, ADMIN, f"user{i}", f"User {i}", "password-1", ["clerk"])


def test_chain_is_intact_and_records_before_after(db: Database) -> None:
    _make_entries(db, 3)
    users.set_active(db, ADMIN, "user1", False)
    result = audit.verify(db, ADMIN)
    assert result.ok and result.entries == 4
    with db.read() as s:
        row = s.execute(text("SELECT actor, action, before, after FROM audit_log "
                             "WHERE id = 4")).one()
    assert row.actor == "test-admin" and row.action == "user.disable"
    assert '"is_active":true' in row.before and '"is_active":false' in row.after
    with db.read() as s:
        assert s.scalar(text("SELECT last_hash FROM audit_head")) == result.head_hash


@pytest.mark.books_broken
def test_edited_entry_is_named(db: Database) -> None:
    _make_entries(db, 5)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE id = 3"))
    result = audit.verify(db, ADMIN)
    assert not result.ok and result.bad_entry_id == 3
    assert "entry 3 was edited" in (result.problem or "")


@pytest.mark.books_broken
def test_deleted_entry_is_named(db: Database) -> None:
    _make_entries(db, 5)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = 2"))
    result = audit.verify(db, ADMIN)
    assert not result.ok and result.bad_entry_id == 2
    assert "entry 2 is missing" in (result.problem or "")


@pytest.mark.books_broken
def test_deleted_tail_is_found(db: Database) -> None:
    _make_entries(db, 4)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = 4"))
    result = audit.verify(db, ADMIN)
    assert not result.ok and result.bad_entry_id == 4


@pytest.mark.books_broken
def test_swapped_entries_are_found(db: Database) -> None:
    _make_entries(db, 4)
    cols = "at, actor, action, entity, entity_id, before, after, prev_hash, hash"
    with db.engine.begin() as conn:
        two, three = conn.execute(text(f"SELECT {cols} FROM audit_log WHERE id IN (2, 3) "
                                       "ORDER BY id")).all()
        conn.execute(text("UPDATE audit_log SET hash = 'tmp' WHERE id = 2"))
        sets = ", ".join(f"{c} = :{c}" for c in cols.split(", "))
        conn.execute(text(f"UPDATE audit_log SET {sets} WHERE id = 3"), dict(two._mapping))
        conn.execute(text(f"UPDATE audit_log SET {sets} WHERE id = 2"), dict(three._mapping))
    result = audit.verify(db, ADMIN)
    assert not result.ok and result.bad_entry_id == 2
    assert "does not follow" in (result.problem or "")


@pytest.mark.books_broken
def test_hand_edit_with_sqlite_shell_fails_cli_verify(sqlite_db: Database) -> None:
    """The issue's check: edit one row by hand, `ebs audit verify` exits 1 naming it."""
    _make_entries(sqlite_db, 3)
    path = sqlite_db.engine.url.database
    assert path is not None
    sqlite_db.dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE audit_log SET after = replace(after, 'User 1', 'User X') WHERE id = 2")
    con.commit()
    con.close()
    proc = subprocess.run([sys.executable, "-m", "ebs_desktop.cli.main", "--db", path,
                           "audit", "verify"], capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "entry 2 was edited" in proc.stderr


def test_chain_holds_whatever_the_server_time_zone(db: Database) -> None:
    """A PostgreSQL server in another time zone must not break the hashes."""
    if db.backend != "postgresql":
        return
    from sqlalchemy import event

    @event.listens_for(db.engine, "connect")
    def _zone(dbapi_conn: object, _record: object) -> None:
        cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
        cur.execute("SET TIME ZONE 'Asia/Kolkata'")
        cur.close()

    db.engine.dispose()
    _make_entries(db, 2)
    assert audit.verify(db, ADMIN).ok
