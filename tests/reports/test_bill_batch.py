"""Batch printing on several processes: one joined PDF in run order, split files, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from ebs_desktop.errors import ValidationError
from ebs_desktop.reports.bench_pdf import bench_bill_pdf
from ebs_desktop.reports.bill_batch import bill_file_name, render_batch
from ebs_desktop.reports.formatting import format_money
from ebs_desktop.reports.pdf_concat import concat_pdfs
from ebs_desktop.reports.sample_bills import sample_bill

DOCS = [sample_bill(i) for i in range(23)]


def test_parallel_run_is_one_pdf_in_run_order(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    out = tmp_path / "run.pdf"
    result = render_batch(DOCS, out, workers=2, chunk_size=5,
                          progress=lambda done, total: seen.append((done, total)))
    assert not result.cancelled
    assert (result.bills, result.pages, result.files) == (23, 23, (out,))
    reader = PdfReader(out)
    assert len(reader.pages) == 23
    for doc, page in zip(DOCS, reader.pages, strict=True):
        text = page.extract_text()
        assert doc.bill_number in text and format_money(doc.total_due) in text
    assert seen[-1] == (23, 23)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.pdf"]  # chunk files removed


def test_split_writes_one_file_per_bill(tmp_path: Path) -> None:
    result = render_batch(DOCS[:6], tmp_path / "bills", split=True, workers=2, chunk_size=2)
    assert len(result.files) == 6
    for doc in DOCS[:6]:
        path = tmp_path / "bills" / bill_file_name(doc)
        (page,) = PdfReader(path).pages
        assert doc.account_number in page.extract_text()


def test_cancel_midway_leaves_no_output(tmp_path: Path) -> None:
    cancel = threading.Event()
    out = tmp_path / "run.pdf"
    result = render_batch(DOCS, out, workers=2, chunk_size=3,
                          progress=lambda done, total: cancel.set(), cancel=cancel)
    assert result.cancelled
    assert result.bills < len(DOCS)
    assert list(tmp_path.iterdir()) == []


def test_cancel_in_process_through_a_check_function(tmp_path: Path) -> None:
    seen: list[int] = []
    result = render_batch(DOCS, tmp_path / "run.pdf", workers=1, chunk_size=4,
                          progress=lambda done, total: seen.append(done),
                          cancel=lambda: len(seen) >= 2)
    assert result.cancelled and result.bills == 8
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
                          progress=lambda done, total: seen.append((done, total)))
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
