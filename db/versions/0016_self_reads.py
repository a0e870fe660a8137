"""self reads

Revision ID: 0016
Revises: 0015

Customer self-reads and high-usage alerts (issue 21, points 4 and 7):

* readings (and reading batches) may come from the source ``customer``: a reading a
  customer submitted in the portal, checked by the same rules as any other; one outside
  the expected range is stored ``pending`` (held for staff review, never billed until
  confirmed), the state device readings with warnings already use;
* ``customer_reads``: who submitted a self-read (the portal login, the account), when,
  and the photo of the meter if one came with it (re-encoded, metadata stripped);
* the outbox takes the kind ``high_usage``;
* ``usage_benchmarks``: each period's comparison groups (category, tariff, load band)
  summarised when a billing run closes, for the portal's "you used more than N % of
  similar accounts".

The CHECK constraints are widened as 0002 rewrote them: on SQLite by editing the table's
SQL in sqlite_schema (nothing stored changes, so no table is rebuilt), on PostgreSQL by
dropping and adding each constraint.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# (table, constraint, column, the code this migration adds). Each rule is read from the
# database and rebuilt with the code added (or taken out again), whatever other codes an
# earlier migration of a parallel branch gave it (0015 adds ``support_reply`` to the same
# outbox rule).
CHECKS: tuple[tuple[str, str, str, str], ...] = (
    ("readings", "ck_readings_source_known", "source", "customer"),
    ("reading_batches", "ck_reading_batches_source_known", "source", "customer"),
    ("notification_outbox", "ck_notification_outbox_kind_known", "kind", "high_usage"),
)


def _comparisons(column: str, codes: list[str]) -> str:
    return " OR ".join(f"{column} = {c!r}" for c in codes)


def _codes(rule: str) -> list[str]:
    """The codes a rule admits, in order: ``kind = 'a' OR kind = 'b'`` (or PostgreSQL's
    ``((kind)::text = 'a'::text) OR ...``) -> ``['a', 'b']``."""
    return re.findall(r"'([^']*)'", rule)


def _rule_span(sql: str, name: str) -> tuple[int, int]:
    """Where the rule of ``CONSTRAINT name CHECK (rule)`` sits in a CREATE TABLE."""
    heads = list(re.finditer(rf"CONSTRAINT\s+{name}\s+CHECK\s*\(", sql))
    if len(heads) != 1:
        raise RuntimeError(f"constraint {name} not found as expected; not changing the schema")
    depth, end = 1, heads[0].end()
    while depth:
        if end >= len(sql):
            raise RuntimeError(f"constraint {name} is not closed")
        depth += {"(": 1, ")": -1}.get(sql[end], 0)
        end += 1
    return heads[0].end(), end - 1


def _changed(codes: list[str], code: str, forward: bool) -> list[str]:
    if forward:
        return codes if code in codes else [*codes, code]
    return [c for c in codes if c != code]


def _rewrite(forward: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for table, name, column, code in CHECKS:
            rule = bind.exec_driver_sql(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
                (name,)).scalar_one()
            codes = _changed(_codes(rule), code, forward)
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} "
                       f"CHECK ({_comparisons(column, codes)})")
        return
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar_one())
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for table, name, column, code in CHECKS:
            sql = bind.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                (table,)).scalar_one()
            begin, end = _rule_span(sql, name)
            codes = _changed(_codes(sql[begin:end]), code, forward)
            bind.exec_driver_sql(
                "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                (f"{sql[:begin]}{_comparisons(column, codes)}{sql[end:]}", table))
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in bind.exec_driver_sql("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError(f"integrity check after the schema edit: {problems[:5]}")


def upgrade() -> None:
    _rewrite(forward=True)
    op.create_table(
        "customer_reads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reading_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("login_id", sa.Integer(), nullable=True),
        sa.Column("photo", sa.LargeBinary(), nullable=True),
        sa.Column("photo_type", sa.String(length=32), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["reading_id"], ["readings.id"],
                                name=op.f("fk_customer_reads_reading_id_readings")),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_customer_reads_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_reads")),
        sa.UniqueConstraint("reading_id", name=op.f("uq_customer_reads_reading_id")),
    )
    op.create_index("ix_customer_reads_account_id", "customer_reads", ["account_id"])
    op.create_table(
        "usage_benchmarks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("tariff_id", sa.Integer(), nullable=False),
        sa.Column("band_low", sa.BigInteger(), nullable=False),
        sa.Column("accounts", sa.Integer(), nullable=False),
        sa.Column("points", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tariff_id"], ["tariffs.id"],
                                name=op.f("fk_usage_benchmarks_tariff_id_tariffs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_benchmarks")),
        sa.UniqueConstraint("period", "category", "tariff_id", "band_low",
                            name=op.f("uq_usage_benchmarks_period_category_tariff_id_band_low")),
    )


def downgrade() -> None:
    op.drop_table("usage_benchmarks")
    op.drop_index("ix_customer_reads_account_id", table_name="customer_reads")
    op.drop_table("customer_reads")
    op.execute("DELETE FROM notification_outbox WHERE kind = 'high_usage'")
    # the readings stay (they may be billed already); only who sent them is forgotten
    op.execute("UPDATE readings SET source = 'manual' WHERE source = 'customer'")
    _rewrite(forward=False)
