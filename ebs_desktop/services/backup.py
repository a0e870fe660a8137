"""Backups: ``ebs db backup [--to DIR]``, ``ebs db restore FILE``, and the daily automatic
copy of the default SQLite file.

A backup is a whole-database copy taken while the program runs (SQLite's online backup
API, ``pg_dump`` on PostgreSQL: see :mod:`ebs_desktop.persistence.backup`), a file of its
own made 0600, and a row in ``backups`` so that the dashboard shows the last one and how
the database grew. A restore goes into a NEW database only (a missing or empty SQLite
file, a PostgreSQL database that does not exist yet or has no table): restoring over the
books in use would destroy what was posted since, so that is refused. After the restore
the schema is checked and the books check runs on the result: a backup that does not
balance is said to be so at once, not on the day it is needed.

The daily copy: at start, when the database is the default SQLite file and its last daily
copy is older than a day, the desktop app takes one on a thread of its own into the data
folder's ``backups/`` and keeps ``KEEP_DAILY`` daily copies plus the newest copy of each of
``KEEP_WEEKLY`` earlier weeks (:func:`to_prune`). Nobody is signed in yet: the copy reads
nothing a person could not read from the file itself, and writes only in the data folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ebs_desktop import config
from ebs_desktop.errors import ConflictError, ValidationError
from ebs_desktop.persistence import backup as files
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.persistence.stores import backups as store
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.books import check_books
from ebs_desktop.services.guard import require

KEEP_DAILY = 7
KEEP_WEEKLY = 4
DAILY_EVERY = timedelta(days=1)
DAILY_NAME = re.compile(r"^ebs-daily-(\d{8}-\d{6})(?:-\d+)?\.sqlite3$")


@dataclass(frozen=True)
class BackupTaken:
    path: str
    kind: str  # manual / daily
    size_bytes: int
    database_bytes: int
    taken_at: datetime


@dataclass(frozen=True)
class RestoreResult:
    target: str
    schema_version: str | None
    books_ok: bool
    problems: tuple[str, ...]


def backups_dir() -> Path:
    """Where backups go unless ``--to`` says otherwise: ``backups/`` in the data folder."""
    return config.data_dir() / "backups"


def as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _destination(db: Database, kind: str, at: datetime, folder: Path) -> Path:
    """``ebs-KIND-YYYYMMDD-HHMMSS.EXT``, with ``-2``, ``-3``... for a second one that
    second (a backup never overwrites a file)."""
    stamp = at.strftime("%Y%m%d-%H%M%S")
    ext = "sqlite3" if db.backend == "sqlite" else "dump"
    dest = folder / f"ebs-{kind}-{stamp}.{ext}"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"ebs-{kind}-{stamp}-{n}.{ext}"
    return dest


def _take(db: Database, kind: str, folder: Path, actor: Actor | None) -> BackupTaken:
    at = datetime.now(UTC)
    dest = _destination(db, kind, at, folder)
    size_db = files.database_bytes(db)
    if db.backend == "sqlite":
        source = files.sqlite_path(db.url_text)
        if source is None:
            raise ValidationError("an in-memory database has nothing to back up")
        size = files.copy_sqlite(source, dest)
    else:
        size = files.dump_postgresql(db.url_text, dest)
    with db.write() as session:
        backup_id = store.add(session, kind, str(dest), size, size_db,
                              actor.label if actor else "automatic", at)
        if actor is not None:
            audit.record(session, actor, "db.backup", "backups", backup_id,
                         after={"path": str(dest), "bytes": size})
    return BackupTaken(str(dest), kind, size, size_db, at)


def backup_database(db: Database, actor: Actor, to_dir: str | None = None) -> BackupTaken:
    """``ebs db backup [--to DIR]``: a copy of the whole database, taken while it is used."""
    require(actor, "db.manage")
    folder = Path(to_dir).expanduser() if to_dir else backups_dir()
    if folder.exists() and not folder.is_dir():
        raise ValidationError(f"{folder} is a file, not a folder", location="--to")
    return _take(db, "manual", folder, actor)


# -- the daily copy of the default SQLite file --------------------------------------------

def to_prune(names: list[str], keep_daily: int = KEEP_DAILY,
             keep_weekly: int = KEEP_WEEKLY) -> list[str]:
    """Which daily copies to delete: all but the ``keep_daily`` newest and, of the older
    ones, the newest of each of the ``keep_weekly`` most recent ISO weeks."""
    dated = sorted(((datetime.strptime(m.group(1), "%Y%m%d-%H%M%S"), n)
                    for n in names if (m := DAILY_NAME.match(n))), reverse=True)
    keep = {n for _d, n in dated[:keep_daily]}
    weeks: set[tuple[int, int]] = set()
    for day, name in dated[keep_daily:]:
        week = day.isocalendar()[:2]
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.add(week)
            keep.add(name)
    return [n for _d, n in dated if n not in keep]


def _is_default_sqlite(db: Database) -> bool:
    path = files.sqlite_path(db.url_text) if db.backend == "sqlite" else None
    return path is not None and path.resolve() == config.default_sqlite_path().resolve()


def daily_backup_if_due(db: Database, *, now: datetime | None = None,
                        only_default: bool = True) -> BackupTaken | None:
    """At start: copy the default SQLite file when its last daily copy is older than a day,
    then prune the old copies (see the module docstring); None when nothing was due."""
    if db.backend != "sqlite" or (only_default and not _is_default_sqlite(db)):
        return None
    if migrate.current_revision(db) != migrate.head_revision():
        return None  # not this program's schema: nothing of it is ours to record
    moment = now or datetime.now(UTC)
    with db.read() as session:
        last = store.latest(session, "daily")
    if last is not None and moment - as_utc(last[0]) < DAILY_EVERY:
        return None
    folder = backups_dir()
    taken = _take(db, "daily", folder, None)
    for name in to_prune([p.name for p in folder.iterdir()]):
        (folder / name).unlink(missing_ok=True)
    return taken


# -- restoring into a new database ---------------------------------------------------------

def restore_database(db: Database | None, actor: Actor, backup_file: str,
                     to: str) -> RestoreResult:
    """``ebs db restore FILE [--to URL]``: into the NEW database ``to`` (a SQLite file or a
    PostgreSQL URL), then its schema and books checked. ``db`` is not used: the database
    the command was opened on is not touched (the door gives None)."""
    require(actor, "db.manage")
    source = Path(backup_file).expanduser()
    if not source.is_file():
        raise ValidationError(f"no backup file {source}")
    kind = files.file_kind(source)
    target_url = config.resolve_database_url(to)
    target_backend = "sqlite" if target_url.startswith("sqlite") else "postgresql"
    if kind != target_backend:
        raise ValidationError(f"{source} is a {kind} backup; it restores into a {kind} "
                              f"database, not {target_backend} ({target_url})")
    if kind == "sqlite":
        target = files.sqlite_path(target_url)
        if target is None:
            raise ValidationError("restore into a SQLite file, not an in-memory database")
        if not files.sqlite_target_empty(target):
            raise ConflictError(f"{target} holds a database already; restore goes into a new "
                                "database only (give --to a new file)")
        files.restore_sqlite(source, target)
    else:
        if not files.postgresql_target_empty(target_url):
            raise ConflictError(f"{files.display(target_url)} holds tables "
                                "already; restore goes into a new database only (give --to "
                                "the URL of a database that does not exist yet)")
        files.restore_postgresql(source, target_url)
    restored = open_database(target_url)
    try:
        migrate.check_schema(restored)
        report = check_books(restored, actor)
        return RestoreResult(restored.display_name, migrate.current_revision(restored),
                             report.ok, tuple(str(p) for p in report.problems))
    finally:
        restored.dispose()
