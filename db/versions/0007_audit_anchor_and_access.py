"""audit anchor and access

Revision ID: 0007
Revises: 0006

Audit head kept where deleting it is caught; access settings (issue 17, points 8-11).
(Placeholder: no schema change yet.)
"""

from __future__ import annotations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
