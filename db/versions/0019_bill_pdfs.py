"""bill pdfs

Revision ID: 0019
Revises: 0018

A bill's PDF, rendered once and kept (issue 20, the sender's rate): ``bill_pdfs`` holds
the bytes with their SHA-256 and size, and the figures the PDF shows that a message
quotes (JSON), one row per bill. The print run's, the email's
and the portal's copies are then the same bytes by construction, and the sender attaches
a stored PDF instead of drawing it again per message (about 10 ms of CPU a bill).
About 11 KB a bill: 1.1 GB per 100,000 bills.

Chained after 0013 on the branch; the lead re-chains it after the other slices' 0014-0016.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bill_pdfs",
        sa.Column("bill_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_bill_pdfs_size_positive")),
        sa.ForeignKeyConstraint(["bill_id"], ["bills.id"],
                                name=op.f("fk_bill_pdfs_bill_id_bills")),
        sa.PrimaryKeyConstraint("bill_id", name=op.f("pk_bill_pdfs")),
    )


def downgrade() -> None:
    op.drop_table("bill_pdfs")
