"""``ebs report`` and ``ebs bill pdf`` end to end over a demo database (SQLite)."""

from __future__ import annotations

import csv
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from ebs_desktop.cli.context import CliContext
from ebs_desktop.cli.main import cli
from ebs_desktop.cli.reports import bill_pdf
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.bill_documents import bill_documents
from ebs_desktop.services.demo import build_demo


@pytest.fixture
def demo_url(sqlite_db: Database) -> str:
    build_demo(sqlite_db, customers=30, months=4, until="2026-06")
    return sqlite_db.url_text


def _bill(url: str, *args: str) -> click.testing.Result:
    ctx = CliContext(db_url=url, username=None, debug=False)
    try:
        return CliRunner().invoke(bill_pdf, list(args), obj=ctx)
    finally:
        ctx.close()


def test_report_writes_each_format(demo_url: str, tmp_path: Path) -> None:
    for suffix in ("pdf", "csv", "xlsx"):
        out = tmp_path / f"aging.{suffix}"
        result = CliRunner().invoke(cli, ["--db", demo_url, "report", "arrears-aging",
                                          "--from", "2026-01-01", "--to", "2026-06-30",
                                          "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    rows = list(csv.reader((tmp_path / "aging.csv").open(encoding="utf-8")))
    assert rows[0][1] == "Category / account"
    assert "Arrears aging" in PdfReader(tmp_path / "aging.pdf").pages[0].extract_text()


def test_report_refuses_unknown_extension_and_bad_range(demo_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", demo_url, "report", "revenue", "--from",
                                      "2026-01-01", "--to", "2026-01-31", "--out",
                                      str(tmp_path / "r.txt")])
    assert result.exit_code == 1 and ".pdf, .csv or .xlsx" in result.output
    result = CliRunner().invoke(cli, ["--db", demo_url, "report", "revenue", "--from",
                                      "2026-02-01", "--to", "2026-01-31", "--out",
                                      str(tmp_path / "r.csv")])
    assert result.exit_code == 1 and "before --from" in result.output


def test_bill_pdf_one_file_and_split(demo_url: str, tmp_path: Path) -> None:
    db = open_database(demo_url)
    docs = bill_documents(db, system_actor("t"), "2026-05")
    db.dispose()
    result = _bill(demo_url, "--period", "2026-05", "--out", str(tmp_path / "run.pdf"))
    assert result.exit_code == 0, result.output
    pages = PdfReader(tmp_path / "run.pdf").pages
    assert len(pages) == len(docs) > 0
    for doc, page in zip(docs, pages, strict=True):
        assert doc.bill_number in page.extract_text()
    one = docs[0]
    result = _bill(demo_url, "--period", "2026-05", "--account", one.account_number,
                   "--split", str(tmp_path / "mail"))
    assert result.exit_code == 0, result.output
    files = list((tmp_path / "mail").iterdir())
    assert [f.name for f in files] == [f"{one.account_number}_{one.bill_number}.pdf"]
    result = _bill(demo_url, "--period", "2026-05")
    assert "exactly one of --out" in str(result.exception)


def test_bill_pdf_one_bill_by_number_is_the_batch_page(demo_url: str, tmp_path: Path) -> None:
    """Issue 19, point 4: ``ebs bill pdf --bill NUMBER --out F.pdf`` through the top-level
    group prints that one bill, as the batch does; counted words read right."""
    result = CliRunner().invoke(cli, ["--db", demo_url, "bill", "pdf", "--period", "2026-05",
                                      "--out", str(tmp_path / "run.pdf")])
    assert result.exit_code == 0, result.output
    batch = [p.extract_text() for p in PdfReader(tmp_path / "run.pdf").pages]
    db = open_database(demo_url)
    one = bill_documents(db, system_actor("t"), "2026-05")[1]
    db.dispose()
    result = CliRunner().invoke(cli, ["--db", demo_url, "bill", "pdf", "--bill",
                                      one.bill_number, "--out", str(tmp_path / "one.pdf")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 bill, 1 page written to ")
    pages = PdfReader(tmp_path / "one.pdf").pages
    assert len(pages) == 1 and pages[0].extract_text() == batch[1]
    result = CliRunner().invoke(cli, ["--db", demo_url, "bill", "pdf", "--bill", "B1999-x",
                                      "--out", str(tmp_path / "none.pdf")])
    assert result.exit_code == 1 and "no bill 'B1999-x'" in result.output
    result = CliRunner().invoke(cli, ["--db", demo_url, "bill", "pdf", "--bill",
                                      one.bill_number, "--period", "2026-05",
                                      "--out", str(tmp_path / "both.pdf")])
    assert result.exit_code == 1 and "--period YYYY-MM (all its bills) or --bill" in result.output


def test_bill_pdf_refuses_a_cancelled_bill(demo_url: str, tmp_path: Path) -> None:
    from ebs_desktop.services.billing.corrections import cancel_bill

    db = open_database(demo_url)
    one = bill_documents(db, system_actor("t"), "2026-05")[0]
    note = cancel_bill(db, system_actor("t"), one.bill_number, "wrong reading")
    db.dispose()
    result = CliRunner().invoke(cli, ["--db", demo_url, "bill", "pdf", "--bill",
                                      one.bill_number, "--out", str(tmp_path / "c.pdf")])
    assert result.exit_code == 1
    assert f"cancelled by credit note {note.number}" in result.output


def test_bill_pdf_counts_one_bill_in_the_singular(demo_url: str, tmp_path: Path) -> None:
    db = open_database(demo_url)
    one = bill_documents(db, system_actor("t"), "2026-05")[0]
    db.dispose()
    result = CliRunner().invoke(cli, ["--db", demo_url, "bill", "pdf", "--period", "2026-05",
                                      "--account", one.account_number,
                                      "--out", str(tmp_path / "a.pdf")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 bill, 1 page written to "), result.output
