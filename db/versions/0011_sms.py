"""sms delivery receipts

Revision ID: 0011
Revises: 0010

Issue 20, point 5: an SMS provider reports what became of a message after it took it
(delivered, failed, expired, unreachable). ``notification_outbox`` keeps that receipt
(``receipt_state``, ``receipt_at``) on the row the provider's message id names, found
through a new index on ``provider_id``.

SQLite: the columns are added with ``ALTER TABLE ... ADD COLUMN`` carrying their CHECK
inline (no table rebuild).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

STATES = ("delivered", "failed", "expired", "unreachable")
CHECK = "receipt_state IS NULL OR " + " OR ".join(f"receipt_state = '{s}'" for s in STATES)
NAME = "ck_notification_outbox_receipt_state_known"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if _sqlite():
        op.execute(f"ALTER TABLE notification_outbox ADD COLUMN receipt_state VARCHAR(16)"
                   f" CONSTRAINT {NAME} CHECK ({CHECK})")
    else:
        op.add_column("notification_outbox",
                      sa.Column("receipt_state", sa.String(length=16), nullable=True))
        op.create_check_constraint(op.f(NAME), "notification_outbox", CHECK)
    op.add_column("notification_outbox",
                  sa.Column("receipt_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_notification_outbox_provider_id", "notification_outbox",
                    ["provider_id"])


def downgrade() -> None:
    op.drop_index("ix_notification_outbox_provider_id", table_name="notification_outbox")
    if _sqlite():
        op.execute("ALTER TABLE notification_outbox DROP COLUMN receipt_at")
        op.execute("ALTER TABLE notification_outbox DROP COLUMN receipt_state")
    else:
        op.drop_constraint(op.f(NAME), "notification_outbox", type_="check")
        op.drop_column("notification_outbox", "receipt_at")
        op.drop_column("notification_outbox", "receipt_state")
