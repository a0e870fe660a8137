"""Writing a batch of bills as tuples through the driver.

The ORM costs ~1 ms per bill; plain tuples through ``executemany`` (SQLite) or ``COPY``
(PostgreSQL) cost a few microseconds per row. Bill ids are reserved up front (SQLite: the
batch holds the write lock, so ``MAX(id)`` is stable; PostgreSQL: ``nextval`` on the
sequence), so lines and ledger entries can reference their bill without a round trip.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any, cast

from sqlalchemy import Connection, text

BILL_COLUMNS = ("id", "bill_number", "account_id", "period", "revision", "kind",
                "replaces_bill_id", "run_id", "tariff_id", "period_start", "period_end",
                "issue_date", "due_date", "consumption_kwh", "demand_kw", "estimated",
                "total_minor", "after_due_minor", "created_at")
LINE_COLUMNS = ("bill_id", "seq", "code", "description", "quantity", "rate", "amount_minor",
                "tariff_version_id")
ENTRY_COLUMNS = ("journal_id", "gl_code", "account_id", "amount_minor", "entry_date",
                 "bill_id", "payment_id", "credit_note_id")
READING_COLUMNS = ("register_id", "read_on", "value", "consumption", "source", "status",
                   "reading_code", "flags", "reader_id", "batch_id", "created_at")
EXCEPTION_COLUMNS = ("run_id", "account_id", "code", "detail")
BALANCE_CHUNK = 1000
JOURNAL_COLUMNS = ("id", "kind", "entry_date", "description", "user_id", "created_at")
# SQLite: rows per INSERT statement. The driver's fixed cost per statement execution
# (reset, step, the Python round) is paid once per 500 rows instead of per row: 700,000
# bill lines 1.32-1.36 s -> 0.88-0.91 s (100 rows: 0.97-1.02 s). 500 rows of the widest
# table (bills, 19 columns) bind 9,500 values, under SQLite's limit of 32,766.
ROWS_PER_INSERT = 500
SQLITE_MAX_VALUES = 32_766


def reserve_ids(conn: Connection, table: str, count: int) -> list[int]:
    """``count`` fresh primary keys for ``table`` in this transaction."""
    if count == 0:
        return []
    if conn.dialect.name == "postgresql":
        rows = conn.execute(text(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
            "FROM generate_series(1, :n)"), {"n": count})
        return [int(r[0]) for r in rows]
    start = int(conn.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar_one())
    return list(range(start + 1, start + 1 + count))


def bulk_insert(conn: Connection, table: str, columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> None:
    """Insert tuples as fast as the backend allows: COPY on PostgreSQL, multi-row
    ``INSERT ... VALUES (...), (...)`` on SQLite (``ROWS_PER_INSERT``), in order."""
    if not rows:
        return
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cols = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        cur = dbapi.cursor()
        try:
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        finally:
            cur.close()
        return
    one = f"({', '.join('?' * len(columns))})"
    per = min(ROWS_PER_INSERT, SQLITE_MAX_VALUES // len(columns))
    whole = len(rows) // per * per
    cur = dbapi.cursor()
    try:
        if whole:
            # a generator (the driver takes any iterable): no second copy of every row
            cast(Any, cur).executemany(
                f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * per)}",
                (list(chain.from_iterable(rows[i:i + per])) for i in range(0, whole, per)))
        if whole < len(rows):
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES {one}", rows[whole:])
    finally:
        cur.close()


def bump_balances(conn: Connection, deltas: Sequence[tuple[int, int]]) -> None:
    """Add (amount, account id) pairs to the cached account balances.

    SQLite: one prepared UPDATE per account through ``executemany`` (a few microseconds
    each). PostgreSQL: ``UPDATE ... FROM (VALUES ...)`` in chunks, one statement per
    thousand accounts instead of a round trip each (joining a temporary table instead made
    the planner scan the whole accounts table per batch).
    """
    if not deltas:
        return
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cur = dbapi.cursor()
    try:
        if conn.dialect.name != "postgresql":
            cur.executemany(
                "UPDATE accounts SET balance_minor = balance_minor + ? WHERE id = ?", deltas)
            return
        summed: dict[int, int] = {}
        for amount, account in deltas:  # UPDATE ... FROM applies one row per account
            summed[account] = summed.get(account, 0) + amount
        pairs = [(amount, account) for account, amount in summed.items()]
        for start in range(0, len(pairs), BALANCE_CHUNK):
            chunk = pairs[start:start + BALANCE_CHUNK]
            values = ", ".join(f"({int(amount)}, {int(account)})" for amount, account in chunk)
            cur.execute(  # ints only, formatted by int(): safe to inline
                "UPDATE accounts AS a SET balance_minor = a.balance_minor + v.delta"
                f" FROM (VALUES {values}) AS v(delta, id) WHERE a.id = v.id")
    finally:
        cur.close()
