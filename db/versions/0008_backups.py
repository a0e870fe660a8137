"""backups

Revision ID: 0008
Revises: 0007

The record of backups taken (issue 19, point 19): ``ebs db backup`` and the daily
automatic copy of the default SQLite file each add a row (when, which kind, the file, its
size and the database's size then), so the dashboard shows the last backup and the
database's growth between backups without looking at the backup folder, which on a
PostgreSQL server is on another machine. Downgrade drops the table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "backups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("database_bytes", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.CheckConstraint("kind = 'manual' OR kind = 'daily'", name=op.f("ck_backups_kind_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backups")),
    )


def downgrade() -> None:
    op.drop_table("backups")
