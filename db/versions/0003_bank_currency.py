"""bank currency

Revision ID: 0003
Revises: 0002

Bank statements and lines carry their currency (issue 17, points 1 and 3).
(Placeholder: no schema change yet.)
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
