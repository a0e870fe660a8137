"""online payments

Revision ID: 0017
Revises: 0015

Online payments (issue 22):

* ``gateway_payments``: each payment a customer starts online, found again by our key and
  by the gateway's payment id;
* ``gateway_events``: each gateway callback once, by the gateway's event id, raw body kept;
* ``autopay_mandates``: a customer's saved payment method (the gateway's ids only) charged
  on each due date;
* ``payments.channel`` may be ``online``; the ledger has a ``GATEWAY`` account (money the
  gateway holds for us until its payout);
* ``payment_reversals.user_id`` and ``approved_by`` may be null: a reversal the gateway
  made (a refund or a dispute it reported), with no person behind it.

The two code CHECKs and the two NOT NULLs are edited in place as migration 0005 does (SQLite: the table's SQL in
``sqlite_master`` with ``writable_schema``, ``schema_version`` bumped, then ``PRAGMA
integrity_check``; PostgreSQL: drop and re-add). Every old code stays allowed.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None

_AMOUNT = 10**12 - 1  # MAX_AMOUNT_MINOR when this was written
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# (table, constraint, column, codes before, codes after): frozen, never read from the models
CHECKS = (
    ("payments", "ck_payments_channel_known", "channel", ("counter", "bank"),
     ("counter", "bank", "online")),
    ("ledger_entries", "ck_ledger_entries_gl_known", "gl_code",
     ("AR", "SALES", "CASH", "CARD", "CHEQUE", "BANK", "FEES", "SUSPENSE"),
     ("AR", "SALES", "CASH", "CARD", "CHEQUE", "BANK", "FEES", "SUSPENSE", "GATEWAY")),
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return " OR ".join(f"{column} = '{v}'" for v in values)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _with_rule(sql: str, table: str, name: str, rule: str) -> str:
    heads = list(re.finditer(rf"CONSTRAINT\s+{name}\s+CHECK\s*\(", sql))
    if len(heads) != 1:
        raise RuntimeError(f"table {table}: constraint {name} not found as expected; "
                           "not changing the schema")
    depth, end = 1, heads[0].end()
    while depth:
        if end >= len(sql):
            raise RuntimeError(f"table {table}: constraint {name} is not closed")
        depth += {"(": 1, ")": -1}.get(sql[end], 0)
        end += 1
    return f"{sql[:heads[0].start()]}CONSTRAINT {name} CHECK ({rule}){sql[end:]}"


REVERSAL_PEOPLE = ("user_id", "approved_by")


def _people_nullable(sql: str, forward: bool) -> str:
    """payment_reversals' CREATE TABLE with its two people columns nullable (or not)."""
    for column in REVERSAL_PEOPLE:
        strict, loose = f"{column} INTEGER NOT NULL,", f"{column} INTEGER,"
        before, after = (strict, loose) if forward else (loose, strict)
        if sql.count(before) != 1:
            raise RuntimeError(f"payment_reversals.{column} is not as 0001 created it; "
                               "not changing the schema")
        sql = sql.replace(before, after)
    return sql


def _set_checks(forward: bool) -> None:
    rules = [(t, n, _one_of(c, after if forward else before)) for t, n, c, before, after
             in CHECKS]
    bind = op.get_bind()
    if not _sqlite():
        for table, name, rule in rules:
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({rule})")
        for column in REVERSAL_PEOPLE:
            op.alter_column("payment_reversals", column, existing_type=sa.Integer(),
                            nullable=forward)
        return
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar_one())
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for table, name, rule in rules:
            sql = bind.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                (table,)).scalar_one()
            bind.exec_driver_sql(
                "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                (_with_rule(sql, table, name, rule), table))
        sql = bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'payment_reversals'"
        ).scalar_one()
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'payment_reversals'",
            (_people_nullable(sql, forward),))
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in bind.exec_driver_sql("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError(f"integrity check after the schema edit: {problems[:5]}")


def _money(table: str, column: str) -> list[sa.CheckConstraint]:
    checks = [sa.CheckConstraint(f"{column} BETWEEN -{_AMOUNT} AND {_AMOUNT}",
                                 name=op.f(f"ck_{table}_{column}_range"))]
    if _sqlite():
        checks.append(sa.CheckConstraint(f"{column} = CAST({column} AS INTEGER)",
                                         name=op.f(f"ck_{table}_{column}_integer")))
    return checks


def upgrade() -> None:
    _set_checks(forward=True)
    op.create_table(
        "gateway_payments",
        sa.Column("id", Id, nullable=False),
        sa.Column("gateway", sa.String(length=16), nullable=False),
        sa.Column("request_key", sa.String(length=64), nullable=False),
        sa.Column("payment_ref", sa.String(length=64), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("bill_id", Id, nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("payment_id", Id, nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_one_of("state", ("pending", "requires_action", "processing",
                                             "succeeded", "failed", "canceled")),
                           name=op.f("ck_gateway_payments_state_known")),
        *_money("gateway_payments", "amount_minor"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_gateway_payments_account_id_accounts")),
        sa.ForeignKeyConstraint(["bill_id"], ["bills.id"],
                                name=op.f("fk_gateway_payments_bill_id_bills")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_gateway_payments_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_payments")),
        sa.UniqueConstraint("request_key", name=op.f("uq_gateway_payments_request_key")),
        sa.UniqueConstraint("gateway", "payment_ref",
                            name=op.f("uq_gateway_payments_gateway_payment_ref")),
    )
    op.create_index("ix_gateway_payments_account_id", "gateway_payments", ["account_id"])
    op.create_index("ix_gateway_payments_waiting", "gateway_payments", ["state", "updated_at"])
    op.create_table(
        "gateway_events",
        sa.Column("id", Id, nullable=False),
        sa.Column("gateway", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("payment_ref", sa.String(length=64), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("payment_id", Id, nullable=True),
        sa.CheckConstraint(_one_of("outcome", ("posted", "recorded", "ignored", "parked")),
                           name=op.f("ck_gateway_events_outcome_known")),
        *_money("gateway_events", "amount_minor"),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_gateway_events_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_events")),
        sa.UniqueConstraint("gateway", "event_id",
                            name=op.f("uq_gateway_events_gateway_event_id")),
    )
    op.create_index("ix_gateway_events_payment_ref", "gateway_events", ["payment_ref"])
    op.create_table(
        "autopay_mandates",
        sa.Column("id", Id, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("gateway", sa.String(length=16), nullable=False),
        sa.Column("customer_ref", sa.String(length=64), nullable=False),
        sa.Column("method_ref", sa.String(length=64), nullable=False),
        sa.Column("method_label", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_autopay_mandates_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_autopay_mandates")),
    )
    op.create_index("ix_autopay_mandates_account_id", "autopay_mandates", ["account_id"])


def downgrade() -> None:
    op.drop_table("autopay_mandates")
    op.drop_table("gateway_events")
    op.drop_table("gateway_payments")
    _set_checks(forward=False)
