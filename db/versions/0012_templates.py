"""notification templates an administrator replaced

Revision ID: 0012
Revises: 0011

Issue 20, point 7: the message templates ship as files per language
(``ebs_desktop/templates/notify/<language>/``); an administrator may replace any of them
for a language. ``notification_templates`` holds the replacements, one row per
(language, template name), with who saved it and when; no row means the shipped file.
A table of its own rather than ``settings`` rows: the sources are multi-line text read
as a set per language by the senders, and ``ebs settings list`` should not print them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification_templates",
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=48), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("language", "name", name=op.f("pk_notification_templates")),
    )


def downgrade() -> None:
    op.drop_table("notification_templates")
