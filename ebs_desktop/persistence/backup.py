"""Copying a whole database to a file and back: the mechanics behind ``ebs db backup`` and
``ebs db restore`` (the use cases are in :mod:`ebs_desktop.services.backup`).

SQLite: the online backup API (``sqlite3.Connection.backup``) on a connection of its own,
copying every page in one step. One step means one read transaction: the copy is the
database as it stood at one commit, while the program (a billing run, the counter) goes
on writing; in WAL mode those writers are not blocked meanwhile. (A copy in several steps
would start over each time another connection commits.) PostgreSQL: ``pg_dump
--format=custom``, a consistent snapshot by itself, restored with ``pg_restore`` into a
new database. Either way the file is written under a temporary name, made 0600 and
renamed, so a half-written backup never looks like a finished one.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from ebs_desktop.errors import ConfigError, ConflictError, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.secrets import with_password
from ebs_desktop.private_files import FILE_MODE, POSIX, create_private_file, make_private_dirs

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


def sqlite_path(url_text: str) -> Path | None:
    """The file of a SQLite URL (None for an in-memory one)."""
    database = make_url(url_text).database
    return Path(database) if database and database != ":memory:" else None


def display(url_text: str) -> str:
    """A database URL without its password, for messages."""
    return make_url(url_text).render_as_string(hide_password=True)


def file_kind(path: Path) -> str:
    """``sqlite`` or ``postgresql``: which backend a backup file is for (by its header)."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise ValidationError(f"cannot read the backup file {path}: {exc.strerror}") from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise ValidationError(f"{path} is not an EBS backup (neither a SQLite database nor a "
                          "pg_dump custom-format file)")


def database_bytes(db: Database) -> int:
    """How big the database is now: pages in use on SQLite, pg_database_size on PostgreSQL."""
    with db.engine.connect() as conn:
        if db.backend == "sqlite":
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar() or 0
            size = conn.exec_driver_sql("PRAGMA page_size").scalar() or 0
            return int(pages) * int(size)
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
                   or 0)


def _finish(tmp: Path, dest: Path) -> int:
    if POSIX:
        os.chmod(tmp, FILE_MODE)
    os.replace(tmp, dest)
    return dest.stat().st_size


def _fresh_tmp(dest: Path) -> Path:
    make_private_dirs(dest.parent)
    if dest.exists():
        raise ConflictError(f"{dest} exists already; a backup never overwrites a file")
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    create_private_file(tmp)
    return tmp


def copy_sqlite(source: Path, dest: Path) -> int:
    """Copy the SQLite database ``source`` to the new file ``dest`` (0600) with the online
    backup API; returns the size of the copy in bytes."""
    tmp = _fresh_tmp(dest)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        try:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out)  # every page in one step: one consistent snapshot
                out.execute("PRAGMA journal_mode = DELETE")  # the copy is one file
            finally:
                out.close()
        finally:
            src.close()
        return _finish(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def pg_tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``: on PATH, else the newest under
    /usr/lib/postgresql/*/bin (Debian's layout)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    if not candidates:
        raise ConfigError(f"{name} is not installed (install the PostgreSQL client tools, "
                          "e.g. the postgresql-client package)")
    return max(candidates, key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit()
               else 0)


def _libpq(url_text: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI for the tools and the environment carrying the password
    (never on the command line, where ``ps`` would show it)."""
    url: URL = with_password(url_text)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise ConfigError(f"{what} failed: " + (detail[-1] if detail else
                                                 f"exit status {done.returncode}"))


def dump_postgresql(url_text: str, dest: Path) -> int:
    """``pg_dump --format=custom`` of the database to the new file ``dest`` (0600)."""
    tmp = _fresh_tmp(dest)
    uri, env = _libpq(url_text)
    try:
        _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={tmp}",
              f"--dbname={uri}"], env, "pg_dump")
        return _finish(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# -- restoring into a new database ---------------------------------------------------------

def sqlite_target_empty(path: Path) -> bool:
    """Whether ``path`` may receive a restore: missing, empty, or a database with no table."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                 ).fetchone()[0]
            return int(tables) == 0
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False  # something that is not a database: never overwrite it


def restore_sqlite(backup: Path, target: Path) -> None:
    """Copy the SQLite backup into ``target`` (missing or empty; made 0600)."""
    make_private_dirs(target.parent)
    create_private_file(target)
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(target)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode = WAL")
        finally:
            out.close()
    finally:
        src.close()
    if POSIX:
        os.chmod(target, FILE_MODE)


def postgresql_target_empty(url_text: str) -> bool:
    """Create the target database if the server has none of that name; True when it has
    no table (a new database), False when it holds one (refused: restore never mixes)."""
    url = with_password(url_text)
    name = url.database
    if not name:
        raise ValidationError(f"{url_text}: name the new database in the URL", location="--to")
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": name}).first() is not None
            if not exists:
                quoted = name.replace('"', '""')
                conn.execute(text(f'CREATE DATABASE "{quoted}"'))
                return True
    finally:
        server.dispose()
    target = create_engine(url)
    try:
        with target.connect() as conn:
            tables = conn.execute(text(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")).scalar()
            return int(tables or 0) == 0
    finally:
        target.dispose()


def restore_postgresql(backup: Path, url_text: str) -> None:
    """``pg_restore`` the dump into the (new, empty) database of ``url_text``."""
    uri, env = _libpq(url_text)
    _run([pg_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={uri}",
          str(backup)], env, "pg_restore")
