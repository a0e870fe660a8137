"""Row counts and a checksum of the money tables: "the database is unchanged" made exact.

A fuzz case that ends in an error must leave every table as it was. ``snapshot`` reads
each table in primary-key order and keeps its row count and a SHA-256 of its rows;
``changes`` names the tables whose count or content moved. Signing in writes the user's
row and an audit entry by design (and the audit entry moves the head's mirror in
``settings``), so the CLI cases (which sign in each time) leave those rows out and check
the audit log separately (``new_audit_actions``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import select, text

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Base

SIGN_IN_TABLES = frozenset({"users", "audit_log", "audit_head"})
"""What signing in writes (last sign-in time, failed count, the ``user.login`` entry)..."""
SIGN_IN_ROWS = {"settings": "key <> 'audit.head'"}
"""...and the audit head's mirror in settings (moved by every audit entry); with the
sign-in tables left out, only these rows of these tables are compared."""

Snapshot = dict[str, tuple[int, str]]


def _read_all(rows: dict[str, str]) -> dict[str, str]:
    return {t.name: str(select(t).where(text(rows.get(t.name, "1 = 1")))
                        .order_by(*t.primary_key.columns).compile())
            for t in Base.metadata.sorted_tables}


# PostgreSQL sums up every table in one round trip (md5 of the rows as text, in key order).
def _pg_all(rows: dict[str, str]) -> str:
    return " UNION ALL ".join(
        f"SELECT '{t.name}', COUNT(*), md5(COALESCE(string_agg(x::text, '|' ORDER BY "
        f"{', '.join(f'x.{c.name}' for c in t.primary_key.columns)}), '')) FROM {t.name} x"
        f" WHERE {rows.get(t.name, '1 = 1')}" for t in Base.metadata.sorted_tables)


_SQL = {False: (_read_all({}), _pg_all({})),
        True: (_read_all(SIGN_IN_ROWS), _pg_all(SIGN_IN_ROWS))}


def snapshot(db: Database, exclude: Iterable[str] = ()) -> Snapshot:
    """(row count, checksum of the rows) per table, tables in ``exclude`` left out (and,
    when the sign-in tables are, the sign-in's rows of the others)."""
    skip = set(exclude)
    read_all, pg_all = _SQL[skip >= SIGN_IN_TABLES]
    out: Snapshot = {}
    with db.engine.connect() as conn:
        if db.backend == "postgresql":
            for name, count, digest in conn.exec_driver_sql(pg_all):
                if name not in skip:
                    out[str(name)] = (int(count), str(digest))
        else:
            for name, sql in read_all.items():
                if name not in skip:
                    rows = conn.exec_driver_sql(sql).fetchall()
                    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
                    out[name] = (len(rows), digest)
        conn.rollback()
    return out


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    """The tables whose row count or content differ, e.g. ``payments: 3 -> 4 rows``."""
    out = []
    for name, (count, digest) in before.items():
        new_count, new_digest = after[name]
        if new_count != count:
            out.append(f"{name}: {count} -> {new_count} rows")
        elif new_digest != digest:
            out.append(f"{name}: rows changed")
    return out


def audit_count(db: Database) -> int:
    with db.read() as s:
        return int(s.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one())


def new_audit_actions(db: Database, after_id: int) -> list[str]:
    """The actions audited since entry ``after_id``."""
    with db.read() as s:
        return [str(a) for (a,) in s.execute(text(
            "SELECT action FROM audit_log WHERE id > :i ORDER BY id"), {"i": after_id})]
