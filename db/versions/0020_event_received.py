"""gateway events received now, posted by a drainer

Revision ID: 0020
Revises: 0019

Issue 22's intake benchmark (>= 500 events/s, p99 <= 50 ms): the webhook no longer posts
before it answers. It verifies, stores the event once by its id with the outcome
``received`` and answers 200; a drainer (the portal's background task, ``ebs payments
process``) posts received events in batches. So:

* ``gateway_events.outcome`` may be ``received`` (the check widened);
* ``gateway_events.detail``: what the drainer needs of the verified event besides the
  columns already kept, as JSON (``{"currency": ..., "metadata": {...}}``);
* ``ix_gateway_events_received``: a partial index of the received events, so the
  drainer's claim reads only the queue, not the whole history.

SQLite cannot ALTER a CHECK constraint: widened as migration 0002 does it (the table's SQL
edited in sqlite_schema; nothing stored changes, every stored row still passes).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

NAME = "ck_gateway_events_outcome_known"
BEFORE = ("posted", "recorded", "ignored", "parked")
AFTER = (*BEFORE, "received")


def _check(codes: tuple[str, ...]) -> str:
    return " OR ".join(f"outcome = '{c}'" for c in codes)


def _rewrite(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.execute(f"ALTER TABLE gateway_events DROP CONSTRAINT {NAME}")
        op.execute(f"ALTER TABLE gateway_events ADD CONSTRAINT {NAME} CHECK ({_check(new)})")
        return
    before = f"CONSTRAINT {NAME} CHECK ({_check(old)})"
    after = f"CONSTRAINT {NAME} CHECK ({_check(new)})"
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar_one())
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        done = bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?)"
            " WHERE type = 'table' AND name = 'gateway_events' AND instr(sql, ?) > 0",
            (before, after, before))
        if done.rowcount != 1:
            raise RuntimeError(f"gateway_events: {NAME} is not as 0017 created it; "
                               "not changing the schema")
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in bind.exec_driver_sql("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError(f"integrity check after the schema edit: {problems[:5]}")


def upgrade() -> None:
    _rewrite(BEFORE, AFTER)
    op.add_column("gateway_events", sa.Column("detail", sa.Text(), nullable=True))
    op.create_index("ix_gateway_events_received", "gateway_events", ["id"],
                    postgresql_where=sa.text("outcome = 'received'"),
                    sqlite_where=sa.text("outcome = 'received'"))


def downgrade() -> None:
    op.drop_index("ix_gateway_events_received", table_name="gateway_events")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE gateway_events DROP COLUMN detail")
    else:
        op.drop_column("gateway_events", "detail")
    op.execute("UPDATE gateway_events SET outcome = 'recorded', "
               "reason = 'received, never posted (downgrade)' WHERE outcome = 'received'")
    _rewrite(AFTER, BEFORE)
