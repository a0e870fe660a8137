"""code checks as comparisons

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 03:40:00

The CHECK constraints that hold a column to a set of codes were written
``col IN ('a', 'b', ...)``. SQLite evaluates an IN list of more than two constants in a
CHECK by building a temporary index of the list for every row inserted, which cost
3-4 us per row per constraint: a quarter of the time of a readings import, and seconds of
every billing run (ledger entries) and demo build. The same rule written as
``col = 'a' OR col = 'b' ...`` costs nothing measurable. Same meaning, NULL included
(NULL = 'a' OR ... is NULL, which a CHECK lets pass, as NULL IN (...) did).

SQLite cannot ALTER a CHECK constraint; rebuilding ~20 tables would copy every reading
and ledger entry. A change that does not alter what is stored on disk is done as the
SQLite documentation describes (https://www.sqlite.org/lang_altertable.html, "making other
kinds of table schema changes"): edit the table's SQL in sqlite_schema with
``writable_schema``, bump ``schema_version``, inside this migration's transaction, then
``PRAGMA integrity_check``. PostgreSQL drops and re-adds each constraint.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (table, constraint name, column, codes): the constraints of models.base.one_of as
# 0001 created them. Frozen here: a migration never reads the current models.
CHECKS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("printers", "ck_printers_kind_known", "kind", ("usb", "serial", "network", "file")),
    ("tariffs", "ck_tariffs_category_known", "category",
     ("residential", "commercial", "industrial", "agricultural", "public")),
    ("billing_runs", "ck_billing_runs_status_known", "status",
     ("running", "completed", "cancelled")),
    ("journals", "ck_journals_kind_known", "kind",
     ("bill", "payment", "credit_note", "reversal", "adjustment", "fee", "opening",
      "bank_payment")),
    ("meter_registers", "ck_meter_registers_kind_known", "kind", ("energy", "demand")),
    ("reading_batches", "ck_reading_batches_source_known", "source",
     ("manual", "handheld", "optical", "p1", "file", "estimated")),
    ("user_roles", "ck_user_roles_role_known", "role",
     ("clerk", "reader", "billing", "manager", "admin")),
    ("accounts", "ck_accounts_category_known", "category",
     ("residential", "commercial", "industrial", "agricultural", "public")),
    ("accounts", "ck_accounts_status_known", "status", ("active", "disconnected", "closed")),
    ("readings", "ck_readings_code_known", "reading_code",
     ("no_access", "meter_damaged", "door_locked", "meter_changed", "dog",
      "reading_doubtful", "premises_vacant", "meter_final", "meter_first")),
    ("readings", "ck_readings_source_known", "source",
     ("manual", "handheld", "optical", "p1", "file", "estimated")),
    ("readings", "ck_readings_status_known", "status",
     ("valid", "confirmed", "pending", "rejected", "superseded")),
    ("shifts", "ck_shifts_status_known", "status", ("open", "closed")),
    ("bills", "ck_bills_kind_known", "kind", ("regular", "rebill")),
    ("notification_outbox", "ck_notification_outbox_status_known", "status",
     ("pending", "sent", "failed")),
    ("shift_counts", "ck_shift_counts_tender_known", "tender",
     ("cash", "card", "cheque", "transfer")),
    ("bank_lines", "ck_bank_lines_status_known", "status",
     ("matched", "review", "assigned", "ignored")),
    ("payment_tenders", "ck_payment_tenders_tender_known", "tender",
     ("cash", "card", "cheque", "transfer")),
    ("ledger_entries", "ck_ledger_entries_gl_known", "gl_code",
     ("AR", "SALES", "CASH", "CARD", "CHEQUE", "BANK", "FEES", "SUSPENSE")),
    ("receipts", "ck_receipts_kind_known", "kind", ("payment", "reversal")),
    ("print_jobs", "ck_print_jobs_status_known", "status", ("queued", "printed", "failed")),
)


def as_in_list(column: str, codes: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


def as_comparisons(column: str, codes: tuple[str, ...]) -> str:
    return " OR ".join(f"{column} = {c!r}" for c in codes)


def _rewrite(forward: bool) -> None:
    changes = [(table, name, as_in_list(col, codes), as_comparisons(col, codes))
               for table, name, col, codes in CHECKS]
    if not forward:
        changes = [(table, name, new, old) for table, name, old, new in changes]
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for table, name, _old, new in changes:
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({new})")
        return
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar_one())
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for table, name, old, new in changes:
            before = f"CONSTRAINT {name} CHECK ({old})"
            after = f"CONSTRAINT {name} CHECK ({new})"
            done = bind.exec_driver_sql(
                "UPDATE sqlite_master SET sql = replace(sql, ?, ?)"
                " WHERE type = 'table' AND name = ? AND instr(sql, ?) > 0",
                (before, after, table, before))
            if done.rowcount != 1:
                raise RuntimeError(f"table {table}: constraint {name} is not as 0001 "
                                   "created it; not changing the schema")
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in bind.exec_driver_sql("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError(f"integrity check after the schema edit: {problems[:5]}")


def upgrade() -> None:
    _rewrite(forward=True)


def downgrade() -> None:
    _rewrite(forward=False)
