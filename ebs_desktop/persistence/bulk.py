"""Writing a batch of bills as tuples through the driver.

The ORM costs ~1 ms per bill; plain tuples through ``executemany`` (SQLite) or ``COPY``
(PostgreSQL) cost a few microseconds per row. Bill ids are reserved up front (SQLite: the
batch holds the write lock, so ``MAX(id)`` is stable; PostgreSQL: ``nextval`` on the
sequence), so lines and ledger entries can reference their bill without a round trip.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from itertools import chain
from typing import Any, cast

from sqlalchemy import Connection, text

LINE_COLUMNS = ("bill_id", "seq", "code", "description", "quantity", "rate", "amount_minor",
                "tariff_version_id")
ENTRY_COLUMNS = ("journal_id", "gl_code", "account_id", "amount_minor", "entry_date",
                 "bill_id", "payment_id", "credit_note_id")
READING_COLUMNS = ("register_id", "read_on", "value", "consumption", "source", "status",
                   "reading_code", "flags", "reader_id", "batch_id", "created_at")
# the columns of each row of a batch; the rest are the same for the whole batch (``fixed``)
BILL_OWN_COLUMNS = ("id", "bill_number", "account_id", "replaces_bill_id", "tariff_id",
                    "period_start", "period_end", "consumption_kwh", "demand_kw",
                    "estimated", "total_minor", "after_due_minor")
READING_OWN_COLUMNS = READING_COLUMNS[:4]  # register, day, value, consumption
EXCEPTION_COLUMNS = ("run_id", "account_id", "code", "detail")
BALANCE_CHUNK = 1000
JOURNAL_COLUMNS = ("id", "kind", "entry_date", "description", "user_id", "created_at")
# SQLite: rows per INSERT statement. The driver's fixed cost per statement execution
# (reset, step, the Python round) is paid once per 500 rows instead of per row: 700,000
# bill lines 1.32-1.36 s -> 0.88-0.91 s (100 rows: 0.97-1.02 s). 500 rows of the widest
# table (bills, 19 columns) bind 9,500 values, under SQLite's limit of 32,766.
ROWS_PER_INSERT = 500
SQLITE_MAX_VALUES = 32_766


def timestamp_text(conn: Connection, moment: datetime) -> str:
    """A timezone-aware UTC moment as the text each backend stores: SQLAlchemy keeps naive
    UTC text on SQLite; PostgreSQL's timestamptz needs the offset."""
    text = moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    return text if conn.dialect.name == "sqlite" else text + "+00:00"


def reading_fixed(source: str, stamp: str) -> dict[str, Any]:
    """The columns of ``READING_COLUMNS`` after ``READING_OWN_COLUMNS`` for valid readings
    of one source written together."""
    return {"source": source, "status": "valid", "reading_code": None, "flags": "",
            "reader_id": None, "batch_id": None, "created_at": stamp}


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
                rows: Sequence[Sequence[Any]], fixed: Mapping[str, Any] | None = None) -> None:
    """Insert tuples as fast as the backend allows: COPY on PostgreSQL, multi-row
    ``INSERT ... VALUES (...), (...)`` on SQLite (``ROWS_PER_INSERT``), in order.

    ``fixed``: columns with the same value in every row, left out of ``rows``. SQLite binds
    them once per statement instead of once per row: binding a value, text above all,
    costs more than inserting it (1.7 million demo readings with seven such columns:
    3.8-4.3 s bound per row, 1.6 s bound once per statement)."""
    if not rows:
        return
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    fixed = fixed or {}
    cur = dbapi.cursor()
    try:
        if conn.dialect.name == "postgresql":
            tail = tuple(fixed.values())
            with cur.copy(f"COPY {table} ({', '.join([*columns, *fixed])}) FROM STDIN"
                          ) as copy:
                for row in rows:
                    copy.write_row((*row, *tail) if tail else row)
            return
        head = list(fixed.values())
        per = min(ROWS_PER_INSERT, (SQLITE_MAX_VALUES - len(head)) // len(columns))
        whole = len(rows) // per * per
        if whole:
            # a generator (the driver takes any iterable): no second copy of every row
            cast(Any, cur).executemany(
                _insert_sql(table, tuple(columns), tuple(fixed), per),
                (head + list(chain.from_iterable(rows[i:i + per]))
                 for i in range(0, whole, per)))
        if whole < len(rows):
            cur.executemany(_insert_sql(table, tuple(columns), tuple(fixed), 1),
                            [head + list(row) for row in rows[whole:]])
    finally:
        cur.close()


@lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...], fixed: tuple[str, ...],
                count: int) -> str:
    """SQLite's ``INSERT`` of ``count`` rows with numbered parameters: the fixed values
    first (``?1``...), shared by every row, then each row's own values."""
    k, n = len(fixed), len(columns)
    shared = "".join(f", ?{j}" for j in range(1, k + 1))
    values = ", ".join(
        "(" + ", ".join(f"?{k + r * n + j}" for j in range(1, n + 1)) + shared + ")"
        for r in range(count))
    return f"INSERT INTO {table} ({', '.join([*columns, *fixed])}) VALUES {values}"


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
