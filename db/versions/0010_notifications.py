"""notifications

Revision ID: 0010
Revises: 0009

The ground of issue 20 (bill delivery, notifications and collections):

* ``notification_outbox`` is rebuilt: the first design (channel, recipient, subject, body,
  status) was never written to by any release. Each row is now one message to one
  recipient on one channel, with its kind, the template context (JSON) and language, the
  bill it carries, a unique ``dedupe_key`` (enqueuing twice does nothing; the senders pass
  it to the provider), and the state a sender needs: attempts, next attempt, lease.
* ``account_preferences``: paperless, language, reminders, channels per kind (no row: the
  defaults).
* ``customers.email_status/phone_status`` (+ the provider's words): a bounce or an invalid
  number marks the contact unreachable until it is corrected.

SQLite: the customer columns are added with ``ALTER TABLE ... ADD COLUMN`` carrying their
CHECK inline (``customers`` is referenced by accounts and words: no table rebuild).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

KINDS = ("bill_issued", "payment_posted", "payment_reversed", "reminder", "overdue_notice",
         "final_notice", "disconnection_notice", "reconnection", "account_problem")
STATES = ("pending", "sending", "sent", "failed", "cancelled")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return " OR ".join(f"{column} = '{v}'" for v in values)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _outbox() -> None:
    op.create_table(
        "notification_outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("bill_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=True),
        sa.Column("dedupe_key", sa.String(length=160), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("leased_by", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_id", sa.String(length=200), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_one_of("status", STATES), name=op.f("ck_notification_outbox_status_known")),
        sa.CheckConstraint(_one_of("kind", KINDS), name=op.f("ck_notification_outbox_kind_known")),
        sa.CheckConstraint("channel = 'email' OR channel = 'sms'",
                           name=op.f("ck_notification_outbox_channel_known")),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_notification_outbox_attempts_positive")),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_notification_outbox_account_id_accounts")),
        sa.ForeignKeyConstraint(["bill_id"], ["bills.id"],
                                name=op.f("fk_notification_outbox_bill_id_bills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_outbox")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_notification_outbox_dedupe_key")),
    )
    op.create_index("ix_notification_outbox_due", "notification_outbox",
                    ["status", "next_attempt_at"])
    op.create_index("ix_notification_outbox_account", "notification_outbox", ["account_id"])


def _old_outbox() -> None:
    op.create_table(
        "notification_outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=400), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("channel IN ('email', 'sms')",
                           name=op.f("ck_notification_outbox_channel_known")),
        sa.CheckConstraint(_one_of("status", ("pending", "sent", "failed")),
                           name=op.f("ck_notification_outbox_status_known")),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_notification_outbox_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_outbox")),
    )


def upgrade() -> None:
    op.drop_table("notification_outbox")
    _outbox()
    op.create_table(
        "account_preferences",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("paperless", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column("channels", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_account_preferences_account_id_accounts")),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_preferences")),
    )
    for column in ("email", "phone"):
        check = _one_of(f"{column}_status", ("ok", "unreachable"))
        name = f"ck_customers_{column}_status_known"
        if _sqlite():
            op.execute(f"ALTER TABLE customers ADD COLUMN {column}_status VARCHAR(16)"
                       f" DEFAULT 'ok' NOT NULL CONSTRAINT {name} CHECK ({check})")
            op.execute(f"ALTER TABLE customers ADD COLUMN {column}_problem TEXT")
        else:
            op.add_column("customers", sa.Column(f"{column}_status", sa.String(length=16),
                                                 nullable=False, server_default="ok"))
            op.add_column("customers", sa.Column(f"{column}_problem", sa.Text(), nullable=True))
            op.create_check_constraint(op.f(name), "customers", check)


def downgrade() -> None:
    for column in ("phone", "email"):
        if _sqlite():
            op.execute(f"ALTER TABLE customers DROP COLUMN {column}_problem")
            op.execute(f"ALTER TABLE customers DROP COLUMN {column}_status")
        else:
            op.drop_constraint(op.f(f"ck_customers_{column}_status_known"), "customers",
                               type_="check")
            op.drop_column("customers", f"{column}_problem")
            op.drop_column("customers", f"{column}_status")
    op.drop_table("account_preferences")
    op.drop_index("ix_notification_outbox_account", table_name="notification_outbox")
    op.drop_index("ix_notification_outbox_due", table_name="notification_outbox")
    op.drop_table("notification_outbox")
    _old_outbox()
