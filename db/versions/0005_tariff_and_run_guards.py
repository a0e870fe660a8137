"""tariff and run guards

Revision ID: 0005
Revises: 0004

Billing runs that fail end as 'failed' with a reason; tariff version guards (issue 17, point 4).
(Placeholder: no schema change yet.)
"""

from __future__ import annotations

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
