"""``bulk_insert`` writes every row, in order, whatever the count: on SQLite it sends
``ROWS_PER_INSERT`` rows per statement and the rest one by one; on PostgreSQL it COPYs.
Columns passed as ``fixed`` land in every row beside each row's own values."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ebs_desktop.persistence.bulk import JOURNAL_COLUMNS, ROWS_PER_INSERT, bulk_insert
from ebs_desktop.persistence.engine import Database

COLUMNS = JOURNAL_COLUMNS[1:]  # ids assigned by the database, in the order rows arrive


@pytest.mark.parametrize("count", [1, ROWS_PER_INSERT - 1, ROWS_PER_INSERT,
                                   ROWS_PER_INSERT + 1, 2 * ROWS_PER_INSERT + 37])
def test_every_row_in_order(db: Database, count: int) -> None:
    rows = [("bill", "2026-01-02", f"journal {count - i} 'quoted' \u00fc", None,
             "2026-01-02 03:04:05.000000") for i in range(count)]
    with db.write_connection() as conn:
        bulk_insert(conn, "journals", COLUMNS, rows)
    with db.read() as s:
        got = [r[0] for r in s.execute(text("SELECT description FROM journals ORDER BY id"))]
    assert got == [r[2] for r in rows]


def test_a_bad_row_leaves_nothing(db: Database) -> None:
    rows = [(i + 1, "bill", "2026-01-02", f"j{i}", None, "2026-01-02 03:04:05.000000")
            for i in range(ROWS_PER_INSERT + 5)]
    rows[ROWS_PER_INSERT + 2] = (3, *rows[ROWS_PER_INSERT + 2][1:])  # id 3 twice
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"), db.write_connection() as conn:
        bulk_insert(conn, "journals", JOURNAL_COLUMNS, rows)
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM journals")).scalar_one() == 0


@pytest.mark.parametrize("count", [1, ROWS_PER_INSERT, 2 * ROWS_PER_INSERT + 37])
def test_fixed_columns_in_every_row(db: Database, count: int) -> None:
    rows = [(f"journal {count - i}", "2026-01-02" if i % 2 else "2026-02-03")
            for i in range(count)]
    fixed = {"kind": "bill", "user_id": None, "created_at": "2026-01-02 03:04:05.000000"}
    with db.write_connection() as conn:
        bulk_insert(conn, "journals", ("description", "entry_date"), rows, fixed)
    with db.read() as s:
        got = [(r[0], str(r[1]), r[2], r[3], str(r[4])[:10]) for r in s.execute(text(
            "SELECT description, entry_date, kind, user_id, created_at FROM journals"
            " ORDER BY id"))]
    assert got == [(d, day, "bill", None, "2026-01-02") for d, day in rows]
