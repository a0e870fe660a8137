"""money checks

Revision ID: 0004
Revises: 0003

CHECK constraints on money columns; balances stored as integers only (issue 17, point 2).
(Placeholder: no schema change yet.)
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
