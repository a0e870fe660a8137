"""Opening the database: one ``Database`` object per process, over SQLite or PostgreSQL.

SQLite is set up for several processes on one PC: WAL journal, ``synchronous=FULL``
(a committed payment survives a power cut), foreign keys on, a busy timeout, and every
write transaction begun with ``BEGIN IMMEDIATE`` so a writer waits for the lock up front
instead of failing half-way with "database is locked". Reads use a plain deferred
``BEGIN`` and never block writers (WAL).

A SQLite file on a network share is refused: WAL needs shared memory on one host. A new
SQLite file is created 0600 in folders created 0700 (see :mod:`ebs_desktop.private_files`):
it holds password hashes and every customer.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection
from sqlalchemy.orm import Session, sessionmaker

from ebs_desktop.errors import ConfigError
from ebs_desktop.persistence.secrets import with_password
from ebs_desktop.private_files import prepare_sqlite_file

BUSY_TIMEOUT_S = 30.0
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb3", "ncpfs", "afs", "9p",
               "fuse.sshfs", "sshfs", "davfs", "fuse.davfs2", "glusterfs", "ceph", "lustre"}


def _mount_fs_type(path: Path) -> str | None:
    """File-system type of the mount holding ``path`` (Linux /proc/mounts), if known."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best, best_type = "", None
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        if (target == mount_point or target.startswith(mount_point.rstrip("/") + "/")) and len(
            mount_point
        ) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def is_network_path(path: Path) -> bool:
    text = str(path)
    if text.startswith(("\\\\", "//")):  # UNC path
        return True
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(str(path.resolve()))[0] + "\\"
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == 4)  # type: ignore[attr-defined]
    fs = _mount_fs_type(path.parent if not path.exists() else path)
    return fs in _NETWORK_FS


def _sqlite_path(url: URL) -> Path | None:
    db = url.database
    if not db or db == ":memory:":
        return None
    return Path(db)


BULK_CHECKPOINT_PAGES = 50_000  # WAL pages (~200 MB) between checkpoints of a bulk load


def _configure_sqlite(engine: Engine, bulk_load: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cur.execute("PRAGMA journal_mode = WAL")
        # a bulk load checks foreign keys once at its end and makes its rows durable
        # with one synced checkpoint (``persistence.bulk_load``)
        cur.execute(f"PRAGMA synchronous = {'OFF' if bulk_load else 'FULL'}")
        cur.execute(f"PRAGMA foreign_keys = {'OFF' if bulk_load else 'ON'}")
        if bulk_load:  # fewer, larger checkpoints: pages rewritten batch after batch
            cur.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("ebs_write", False):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


BULK_CACHE_KIB = 64 * 1024


def use_bulk_cache(conn: Connection) -> None:
    """A 64 MB SQLite page cache for this connection (the default is 2 MB): bulk work over
    a big utility's tables (a billing run, a readings import, the demo) would otherwise
    re-read index pages for every batch. PostgreSQL: nothing to do."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")


class Database:
    """The process's database: engine plus read and write units of work."""

    def __init__(self, engine: Engine, url_text: str) -> None:
        self.engine = engine
        self.url_text = url_text
        self._write_engine = engine.execution_options(ebs_write=True)
        self._read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(bind=self._write_engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def display_name(self) -> str:
        """URL without any password, for status bars and ``ebs db info``."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commit on success, roll back on any exception."""
        with self._write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (rolled back at the end)."""
        with self._read_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A Core connection in a write transaction, for bulk paths (billing, imports)."""
        with self._write_engine.begin() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url_text: str, *, create_dirs: bool = True,
                  bulk_load: bool = False) -> Database:
    """Open (not migrate) the database at ``url_text``. ``bulk_load``: for
    ``persistence.bulk_load`` only (SQLite connections without foreign-key checks)."""
    if url_text.startswith("sqlite"):
        from sqlalchemy.engine import make_url

        url = make_url(url_text)
        path = _sqlite_path(url)
        if path is not None:
            if is_network_path(path):
                raise ConfigError(
                    f"{path} is on a network share; SQLite's WAL mode is unsafe there. "
                    "Keep the SQLite file on a local disk, or use a shared PostgreSQL server "
                    "(--db postgresql+psycopg://user@host:5432/ebs)"
                )
            if create_dirs:
                prepare_sqlite_file(path)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        _configure_sqlite(engine, bulk_load)
    elif url_text.startswith("postgresql"):
        url = with_password(url_text)
        engine = create_engine(url, pool_pre_ping=True)
    else:
        raise ConfigError(
            f"unsupported database URL {url_text!r}: use a SQLite file path or "
            "postgresql+psycopg://user@host:port/database"
        )
    return Database(engine, url_text)
