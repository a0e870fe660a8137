"""portal auth

Revision ID: 0014
Revises: 0013

The customer portal's sign-in (issue 21): ``portal_logins``, ``portal_login_accounts``,
``portal_sessions``, ``portal_throttle``, ``portal_tokens`` and ``portal_activity`` (see
``ebs_desktop/persistence/models/portal.py``), and three new kinds of outbox message
(``portal_verify``, ``portal_reset``, ``portal_invite``): the CHECK on
``notification_outbox.kind`` is widened in place, as 0002 rewrites checks (SQLite cannot
ALTER a CHECK; rebuilding the outbox would copy every message).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
KINDS = ("bill_issued", "payment_posted", "payment_reversed", "reminder", "overdue_notice",
         "final_notice", "disconnection_notice", "reconnection", "account_problem")
NEW_KINDS = ("portal_verify", "portal_reset", "portal_invite")
KIND_CHECK = "ck_notification_outbox_kind_known"


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return " OR ".join(f"{column} = '{v}'" for v in values)


def _kind_check(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.execute(f"ALTER TABLE notification_outbox DROP CONSTRAINT {KIND_CHECK}")
        op.execute(f"ALTER TABLE notification_outbox ADD CONSTRAINT {KIND_CHECK} "
                   f"CHECK ({_one_of('kind', new)})")
        return
    before = f"CONSTRAINT {KIND_CHECK} CHECK ({_one_of('kind', old)})"
    after = f"CONSTRAINT {KIND_CHECK} CHECK ({_one_of('kind', new)})"
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar_one())
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        done = bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?)"
            " WHERE type = 'table' AND name = 'notification_outbox' AND instr(sql, ?) > 0",
            (before, after, before))
        if done.rowcount != 1:
            raise RuntimeError(f"notification_outbox: {KIND_CHECK} is not as 0010 created "
                               "it; not changing the schema")
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in bind.exec_driver_sql("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError(f"integrity check after the schema edit: {problems[:5]}")


def upgrade() -> None:
    op.create_table(
        "portal_logins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("email_folded", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("locked_reason", sa.Text(), nullable=True),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("totp_enabled", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_logins")),
        sa.UniqueConstraint("email_folded", name=op.f("uq_portal_logins_email_folded")),
    )
    op.create_table(
        "portal_login_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("proven_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proven_by", sa.String(length=16), nullable=False),
        sa.CheckConstraint(_one_of("proven_by", ("bill_number", "bill_total", "invite", "staff")),
                           name=op.f("ck_portal_login_accounts_proven_by_known")),
        sa.ForeignKeyConstraint(["login_id"], ["portal_logins.id"],
                                name=op.f("fk_portal_login_accounts_login_id_portal_logins")),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_portal_login_accounts_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_login_accounts")),
        sa.UniqueConstraint("login_id", "account_id",
                            name=op.f("uq_portal_login_accounts_login_id_account_id")),
    )
    op.create_index("ix_portal_login_accounts_account_id", "portal_login_accounts",
                    ["account_id"])
    op.create_table(
        "portal_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("login_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.CheckConstraint(_one_of("stage", ("full", "totp")),
                           name=op.f("ck_portal_sessions_stage_known")),
        sa.ForeignKeyConstraint(["login_id"], ["portal_logins.id"],
                                name=op.f("fk_portal_sessions_login_id_portal_logins")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_sessions")),
    )
    op.create_index("ix_portal_sessions_login_id", "portal_sessions", ["login_id"])
    op.create_table(
        "portal_throttle",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_portal_throttle")),
    )
    op.create_table(
        "portal_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=8), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("login_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_one_of("purpose", ("verify", "reset", "invite")),
                           name=op.f("ck_portal_tokens_purpose_known")),
        sa.ForeignKeyConstraint(["login_id"], ["portal_logins.id"],
                                name=op.f("fk_portal_tokens_login_id_portal_logins")),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_portal_tokens_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_portal_tokens_token_hash")),
    )
    op.create_table(
        "portal_activity",
        sa.Column("id", Id, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("login_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["login_id"], ["portal_logins.id"],
                                name=op.f("fk_portal_activity_login_id_portal_logins")),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_portal_activity_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_activity")),
    )
    op.create_index("ix_portal_activity_login", "portal_activity", ["login_id", "at"])
    op.create_index("ix_portal_activity_account", "portal_activity", ["account_id", "at"])
    _kind_check(KINDS, KINDS + NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM notification_outbox WHERE "
               + " OR ".join(f"kind = '{k}'" for k in NEW_KINDS))
    _kind_check(KINDS + NEW_KINDS, KINDS)
    op.drop_index("ix_portal_activity_account", table_name="portal_activity")
    op.drop_index("ix_portal_activity_login", table_name="portal_activity")
    op.drop_table("portal_activity")
    op.drop_table("portal_tokens")
    op.drop_table("portal_throttle")
    op.drop_index("ix_portal_sessions_login_id", table_name="portal_sessions")
    op.drop_table("portal_sessions")
    op.drop_index("ix_portal_login_accounts_account_id", table_name="portal_login_accounts")
    op.drop_table("portal_login_accounts")
    op.drop_table("portal_logins")
