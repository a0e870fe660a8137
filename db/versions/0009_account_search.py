"""account search by any word

Revision ID: 0009
Revises: 0007

The search by any word of a customer's name or address (issue 19, point 6): the table
``customer_words`` (folded word, customer), see ``ebs_desktop.domain.search_words``. The
store keeps it as customers are added or edited; this migration fills it for the
customers already there, 20,000 at a time. On PostgreSQL the word compares byte-wise
(collation "C") so a prefix is an index range.

The lead re-chains this after 0008 (down_revision) when the branches merge.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ebs_desktop.persistence.stores.accounts import insert_customer_words

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None

CHUNK = 20_000


def upgrade() -> None:
    op.create_table(
        "customer_words",
        sa.Column("word", sa.String(length=64).with_variant(
            sa.String(length=64, collation="C"), "postgresql"), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_customer_words_customer_id_customers")),
        sa.PrimaryKeyConstraint("word", "customer_id", name=op.f("pk_customer_words")),
    )
    op.create_index("ix_customer_words_customer", "customer_words", ["customer_id", "word"])
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(sa.text(
            "SELECT id, name, address FROM customers WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": CHUNK}).all()
        if not rows:
            break
        insert_customer_words(conn, [(int(r[0]), str(r[1]), str(r[2] or "")) for r in rows])
        last = int(rows[-1][0])


def downgrade() -> None:
    op.drop_index("ix_customer_words_customer", table_name="customer_words")
    op.drop_table("customer_words")
