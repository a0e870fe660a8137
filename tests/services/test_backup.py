"""Backups taken while a billing run writes, restored into new databases whose books
balance; the refusals of restore; the daily copy and its retention."""

from __future__ import annotations

import os
import stat
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from ebs_desktop.errors import ConflictError, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.persistence.models import BackupRecord, Bill
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.backup import (
    backup_database,
    daily_backup_if_due,
    restore_database,
    to_prune,
)
from ebs_desktop.services.billing.run import run_billing
from ebs_desktop.services.demo.build import build_demo
from ebs_desktop.services.progress import Progress, TaskState
from tests.books_check import assert_books_balanced

ADMIN = Actor(None, "admin", frozenset({"admin"}))


def _bills(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Bill)) or 0)


@pytest.fixture
def new_target(db: Database, tmp_path: Path) -> Iterator[str]:
    """Where a restore goes: a new SQLite file, or a PostgreSQL database that does not
    exist yet (dropped afterwards)."""
    if db.backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"ebs_restored_{uuid.uuid4().hex[:10]}"
    url = make_url(db.url_text).set(database=name).render_as_string(hide_password=False)
    yield url
    admin = create_engine(make_url(db.url_text).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def test_backup_during_a_billing_run_restores_with_balanced_books(
        db: Database, tmp_path: Path, new_target: str) -> None:
    """The run is stopped between two of its batches (its progress callback waits) while
    the backup is taken: the copy holds the batches committed so far, whole, and the
    restored database passes the books check."""
    build_demo(db, customers=120, months=2, until="2026-03", workers=0)
    before = _bills(db)
    batches_done = threading.Event()
    backup_taken = threading.Event()
    seen: list[int] = []

    def progress(p: Progress) -> None:
        seen.append(p.done)
        if p.done > 0 and not batches_done.is_set():
            batches_done.set()
            assert backup_taken.wait(60), "the backup never came"

    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(run_billing(
        db, system_actor("billing-test"), "2026-03", batch_size=25, workers=0,
        task=TaskState(progress))))
    worker.start()
    try:
        assert batches_done.wait(60), "the billing run reported no progress"
        taken = backup_database(db, ADMIN, str(tmp_path / "backups"))
    finally:
        backup_taken.set()
        worker.join(120)
    assert result, "the billing run did not finish"
    after = _bills(db)
    assert after - before == 120  # the run went on to the end after the backup

    path = Path(taken.path)
    assert path.parent == tmp_path / "backups" and path.stat().st_size == taken.size_bytes
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    restored = restore_database(db, ADMIN, taken.path, new_target)
    assert restored.books_ok, restored.problems
    copy = open_database(new_target)
    try:
        mid = _bills(copy)
        assert before < mid < after, (before, mid, after)  # taken mid-way, whole batches
        assert (mid - before) % 25 == 0
        assert_books_balanced(copy)
    finally:
        copy.dispose()
    with db.read() as s:  # recorded, for the dashboard
        kinds = list(s.scalars(select(BackupRecord.kind)))
    assert kinds == ["manual"]


def test_restore_refuses_a_database_in_use_and_the_wrong_backend(
        db: Database, tmp_path: Path, new_target: str) -> None:
    build_demo(db, customers=5, months=2, until="2026-02", workers=0)
    taken = backup_database(db, ADMIN, str(tmp_path))
    with pytest.raises(ConflictError, match="new database only"):
        restore_database(None, ADMIN, taken.path, db.url_text)  # into itself: in use
    restore_database(db, ADMIN, taken.path, new_target)
    with pytest.raises(ConflictError, match="new database only"):
        restore_database(db, ADMIN, taken.path, new_target)  # not twice either
    other = ("postgresql+psycopg://postgres@127.0.0.1:5432/nope" if db.backend == "sqlite"
             else f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with pytest.raises(ValidationError, match=f"is a {db.backend} backup"):
        restore_database(db, ADMIN, taken.path, other)
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a backup at all")
    with pytest.raises(ValidationError, match="not an EBS backup"):
        restore_database(db, ADMIN, str(junk), new_target)
    with pytest.raises(PermissionDenied):
        backup_database(db, Actor(None, "manager", frozenset({"manager"})), str(tmp_path))


def test_daily_copy_of_the_default_file_with_retention(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> None:
    monkeypatch.setenv("EBS_DATA_DIR", str(tmp_path / "data"))
    from ebs_desktop import config
    from ebs_desktop.persistence import migrate

    default = config.default_sqlite_path()
    db = open_database(f"sqlite:///{default}")
    try:
        migrate.upgrade(db)
        elsewhere = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
        migrate.upgrade(elsewhere)
        assert daily_backup_if_due(elsewhere) is None  # only the default file
        elsewhere.dispose()
        start = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
        first = daily_backup_if_due(db, now=start)
        assert first is not None and Path(first.path).parent == tmp_path / "data" / "backups"
        assert stat.S_IMODE(os.stat(first.path).st_mode) == 0o600
        # taken_at is the real clock; pretend the copies were taken on successive days
        assert daily_backup_if_due(db) is None  # not due again the same day
        folder = Path(first.path).parent
        for day in range(1, 40):  # five weeks of earlier daily copies
            at = start - timedelta(days=day)
            (folder / f"ebs-daily-{at:%Y%m%d-%H%M%S}.sqlite3").write_bytes(b"x")
        (folder / "ebs-manual-20250101-000000.sqlite3").write_bytes(b"kept")
        second = daily_backup_if_due(db, now=datetime.now(UTC) + timedelta(days=2))
        assert second is not None
        names = sorted(p.name for p in folder.iterdir())
        daily = [n for n in names if n.startswith("ebs-daily-")]
        assert len(daily) == 7 + 4
        assert Path(first.path).name in daily and Path(second.path).name in daily
        assert "ebs-manual-20250101-000000.sqlite3" in names  # retention is for daily copies
        with db.read() as s:
            assert list(s.scalars(select(BackupRecord.kind))) == ["daily", "daily"]
    finally:
        db.dispose()


def test_retention_keeps_seven_daily_and_four_weekly() -> None:
    names = [f"ebs-daily-{datetime(2026, 3, 31) - timedelta(days=d):%Y%m%d}-030000.sqlite3"
             for d in range(60)]
    pruned = set(to_prune([*names, "ebs-manual-20260101-000000.sqlite3", "notes.txt"]))
    kept = sorted(set(names) - pruned, reverse=True)
    assert kept[:7] == names[:7]  # the newest seven days
    weekly = kept[7:]
    assert len(weekly) == 4
    weeks = {datetime.strptime(n[10:25], "%Y%m%d-%H%M%S").isocalendar()[:2] for n in weekly}
    assert len(weeks) == 4  # one per week, the newest of each
    assert "ebs-manual-20260101-000000.sqlite3" not in pruned
