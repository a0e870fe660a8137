"""A readings import reports its progress and can be cancelled at its checkpoints; the file
is one transaction, so a cancel stores nothing of it (and the books still balance: the
books check runs after each test)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import AuditEntry, Reading, ReadingBatch
from ebs_desktop.services import readings
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.progress import Progress, TaskCancelled, TaskState
from ebs_desktop.services.readings import imports
from tools.bench.readings import build_bench_utility

TODAY = date(2026, 6, 15)
ACTOR = system_actor("test")
METERS = 6


@pytest.fixture
def sheet(db: Database, tmp_path: Path) -> Path:
    """Six meters' filled sheet, half of it read a day earlier than the rest: the accepted
    readings are kept (and written) in at least two windows, one per day."""
    path = tmp_path / "sheet.csv"
    build_bench_utility(db, METERS, path, TODAY)
    read_on = (TODAY - timedelta(days=1)).isoformat()
    earlier = (TODAY - timedelta(days=2)).isoformat()
    header, *rows = path.read_text().splitlines()
    rows = [row.replace(f",{read_on},", f",{earlier},", 1) if i % 2 else row
            for i, row in enumerate(rows)]
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def counts(db: Database) -> tuple[int, int, int]:
    """Readings, reading batches and audit entries."""
    with db.read() as s:
        return tuple(int(s.scalar(select(func.count()).select_from(model)) or 0)
                     for model in (Reading, ReadingBatch, AuditEntry))  # type: ignore[return-value]


class CancelAt:
    """A task whose front end presses Cancel when a report matches."""

    def __init__(self, message_end: str, done: int) -> None:
        self.seen: list[Progress] = []
        self.task = TaskState(self.heard)
        self.message_end, self.done = message_end, done

    def heard(self, progress: Progress) -> None:
        self.seen.append(progress)
        if progress.message.endswith(self.message_end) and progress.done == self.done:
            self.task.cancel()


def _import(db: Database, path: Path, task: TaskState, stream: bool) -> imports.ImportSummary:
    if stream:
        return readings.import_file(db, ACTOR, path, today=TODAY, task=task)
    return readings.import_bytes(db, ACTOR, path.read_bytes(), path.name, today=TODAY,
                                 task=task)


@pytest.mark.parametrize("stream", [False, True], ids=["held", "streamed"])
def test_cancel_between_windows_stores_nothing_and_the_file_imports_later(
        db: Database, sheet: Path, stream: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if stream:
        monkeypatch.setattr(imports, "SMALL_BYTES", 100)  # the big-file path
    before = counts(db)
    cancel = CancelAt("storing", 1)  # after the first window went in, before the second
    with pytest.raises(TaskCancelled):
        _import(db, sheet, cancel.task, stream)
    storing = [p for p in cancel.seen if p.message.endswith("storing")]
    assert [p.done for p in storing] == [0, 1] and storing[0].total >= 2
    assert counts(db) == before  # the batch row and the first window were rolled back

    done = CancelAt("never", -1)
    summary = _import(db, sheet, done.task, stream)
    assert (summary.accepted + summary.warnings, summary.rejected) == (METERS, 0)
    assert not summary.already_imported  # the cancelled attempt left no batch behind
    assert counts(db)[:2] == (before[0] + METERS, before[1] + 1)
    assert done.seen[-1].message.endswith("stored") and done.seen[-1].fraction == 1.0


def test_cancel_while_checking_stores_nothing(db: Database, sheet: Path) -> None:
    before = counts(db)
    cancel = CancelAt("checking", 1)  # as soon as the registers are loaded
    with pytest.raises(TaskCancelled):
        readings.import_bytes(db, ACTOR, sheet.read_bytes(), sheet.name, today=TODAY,
                              task=cancel.task)
    assert [p.message for p in cancel.seen] == ["sheet.csv: checking"]
    assert counts(db) == before
