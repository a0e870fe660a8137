"""service requests

Revision ID: 0015
Revises: 0013

Support (issue 21, point 6): a customer's request from the portal and its thread.

* ``service_requests``: one per request: the account it is about, the portal login that
  opened it (no foreign key: portal logins are another migration's table; the lead may
  add one at merge), the topic, the status (open / waiting / answered / closed), the staff
  user it is assigned to, and when it was opened, last touched and closed;
* ``service_request_messages``: the thread, oldest first; each message written by the
  customer (``author_login_id``) or by a staff user (``author_user_id``);
* ``service_request_photos``: at most one photo per message, as re-encoded by the service
  (metadata stripped, at most 2000 px), kept apart so that lists never read image bytes.

The notification outbox's ``kind`` CHECK gains ``support_reply`` (the customer is told of
every staff reply). SQLite cannot ALTER a CHECK: as 0005 does, the constraint's rule is
edited in ``sqlite_master`` with ``writable_schema`` (every stored row stays valid),
``schema_version`` bumped, then ``PRAGMA integrity_check``. PostgreSQL drops and re-adds.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

TOPICS = ("billing", "meter", "payment", "move", "other")
STATUSES = ("open", "waiting", "answered", "closed")
AUTHORS = ("customer", "staff")
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")

OUTBOX = "notification_outbox"
KIND_CHECK = "ck_notification_outbox_kind_known"
KINDS_BEFORE = ("bill_issued", "payment_posted", "payment_reversed", "reminder",
                "overdue_notice", "final_notice", "disconnection_notice", "reconnection",
                "account_problem")  # frozen: a migration never reads the models
KINDS_AFTER = (*KINDS_BEFORE, "support_reply")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return " OR ".join(f"{column} = '{v}'" for v in values)


def _with_rule(sql: str, rule: str) -> str:
    """``sql`` (a CREATE TABLE) with the rule of ``CONSTRAINT KIND_CHECK CHECK (...)``
    replaced; its end found by balancing parentheses (as 0005)."""
    heads = list(re.finditer(rf"CONSTRAINT\s+{KIND_CHECK}\s+CHECK\s*\(", sql))
    if len(heads) != 1:
        raise RuntimeError(f"table {OUTBOX}: constraint {KIND_CHECK} not found as expected; "
                           "not changing the schema")
    depth, end = 1, heads[0].end()
    while depth:
        if end >= len(sql):
            raise RuntimeError(f"table {OUTBOX}: constraint {KIND_CHECK} is not closed")
        depth += {"(": 1, ")": -1}.get(sql[end], 0)
        end += 1
    return f"{sql[:heads[0].start()]}CONSTRAINT {KIND_CHECK} CHECK ({rule}){sql[end:]}"


def _set_kinds(kinds: tuple[str, ...]) -> None:
    bind = op.get_bind()
    rule = _one_of("kind", kinds)
    if bind.dialect.name != "sqlite":
        op.execute(f"ALTER TABLE {OUTBOX} DROP CONSTRAINT {KIND_CHECK}")
        op.execute(f"ALTER TABLE {OUTBOX} ADD CONSTRAINT {KIND_CHECK} CHECK ({rule})")
        return
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                               (OUTBOX,)).scalar_one()
    new_sql = _with_rule(sql, rule)
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar_one())
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                             (new_sql, OUTBOX))
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in bind.exec_driver_sql("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError(f"integrity check after the schema edit: {problems[:5]}")


def upgrade() -> None:
    op.create_table(
        "service_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("login_id", sa.Integer(), nullable=True),
        sa.Column("topic", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(_one_of("topic", TOPICS), name=op.f("ck_service_requests_topic_known")),
        sa.CheckConstraint(_one_of("status", STATUSES),
                           name=op.f("ck_service_requests_status_known")),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_service_requests_account_id_accounts")),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"],
                                name=op.f("fk_service_requests_assignee_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_requests")),
    )
    op.create_index("ix_service_requests_account_id", "service_requests", ["account_id"])
    op.create_index("ix_service_requests_status", "service_requests", ["status"])
    op.create_table(
        "service_request_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=16), nullable=False),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("author_login_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_one_of("author", AUTHORS),
                           name=op.f("ck_service_request_messages_author_known")),
        sa.ForeignKeyConstraint(
            ["request_id"], ["service_requests.id"],
            name=op.f("fk_service_request_messages_request_id_service_requests")),
        sa.ForeignKeyConstraint(["author_user_id"], ["users.id"],
                                name=op.f("fk_service_request_messages_author_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_request_messages")),
    )
    op.create_index("ix_service_request_messages_request_id", "service_request_messages",
                    ["request_id"])
    op.create_table(
        "service_request_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(_one_of("content_type", PHOTO_TYPES),
                           name=op.f("ck_service_request_photos_content_type_known")),
        sa.ForeignKeyConstraint(
            ["message_id"], ["service_request_messages.id"],
            name=op.f("fk_service_request_photos_message_id_service_request_messages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_request_photos")),
        sa.UniqueConstraint("message_id", name=op.f("uq_service_request_photos_message_id")),
    )
    _set_kinds(KINDS_AFTER)


def downgrade() -> None:
    op.execute(f"DELETE FROM {OUTBOX} WHERE kind = 'support_reply'")
    _set_kinds(KINDS_BEFORE)
    op.drop_table("service_request_photos")
    op.drop_index("ix_service_request_messages_request_id",
                  table_name="service_request_messages")
    op.drop_table("service_request_messages")
    op.drop_index("ix_service_requests_status", table_name="service_requests")
    op.drop_index("ix_service_requests_account_id", table_name="service_requests")
    op.drop_table("service_requests")
