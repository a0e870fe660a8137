"""tariff and run guards

Revision ID: 0005
Revises: 0004

A billing run that fails ends as ``failed`` with its reason (issue 17, point 4):
``billing_runs.status`` may be ``failed`` and ``billing_runs.failure_reason`` holds the
error as a person reads it. (Tariffs themselves are checked whole before they are stored,
in ``domain.tariffs.checks``: no schema change for that.)

SQLite cannot ALTER a CHECK constraint; as migration 0002 does, the code CHECK of
``billing_runs.status`` is edited in ``sqlite_master`` with ``writable_schema`` (the
stored rows do not change meaning: every old status stays allowed), ``schema_version``
bumped, then ``PRAGMA integrity_check``. The constraint is found by its name, whatever
spacing an earlier migration left it with. PostgreSQL drops and re-adds it. Downgrade
turns failed runs back into ``cancelled`` (what a resumed run treated them as) first.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLE = "billing_runs"
NAME = "ck_billing_runs_status_known"
BEFORE = ("running", "completed", "cancelled")  # frozen: a migration never reads the models
AFTER = ("running", "completed", "cancelled", "failed")


def _rule(codes: tuple[str, ...]) -> str:
    return " OR ".join(f"status = '{c}'" for c in codes)


def _with_rule(sql: str, codes: tuple[str, ...]) -> str:
    """``sql`` (a CREATE TABLE) with the rule of ``CONSTRAINT NAME CHECK (...)`` replaced;
    the rule's end is found by balancing parentheses, whatever an earlier migration wrote."""
    heads = list(re.finditer(rf"CONSTRAINT\s+{NAME}\s+CHECK\s*\(", sql))
    if len(heads) != 1:
        raise RuntimeError(f"table {TABLE}: constraint {NAME} not found as expected; "
                           "not changing the schema")
    depth, end = 1, heads[0].end()
    while depth:
        if end >= len(sql):
            raise RuntimeError(f"table {TABLE}: constraint {NAME} is not closed")
        depth += {"(": 1, ")": -1}.get(sql[end], 0)
        end += 1
    return f"{sql[:heads[0].start()]}CONSTRAINT {NAME} CHECK ({_rule(codes)}){sql[end:]}"


def _set_check(codes: tuple[str, ...]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {NAME}")
        op.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {NAME} CHECK ({_rule(codes)})")
        return
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                               (TABLE,)).scalar_one()
    new_sql = _with_rule(sql, codes)
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar_one())
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                             (new_sql, TABLE))
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in bind.exec_driver_sql("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError(f"integrity check after the schema edit: {problems[:5]}")


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("failure_reason", sa.Text(), nullable=True))
    _set_check(AFTER)


def downgrade() -> None:
    op.execute(f"UPDATE {TABLE} SET status = 'cancelled' WHERE status = 'failed'")
    _set_check(BEFORE)
    # SQLite 3.35+ drops a column in place (no table rebuild, the CHECKs stay as they are)
    op.execute(f"ALTER TABLE {TABLE} DROP COLUMN failure_reason")
