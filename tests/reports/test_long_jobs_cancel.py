"""Bill printing and the exports take one TaskState (issue 18, point 3): they report
progress, and a cancel between chunks stops them with TaskCancelled leaving no output
file (nor a temporary one), while an earlier file of the same name stays as it was.

On the demo utility billed by the real run, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from ebs_desktop.errors import ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Bill, Receipt
from ebs_desktop.services import bill_documents
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.billing import export as bill_export
from ebs_desktop.services.counter import export as receipt_export
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import StaffServices
from ebs_desktop.services.progress import Progress, TaskCancelled, TaskState

ACTOR = system_actor("test")


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=40, months=3, until="2026-06")
    return db


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Where the outputs go (the SQLite database lives in tmp_path itself)."""
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


def _last_period(db: Database) -> str:
    with db.read() as s:
        period = s.scalar(select(func.max(Bill.period)))
    assert period is not None
    return str(period)


def _cancelled_after(done: int, seen: list[Progress] | None = None) -> TaskState:
    """A task whose caller presses Cancel once the progress shows ``done`` units."""
    def on_progress(p: Progress) -> None:
        if seen is not None:
            seen.append(p)
        if p.done >= done:
            task.cancel()
    task = TaskState(on_progress)
    return task


def test_bill_pdf_batch_reports_progress_to_the_end(demo: Database, folder: Path) -> None:
    period = _last_period(demo)
    total = bill_documents.count_bill_documents(demo, ACTOR, period)
    seen: list[Progress] = []
    out = folder / "run.pdf"
    result = StaffServices(demo, ACTOR).billing.print_bills(
        out, period=period, task=TaskState(seen.append))
    assert (result.bills, result.files) == (total, (out,))
    assert len(PdfReader(out).pages) == result.pages >= total
    assert (seen[0].done, seen[-1].done, seen[-1].total) == (0, total, total)


def test_cancelled_bill_pdf_batch_leaves_no_file(demo: Database, folder: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The run of a large utility: worker processes read and render chunks of bills; a
    cancel after the first chunk drops the rest and writes nothing."""
    monkeypatch.setattr(bill_documents, "IN_PROCESS_UP_TO", 0)
    monkeypatch.setattr(bill_documents, "WORKER_CHUNK", 3)
    period = _last_period(demo)
    total = bill_documents.count_bill_documents(demo, ACTOR, period)
    assert total > 4 * 3  # more chunks than the two workers hold at once
    task = _cancelled_after(1)
    with pytest.raises(TaskCancelled, match="not written"):
        bill_documents.print_bills(demo, ACTOR, folder / "run.pdf", period=period,
                                   task=task)
    assert 0 < task.progress.done < total
    assert list(folder.iterdir()) == []  # neither the output nor a chunk file


def test_cancelled_bill_export_leaves_no_file(demo: Database, folder: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bill_export, "CHUNK", 5)
    period = _last_period(demo)
    out = folder / "bills.csv"
    out.write_text("yesterday's export\n", encoding="utf-8")
    seen: list[Progress] = []
    task = _cancelled_after(10, seen)
    with pytest.raises(TaskCancelled):
        bill_export.export_bills(demo, ACTOR, period, out, task=task)
    assert [p.done for p in seen] == [5, 10]  # stopped at the chunk after the cancel
    assert seen[0].total > 10 and seen[0].message == "Exporting bills"
    assert out.read_text(encoding="utf-8") == "yesterday's export\n"
    assert sorted(p.name for p in folder.iterdir()) == ["bills.csv"]


def test_bill_export_with_a_task_runs_through(demo: Database, folder: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bill_export, "CHUNK", 7)
    period = _last_period(demo)
    seen: list[Progress] = []
    out = folder / "bills.csv"
    result = bill_export.export_bills(demo, ACTOR, period, out, task=TaskState(seen.append))
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) - 1 == result.rows == seen[-1].done == seen[-1].total
    assert [p.done for p in seen[:2]] == [7, 14]
    assert sorted(p.name for p in folder.iterdir()) == ["bills.csv"]


def test_cancelled_receipt_export_leaves_no_file(demo: Database, folder: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(receipt_export, "PROGRESS_EVERY", 4)
    with demo.read() as s:
        receipts = int(s.scalar(select(func.count()).select_from(Receipt)) or 0)
    assert receipts > 8
    out = folder / "receipts.csv"
    task = _cancelled_after(4)
    with pytest.raises(TaskCancelled):
        receipt_export.export_receipts(demo, ACTOR, date(2020, 1, 1), date(2026, 12, 31),
                                       out, task=task)
    assert task.progress.done == 4
    assert list(folder.iterdir()) == []


def test_receipt_export_cancelled_at_the_end_leaves_no_file(demo: Database,
                                                            folder: Path) -> None:
    """However few receipts there are (fewer than a progress step), a cancel is seen
    before the file is put in place; the same export without a task writes it."""
    out = folder / "receipts.csv"
    task = TaskState()
    task.cancel()
    with pytest.raises(TaskCancelled):
        receipt_export.export_receipts(demo, ACTOR, date(2020, 1, 1), date(2026, 12, 31),
                                       out, task=task)
    assert list(folder.iterdir()) == []
    assert receipt_export.export_receipts(demo, ACTOR, date(2020, 1, 1),
                                          date(2026, 12, 31), out) > 0
    assert sorted(p.name for p in folder.iterdir()) == ["receipts.csv"]


def test_print_bills_refuses_an_unclear_or_empty_selection(db: Database,
                                                           folder: Path) -> None:
    with pytest.raises(ValidationError, match="--period YYYY-MM"):
        bill_documents.print_bills(db, ACTOR, folder / "run.pdf")
    with pytest.raises(ValidationError, match="--period YYYY-MM"):
        bill_documents.print_bills(db, ACTOR, folder / "run.pdf", period="2026-05",
                                   bill="B1")
    with pytest.raises(ValidationError, match="--bill is already one bill"):
        bill_documents.print_bills(db, ACTOR, folder / "run.pdf", bill="B1", account="1")
    with pytest.raises(ValidationError, match="no printable bill for 2026-05"):
        bill_documents.print_bills(db, ACTOR, folder / "run.pdf", period="2026-05")
    assert list(folder.iterdir()) == []
