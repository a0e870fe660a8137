"""audit anchor and access

Revision ID: 0007
Revises: 0006

Audit head kept where deleting it is caught; access settings (issue 17, points 8-11).

No table changes: the audit chain's head gets a mirror in ``settings`` (key
``audit.head``, JSON text ``"N:HASH"``), which every append moves together with the
``audit_head`` row (see ``ebs_desktop.services.audit``). This migration writes the mirror
for a database that already has a chain, from its head row; a database whose head row is
already gone gets no mirror, so its next business write refuses and ``ebs audit verify``
says why. The CLI's ``cli.local_operator`` setting (off unless an administrator turns it
on) needs nothing here. Downgrade removes both keys.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

MIRROR_KEY = "audit.head"
KEYS = (MIRROR_KEY, "cli.local_operator")


def upgrade() -> None:
    conn = op.get_bind()
    head = conn.execute(sa.text("SELECT last_id, last_hash FROM audit_head WHERE id = 1")).first()
    conn.execute(sa.text("DELETE FROM settings WHERE key = :k"), {"k": MIRROR_KEY})
    if head is not None:
        conn.execute(sa.text("INSERT INTO settings (key, value) VALUES (:k, :v)"),
                     {"k": MIRROR_KEY, "v": json.dumps(f"{int(head[0])}:{head[1]}")})


def downgrade() -> None:
    conn = op.get_bind()
    for key in KEYS:
        conn.execute(sa.text("DELETE FROM settings WHERE key = :k"), {"k": key})
