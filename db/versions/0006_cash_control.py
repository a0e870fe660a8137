"""cash control

Revision ID: 0006
Revises: 0005

Shift ownership, forced closes, approvals and payment limits (issue 17, points 2, 5-7):

* ``shifts.needs_approval``: the shift closed with an over/short above the threshold; an
  unapproved one blocks the next shift at its counter until a supervisor approves it.
  Shifts closed before this migration were closed under the old rules and start as
  ``false`` (nothing blocks a counter on upgrade).
* ``shifts.forced_by`` / ``shifts.force_reason``: a supervisor closed another clerk's
  shift, with the reason (CHECK: a forced close always has one).
* ``payment_reversals.shift_id``: the shift whose drawer paid the reversed cash out.

The per-payment supervisor limit is a setting (``payment_supervisor_limit``, a row of
``settings`` with a default in code), so it needs no schema change.

SQLite: the columns are added with ``ALTER TABLE ... ADD COLUMN`` carrying their named
foreign key and CHECK inline, never by rebuilding the table (``shifts`` is referenced by
payments, drops, counts and Z-reports: dropping it for a copy would fail with foreign keys
on, and would copy every row). Downgrade drops the columns (SQLite 3.35+ ``DROP COLUMN``:
a column whose REFERENCES/CHECK is its own column constraint can be dropped).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_FORCE_CHECK = "forced_by IS NULL OR length(coalesce(force_reason, '')) > 0"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if _sqlite():
        op.execute("ALTER TABLE shifts ADD COLUMN needs_approval BOOLEAN DEFAULT 0 NOT NULL")
        op.execute("ALTER TABLE shifts ADD COLUMN forced_by INTEGER"
                   " CONSTRAINT fk_shifts_forced_by_users REFERENCES users (id)")
        op.execute("ALTER TABLE shifts ADD COLUMN force_reason TEXT"
                   f" CONSTRAINT ck_shifts_force_reason_given CHECK ({_FORCE_CHECK})")
        op.execute("ALTER TABLE payment_reversals ADD COLUMN shift_id INTEGER"
                   " CONSTRAINT fk_payment_reversals_shift_id_shifts REFERENCES shifts (id)")
    else:
        op.add_column("shifts", sa.Column("needs_approval", sa.Boolean(), nullable=False,
                                          server_default=sa.false()))
        op.add_column("shifts", sa.Column("forced_by", sa.Integer(), nullable=True))
        op.add_column("shifts", sa.Column("force_reason", sa.Text(), nullable=True))
        op.create_foreign_key("fk_shifts_forced_by_users", "shifts", "users",
                              ["forced_by"], ["id"])
        op.create_check_constraint("ck_shifts_force_reason_given", "shifts", _FORCE_CHECK)
        op.add_column("payment_reversals", sa.Column("shift_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_payment_reversals_shift_id_shifts", "payment_reversals",
                              "shifts", ["shift_id"], ["id"])
    op.create_index("ix_payment_reversals_shift_id", "payment_reversals", ["shift_id"])


def downgrade() -> None:
    op.drop_index("ix_payment_reversals_shift_id", table_name="payment_reversals")
    if _sqlite():
        op.execute("ALTER TABLE payment_reversals DROP COLUMN shift_id")
        for column in ("force_reason", "forced_by", "needs_approval"):
            op.execute(f"ALTER TABLE shifts DROP COLUMN {column}")
        return
    op.drop_constraint("fk_payment_reversals_shift_id_shifts", "payment_reversals",
                       type_="foreignkey")
    op.drop_column("payment_reversals", "shift_id")
    op.drop_constraint("ck_shifts_force_reason_given", "shifts", type_="check")
    op.drop_constraint("fk_shifts_forced_by_users", "shifts", type_="foreignkey")
    for column in ("force_reason", "forced_by", "needs_approval"):
        op.drop_column("shifts", column)
