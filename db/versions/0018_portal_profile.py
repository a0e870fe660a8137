"""a customer's own SMS quiet hours

Revision ID: 0018
Revises: 0017

Issue 21, point 8 (the portal's profile page) with issue 20, point 8: besides the
utility's quiet hours for SMS (settings ``sms.quiet_start`` / ``sms.quiet_end``), a
customer may choose a quiet window of their own ("no texts before 09:00"). Two nullable
columns on ``account_preferences``, ``quiet_from`` and ``quiet_to`` (``HH:MM`` in the
utility's time zone); both empty: only the utility's window. Read by the sender, which
holds an SMS back until the later end of the windows it falls in.

SQLite: the columns are added with ``ALTER TABLE ... ADD COLUMN`` (no table rebuild).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE account_preferences ADD COLUMN quiet_from VARCHAR(5)")
        op.execute("ALTER TABLE account_preferences ADD COLUMN quiet_to VARCHAR(5)")
        return
    op.add_column("account_preferences", sa.Column("quiet_from", sa.String(length=5)))
    op.add_column("account_preferences", sa.Column("quiet_to", sa.String(length=5)))


def downgrade() -> None:
    with op.batch_alter_table("account_preferences") as batch:
        batch.drop_column("quiet_to")
        batch.drop_column("quiet_from")
