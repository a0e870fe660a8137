"""Batch printing on several processes: one joined PDF in run order, split files, cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from ebs_desktop.errors import ValidationError
from ebs_desktop.reports.bill_batch import bill_file_name, render_batch
from ebs_desktop.reports.formatting import format_money
from ebs_desktop.reports.pdf_concat import concat_pdfs
from ebs_desktop.services.progress import Progress, TaskCancelled, TaskState
from tools.bench.pdf import bench_bill_pdf
from tools.bench.sample_bills import sample_bill

DOCS = [sample_bill(i) for i in range(23)]


def _watching(seen: list[tuple[int, int]]) -> TaskState:
    return TaskState(lambda p: seen.append((p.done, p.total)))


def test_parallel_run_is_one_pdf_in_run_order(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    out = tmp_path / "run.pdf"
    task = _watching(seen)
    result = render_batch(DOCS, out, workers=2, chunk_size=5, task=task)
    assert (result.bills, result.pages, result.files) == (23, 23, (out,))
    reader = PdfReader(out)
    assert len(reader.pages) == 23
    for doc, page in zip(DOCS, reader.pages, strict=True):
        text = page.extract_text()
        assert doc.bill_number in text and format_money(doc.total_due) in text
    assert seen[0] == (0, 23) and seen[-1] == (23, 23)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert task.progress.message == "Rendering bills"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.pdf"]  # chunk files removed


def test_split_writes_one_file_per_bill(tmp_path: Path) -> None:
    result = render_batch(DOCS[:6], tmp_path / "bills", split=True, workers=2, chunk_size=2)
    assert len(result.files) == 6
    for doc in DOCS[:6]:
        path = tmp_path / "bills" / bill_file_name(doc)
        (page,) = PdfReader(path).pages
        assert doc.account_number in page.extract_text()


def _cancelled_after(bills: int) -> TaskState:
    """A task its caller cancels once it reports ``bills`` bills done (as a Cancel button
    pressed while the progress shows them)."""
    def on_progress(p: Progress) -> None:
        if p.done >= bills:
            task.cancel()
    task = TaskState(on_progress)
    return task


def test_cancel_midway_leaves_no_output(tmp_path: Path) -> None:
    out = tmp_path / "run.pdf"
    task = _cancelled_after(1)
    with pytest.raises(TaskCancelled, match=r"run\.pdf was not written"):
        render_batch(DOCS, out, workers=2, chunk_size=3, task=task)
    assert 0 < task.progress.done < len(DOCS)
    assert list(tmp_path.iterdir()) == []  # neither the output nor a chunk file


def test_cancel_in_process_stops_between_chunks(tmp_path: Path) -> None:
    task = _cancelled_after(8)
    with pytest.raises(TaskCancelled):
        render_batch(DOCS, tmp_path / "run.pdf", workers=1, chunk_size=4, task=task)
    assert task.progress.done == 8  # two chunks of four, then nothing more
    assert list(tmp_path.iterdir()) == []


def test_cancel_in_split_mode_keeps_whole_bills_only(tmp_path: Path) -> None:
    task = _cancelled_after(4)
    folder = tmp_path / "bills"
    with pytest.raises(TaskCancelled, match="are kept"):
        render_batch(DOCS, folder, split=True, workers=1, chunk_size=4, task=task)
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(bill_file_name(doc) for doc in DOCS[:4])
    for name in written:  # each one a whole bill
        assert len(PdfReader(folder / name).pages) == 1


def test_a_cancelled_task_renders_nothing(tmp_path: Path) -> None:
    task = TaskState()
    task.cancel()
    with pytest.raises(TaskCancelled):
        render_batch(DOCS, tmp_path / "run.pdf", workers=2, chunk_size=3, task=task)
    assert list(tmp_path.iterdir()) == []


def test_concat_refuses_a_foreign_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot really\n")
    with pytest.raises(ValidationError, match=r"bad\.pdf"):
        concat_pdfs([bad], tmp_path / "out.pdf")


def test_benchmark_reports_a_rate() -> None:
    result = bench_bill_pdf(30, workers=2, single_core=False)
    assert result["pages"] == 30
    assert result["bills_per_s"] > 0


def test_a_generator_feeds_the_workers_and_order_is_kept(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    out = tmp_path / "run.pdf"
    result = render_batch((doc for doc in DOCS), out, workers=2, chunk_size=2,
                          task=_watching(seen))
    assert (result.bills, result.pages) == (23, 23)
    numbers = [page.extract_text().split("Bill no. ")[1].split()[0]
               for page in PdfReader(out).pages]
    assert numbers == [doc.bill_number for doc in DOCS]
    assert seen[-1] == (23, 0)  # total unknown for a generator


def test_empty_run_writes_a_one_page_notice(tmp_path: Path) -> None:
    out = tmp_path / "run.pdf"
    result = render_batch([], out, workers=2)
    assert (result.bills, result.files) == (0, (out,))
    assert "No bills selected." in PdfReader(out).pages[0].extract_text()
