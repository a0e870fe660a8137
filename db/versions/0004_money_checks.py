"""money checks

Revision ID: 0004
Revises: 0003

CHECK constraints on every money column (issue 17, point 2): an amount column holds at
most +/- MAX_AMOUNT_MINOR (10**12 - 1 minor units), a running total (a balance, a run
total, a batch's SALES entry, a statement balance) at most +/- MAX_TOTAL_MINOR
(10**15 - 1); see ebs_desktop/domain/money.py. On SQLite a second CHECK holds the column
to integers: SQLite evaluates ``balance_minor + :d`` past 2**63 as a float and stores it in
the BIGINT column (``-9.22337203685478e+18``), after which every sum over the ledger fails
with "integer overflow". PostgreSQL's BIGINT is always an integer and raises on overflow.

Both CHECKs are comparisons (``x BETWEEN -c AND c``, ``x = CAST(x AS INTEGER)``): 11 and
17 ns per row and column on SQLite 3.40, against 45 ns for ``typeof(x) = 'integer'`` (a
function call) and far more for an IN list (migration 0002). NULL passes both.

Rows already beyond a bound stop the upgrade with the table, column and ids named (they
are wrong postings to correct first; nothing is changed). SQLite cannot add a constraint
to a table; as in 0002, the table's SQL in sqlite_schema is edited under
``writable_schema`` inside this migration's transaction (the rows were checked just before,
so the file stays consistent), then ``PRAGMA integrity_check``. PostgreSQL adds each
constraint with ALTER TABLE (which checks the rows too).
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

AMOUNT = 10**12 - 1  # MAX_AMOUNT_MINOR, frozen here: a migration never reads the code
TOTAL = 10**15 - 1  # MAX_TOTAL_MINOR

# (table, column, ceiling): the money columns as of 0003 (models.base.money_column).
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("bank_statements", "opening_minor", TOTAL),
    ("bank_statements", "closing_minor", TOTAL),
    ("billing_runs", "total_minor", TOTAL),
    ("accounts", "balance_minor", TOTAL),
    ("shifts", "opening_float_minor", AMOUNT),
    ("bills", "total_minor", AMOUNT),
    ("bills", "after_due_minor", AMOUNT),
    ("payments", "amount_minor", AMOUNT),
    ("safe_drops", "amount_minor", AMOUNT),
    ("shift_counts", "denomination_minor", AMOUNT),
    ("shift_counts", "amount_minor", AMOUNT),
    ("bank_lines", "amount_minor", AMOUNT),
    ("bill_lines", "amount_minor", AMOUNT),
    ("credit_notes", "amount_minor", AMOUNT),
    ("payment_reversals", "fee_minor", AMOUNT),
    ("payment_tenders", "amount_minor", AMOUNT),
    ("payment_tenders", "tendered_minor", AMOUNT),
    ("payment_tenders", "change_minor", AMOUNT),
    ("ledger_entries", "amount_minor", TOTAL),
    ("payment_allocations", "amount_minor", AMOUNT),
)


def checks(sqlite: bool) -> list[tuple[str, str, str]]:
    """(table, constraint name, SQL) of every CHECK this migration adds, in table order."""
    out = []
    for table, column, ceiling in COLUMNS:
        out.append((table, f"ck_{table}_{column}_range",
                    f"{column} BETWEEN -{ceiling} AND {ceiling}"))
        if sqlite:
            out.append((table, f"ck_{table}_{column}_integer",
                        f"{column} = CAST({column} AS INTEGER)"))
    return out


def _refuse_bad_rows(sqlite: bool) -> None:
    """Stop (changing nothing) when rows already break a new CHECK, naming them."""
    bind = op.get_bind()
    by_table: dict[str, list[tuple[str, str]]] = {}
    for table, name, sql in checks(sqlite):
        by_table.setdefault(table, []).append((name, sql))
    problems = []
    for table, rules in by_table.items():
        for name, sql in rules:
            ids = [row[0] for row in bind.exec_driver_sql(
                f"SELECT id FROM {table} WHERE NOT ({sql}) ORDER BY id LIMIT 6")]
            if ids:
                shown = ", ".join(str(i) for i in ids[:5]) + (", ..." if len(ids) > 5 else "")
                problems.append(f"{table} ids {shown} break {name} ({sql})")
    if problems:
        raise RuntimeError("money columns hold values beyond the ceiling or not whole minor "
                           "units; correct these postings, then upgrade again: "
                           + "; ".join(problems))


def _clause(name: str, sql: str) -> str:
    return f", \n\tCONSTRAINT {name} CHECK ({sql})"


def _sqlite_edit(forward: bool) -> None:
    bind = op.get_bind()
    by_table: dict[str, list[str]] = {}
    for table, name, sql in checks(sqlite=True):
        by_table.setdefault(table, []).append(_clause(name, sql))
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar_one())
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for table, clauses in by_table.items():
            found = bind.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                (table,)).scalar_one_or_none()
            if found is None:
                raise RuntimeError(f"table {table} is missing; not changing the schema")
            sql = str(found)
            if forward:
                if any(c in sql for c in clauses):
                    raise RuntimeError(f"table {table} already has a money CHECK")
                body = sql.rstrip()
                if not body.endswith(")"):
                    raise RuntimeError(f"table {table}: unexpected SQL; not changing it")
                new = body[:-1].rstrip() + "".join(clauses) + "\n)"
            else:
                new = sql
                for clause in clauses:
                    if clause not in new:
                        raise RuntimeError(f"table {table}: a money CHECK is not as 0004 "
                                           "wrote it; not changing the schema")
                    new = new.replace(clause, "")
            bind.exec_driver_sql(
                "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                (new, table))
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in bind.exec_driver_sql("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError(f"integrity check after the schema edit: {problems[:5]}")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _refuse_bad_rows(sqlite)
    if sqlite:
        _sqlite_edit(forward=True)
        return
    for table, name, sql in checks(sqlite=False):
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({sql})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_edit(forward=False)
        return
    for table, name, _sql in reversed(checks(sqlite=False)):
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
