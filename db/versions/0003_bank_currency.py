"""bank currency

Revision ID: 0003
Revises: 0002

Bank statements and lines carry their currency (issue 17, points 1 and 3). A line kept
its amount in minor units without saying of what, so a KWD 45.500 credit (45500 fils)
was shown and posted as 455.00 of the utility's currency. Now:

* ``bank_statements.currency`` and ``bank_lines.currency``: ISO 4217 code, NOT NULL.
  Rows already stored were imported by code that matched only lines in the utility's
  currency and read every amount with that currency's decimals, so they are given the
  utility's currency (the ``currency`` setting, USD when unset).
* ``bank_lines.review_reason``: why a line waits for a person (another currency, no or
  several account numbers), shown by ``ebs bank review``. NULL for older lines.

SQLite cannot add a NOT NULL column without a default, nor ALTER one afterwards. The
column is added nullable, filled, and then made NOT NULL by editing the table's SQL in
sqlite_schema, as migration 0002 does (https://www.sqlite.org/lang_altertable.html,
"making other kinds of table schema changes"): adding NOT NULL changes nothing on disk,
and ``PRAGMA integrity_check`` (which checks NOT NULL) confirms every row has a value.
PostgreSQL alters the column.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("bank_statements", "bank_lines")
COLUMN = "currency VARCHAR(3)"


def _utility_currency() -> str:
    value = op.get_bind().execute(
        sa.text("SELECT value FROM settings WHERE key = 'currency'")).scalar()
    code = json.loads(value) if value is not None else "USD"
    if not (isinstance(code, str) and len(code) == 3 and code.isalpha() and code.isupper()):
        raise RuntimeError(f"the currency setting {code!r} is not an ISO 4217 code; "
                           "fix it before upgrading")
    return code


def _sqlite_not_null() -> None:
    bind = op.get_bind()
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar_one())
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for table in TABLES:
            done = bind.exec_driver_sql(
                "UPDATE sqlite_master SET sql = replace(sql, ?, ?)"
                " WHERE type = 'table' AND name = ? AND instr(sql, ?) > 0",
                (COLUMN, f"{COLUMN} NOT NULL", table, COLUMN))
            if done.rowcount != 1:
                raise RuntimeError(f"table {table}: column currency is not as this migration "
                                   "added it; not changing the schema")
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in bind.exec_driver_sql("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError(f"integrity check after the schema edit: {problems[:5]}")


def upgrade() -> None:
    currency = _utility_currency()
    for table in TABLES:
        op.add_column(table, sa.Column("currency", sa.String(length=3), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET currency = :c").bindparams(c=currency))
    op.add_column("bank_lines", sa.Column("review_reason", sa.String(length=200),
                                          nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_not_null()
    else:
        for table in TABLES:
            op.alter_column(table, "currency", existing_type=sa.String(length=3),
                            nullable=False)


def downgrade() -> None:
    currency = _utility_currency()
    foreign = op.get_bind().execute(sa.text(
        "SELECT count(*) FROM bank_lines WHERE currency <> :c").bindparams(c=currency)).scalar()
    if foreign:
        raise RuntimeError(f"{foreign} bank line(s) are in another currency than {currency}; "
                           f"the older schema would read them as {currency}: not downgrading")
    op.drop_column("bank_lines", "review_reason")
    for table in TABLES:
        op.drop_column(table, "currency")
