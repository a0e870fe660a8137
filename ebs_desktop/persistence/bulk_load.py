"""Filling an empty SQLite database in bulk (the demo), with its guards applied once at the
end instead of row by row.

Why: on the 100,000-customer x 12-month demo, SQLite's foreign-key lookups on every
inserted row and the upkeep of indexes that nothing reads during the load (ledger,
payments and their tenders, allocations and receipts) cost ~15 s of ~56 s of inserts;
deferring bill lines' index as well saved ~1 s more.
Checked once at the end, the same guards cost ~6 s: ``CREATE INDEX`` sorts the rows once
(a unique index that finds a duplicate refuses, as the insert would have), and
``PRAGMA foreign_key_check`` finds every row whose parent is missing. A load that breaks
either fails with the table and row named.

The load writes through its own connections (foreign keys off, fewer and larger WAL
checkpoints, commits not synced: ~5 s of the demo) and is made durable by one synced
checkpoint at its end; the caller's ``Database`` is left as it was. The deferred indexes are put
back whatever happens, also when the load fails half-way. PostgreSQL: nothing changes
(the load writes through the caller's ``Database``); its demo is not the bulk case.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from ebs_desktop.errors import EbsError
from ebs_desktop.persistence.engine import Database, open_database


class BulkLoadError(EbsError):
    """The loaded rows break a guard of the schema (a foreign key or a unique index)."""


@contextmanager
def bulk_load(db: Database, defer_indexes_of: Sequence[str]) -> Iterator[Database]:
    """A ``Database`` for the load; the secondary indexes (``CREATE INDEX``, not the
    UNIQUE/PRIMARY KEY constraints of the tables) of ``defer_indexes_of`` are dropped
    meanwhile and built again at the end, then every foreign key is checked."""
    if db.backend != "sqlite":
        yield db
        return
    loader = open_database(db.url_text, create_dirs=False, bulk_load=True)
    try:
        deferred = _drop_indexes(loader, defer_indexes_of)
        try:
            yield loader
        except BaseException as exc:
            try:
                _create_indexes(loader, deferred)
            except BulkLoadError as also:  # the load's own error stays the one raised
                exc.add_note(str(also))
            raise
        _finish(loader, deferred)
        _make_durable(db)  # while the loader is open: closing it last checkpoints unsynced
    finally:
        loader.dispose()


def _finish(loader: Database, deferred: list[tuple[str, str]]) -> None:
    """Build the deferred indexes on a thread (one writing connection) while this one
    checks the foreign keys (a reader, which WAL lets run beside it): both spend their
    time inside SQLite, which lets go of the GIL, so they take the longer of the two
    (measured on the 100,000 x 12 demo: indexes 2.4 s, foreign keys 3.1 s)."""
    failed: list[BaseException] = []

    def build() -> None:
        try:
            _create_indexes(loader, deferred)
        except BaseException as exc:  # re-raised in the caller's thread below
            failed.append(exc)

    builder = threading.Thread(target=build, name="ebs-bulk-indexes")
    builder.start()
    try:
        _check_foreign_keys(loader)
    finally:
        builder.join()
    if failed:
        raise failed[0]


def _make_durable(db: Database) -> None:
    """The load commits without syncing (``synchronous=OFF``: a crash of the machine
    half-way leaves a database to delete, as a half-built demo is anyway); one
    checkpoint through an ordinary connection (``synchronous=FULL``) syncs the WAL,
    copies it into the database file and syncs that."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
        conn.rollback()


def _drop_indexes(db: Database, tables: Sequence[str]) -> list[tuple[str, str]]:
    marks = ", ".join("?" * len(tables))
    with db.write_connection() as conn:
        found = [(str(name), str(sql)) for name, sql in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({marks}) ORDER BY name", tuple(tables))]
        for name, _sql in found:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return found


def _create_indexes(db: Database, deferred: list[tuple[str, str]]) -> None:
    with db.write_connection() as conn:
        for name, sql in deferred:
            try:
                conn.exec_driver_sql(sql)
            except Exception as exc:  # a unique index the loaded rows break
                raise BulkLoadError(f"index {name} cannot be built on the loaded rows: "
                                    f"{exc}") from exc


def _check_foreign_keys(db: Database) -> None:
    with db.read() as session:
        broken = session.connection().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _fk = broken[0]
        raise BulkLoadError(f"{len(broken)} loaded row(s) refer to rows that do not exist;"
                            f" the first: {table} row {rowid} -> {parent}")
