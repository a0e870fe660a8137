"""cash control

Revision ID: 0006
Revises: 0005

Shift ownership, forced closes, approvals and payment limits (issue 17, points 2, 5-7).
(Placeholder: no schema change yet.)
"""

from __future__ import annotations

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
