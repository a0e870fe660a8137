"""dunning

Revision ID: 0013
Revises: 0012

Collections (issue 20, point 9):

* ``payment_arrangements`` + ``arrangement_instalments``: an instalment plan for an
  account's arrears (active / completed / broken / cancelled);
* ``collection_holds``: dispute, medical certificate, moratorium or arrangement, from a
  day until a day (or open-ended), released early with a reason;
* ``dunning_events``: the path's state, one row per bill and level reached
  (reminder / overdue / final / disconnect), unique, so a second run the same day adds
  nothing; a final notice keeps the disconnection date it named;
* ``field_orders``: disconnection and reconnection orders for the field crews, with the
  reconnection fee's journal.

New tables only: nothing existing is rebuilt. The money columns carry the same range
(and, on SQLite, integer) CHECKs as every other money column (see 0004).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_AMOUNT = 10**12 - 1  # MAX_AMOUNT_MINOR when this was written
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return " OR ".join(f"{column} = '{v}'" for v in values)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _money(table: str, column: str) -> list[sa.CheckConstraint]:
    checks = [sa.CheckConstraint(f"{column} BETWEEN -{_AMOUNT} AND {_AMOUNT}",
                                 name=op.f(f"ck_{table}_{column}_range"))]
    if _sqlite():
        checks.append(sa.CheckConstraint(f"{column} = CAST({column} AS INTEGER)",
                                         name=op.f(f"ck_{table}_{column}_integer")))
    return checks


def upgrade() -> None:
    op.create_table(
        "payment_arrangements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_one_of("status", ("active", "completed", "broken", "cancelled")),
                           name=op.f("ck_payment_arrangements_status_known")),
        sa.CheckConstraint("total_minor > 0",
                           name=op.f("ck_payment_arrangements_total_positive")),
        *_money("payment_arrangements", "total_minor"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_payment_arrangements_account_id_accounts")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"],
                                name=op.f("fk_payment_arrangements_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_arrangements")),
    )
    op.create_index("ix_payment_arrangements_account_id", "payment_arrangements",
                    ["account_id"])
    op.create_table(
        "arrangement_instalments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("arrangement_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount_minor > 0",
                           name=op.f("ck_arrangement_instalments_amount_positive")),
        *_money("arrangement_instalments", "amount_minor"),
        sa.ForeignKeyConstraint(
            ["arrangement_id"], ["payment_arrangements.id"],
            name=op.f("fk_arrangement_instalments_arrangement_id_payment_arrangements")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arrangement_instalments")),
        sa.UniqueConstraint("arrangement_id", "seq",
                            name=op.f("uq_arrangement_instalments_arrangement_id_seq")),
    )
    op.create_table(
        "collection_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("arrangement_id", sa.Integer(), nullable=True),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_one_of("kind", ("dispute", "medical", "moratorium", "arrangement")),
                           name=op.f("ck_collection_holds_kind_known")),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on",
                           name=op.f("ck_collection_holds_dates_in_order")),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_collection_holds_account_id_accounts")),
        sa.ForeignKeyConstraint(
            ["arrangement_id"], ["payment_arrangements.id"],
            name=op.f("fk_collection_holds_arrangement_id_payment_arrangements")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"],
                                name=op.f("fk_collection_holds_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_holds")),
    )
    op.create_index("ix_collection_holds_account_id", "collection_holds", ["account_id"])
    op.create_table(
        "dunning_events",
        sa.Column("id", Id, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("bill_id", Id, nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("arrears_minor", sa.BigInteger(), nullable=False),
        sa.Column("disconnect_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_one_of("level", ("reminder", "overdue", "final", "disconnect")),
                           name=op.f("ck_dunning_events_level_known")),
        *_money("dunning_events", "arrears_minor"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_dunning_events_account_id_accounts")),
        sa.ForeignKeyConstraint(["bill_id"], ["bills.id"],
                                name=op.f("fk_dunning_events_bill_id_bills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dunning_events")),
        sa.UniqueConstraint("bill_id", "level", name=op.f("uq_dunning_events_bill_id_level")),
    )
    op.create_index("ix_dunning_events_account", "dunning_events", ["account_id"])
    op.create_table(
        "field_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("bill_id", Id, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ordered_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("arrears_minor", sa.BigInteger(), nullable=False),
        sa.Column("fee_minor", sa.BigInteger(), nullable=False),
        sa.Column("journal_id", Id, nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind = 'disconnect' OR kind = 'reconnect'",
                           name=op.f("ck_field_orders_kind_known")),
        sa.CheckConstraint(_one_of("status", ("open", "done", "cancelled")),
                           name=op.f("ck_field_orders_status_known")),
        sa.CheckConstraint("fee_minor >= 0", name=op.f("ck_field_orders_fee_not_negative")),
        *_money("field_orders", "arrears_minor"),
        *_money("field_orders", "fee_minor"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_field_orders_account_id_accounts")),
        sa.ForeignKeyConstraint(["bill_id"], ["bills.id"],
                                name=op.f("fk_field_orders_bill_id_bills")),
        sa.ForeignKeyConstraint(["journal_id"], ["journals.id"],
                                name=op.f("fk_field_orders_journal_id_journals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_field_orders_number")),
    )
    op.create_index("ix_field_orders_account_id", "field_orders", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_field_orders_account_id", table_name="field_orders")
    op.drop_table("field_orders")
    op.drop_index("ix_dunning_events_account", table_name="dunning_events")
    op.drop_table("dunning_events")
    op.drop_index("ix_collection_holds_account_id", table_name="collection_holds")
    op.drop_table("collection_holds")
    op.drop_table("arrangement_instalments")
    op.drop_index("ix_payment_arrangements_account_id", table_name="payment_arrangements")
    op.drop_table("payment_arrangements")
