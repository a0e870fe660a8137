"""TableReport: exact figures through CSV and XLSX; PDF pages numbered, header repeated."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError
from ebs_desktop.reports.tabular import ChartSeries, ChartSpec, Column, Section, TableReport
from ebs_desktop.reports.tabular_export import write_csv, write_xlsx
from ebs_desktop.reports.tabular_pdf import render_table_pdf

COLUMNS = (Column("Counter"), Column("Receipts", "int"), Column("Day", "date"),
           Column("kWh", "decimal", places=3), Column("Amount", "money"))
# amounts whose float forms are inexact: 0.1 + 0.2 style figures and a large one
AMOUNTS = ("0.10", "0.20", "1234567.89", "0.07", "99999999.99", "-12.30")


def _report(rows_per_section: int = 3, chart: bool = False) -> TableReport:
    sections = []
    for s, name in enumerate(("Counter A", "Counter B")):
        rows = tuple((name, i, date(2026, 1, i % 28 + 1), Decimal("0.1") * i + Decimal("0.125"),
                      Money.of(AMOUNTS[(s + i) % len(AMOUNTS)], "USD"))
                     for i in range(rows_per_section))
        total = Money(sum(r[4].minor for r in rows), "USD")  # type: ignore[union-attr]
        sections.append(Section(name, rows, ("Subtotal", None, None, None, total)))
    grand = Money(sum(s.totals[4].minor for s in sections), "USD")  # type: ignore[index,union-attr]
    spec = ChartSpec("Collections", ("A", "B"), (ChartSeries("USD", (Decimal(5), Decimal(7))),))
    return TableReport("Daily collections", COLUMNS, sections=tuple(sections),
                       totals=("Total", None, None, None, grand),
                       parameters=(("Date", "2026-01-15"),), chart=spec if chart else None,
                       footer_note="Audit chain head 9f86d081884c7d65")


def test_csv_keeps_exact_figures(tmp_path: Path) -> None:
    report = _report()
    write_csv(report, tmp_path / "r.csv")
    rows = list(csv.reader((tmp_path / "r.csv").open(encoding="utf-8", newline="")))
    assert rows[0] == ["Section", "Counter", "Receipts", "Day", "kWh", "Amount"]
    body = [r for r in rows[1:] if r[1] not in ("Subtotal", "Total")]
    expected = [row for s in report.sections for row in s.rows]
    assert len(body) == len(expected)
    for got, want in zip(body, expected, strict=True):
        assert Money.of(got[5], "USD") == want[4]
        assert Decimal(got[4]) == want[3]
        assert got[3] == want[2].isoformat()  # type: ignore[union-attr]
    assert rows[-1][1] == "Total" and Money.of(rows[-1][5], "USD") == report.totals[4]  # type: ignore[index]


def test_xlsx_keeps_exact_figures(tmp_path: Path) -> None:
    report = _report(rows_per_section=6)
    path = tmp_path / "r.xlsx"
    write_xlsx(report, path)
    ws = load_workbook(path).active
    assert ws is not None
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Section")
    first = report.sections[0].rows
    values = [ws.cell(r, 6) for r in range(header + 1, header + 1 + len(first))]
    for cell, row in zip(values, first, strict=True):
        assert Decimal(repr(cell.value)) == row[4].amount  # type: ignore[union-attr]
        assert cell.number_format == "#,##0.00"
    # the stored XML holds the exact decimal strings, not binary float noise
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    stored = set(re.findall(r"<v>(-?[0-9.]+)</v>", xml))
    assert {"0.10", "0.20", "1234567.89", "0.07", "99999999.99", "-12.30"} <= stored
    assert ws.freeze_panes == f"A{header + 1}"


def test_pdf_pages_are_numbered_and_header_repeats(tmp_path: Path) -> None:
    report = _report(rows_per_section=60, chart=True)
    path = tmp_path / "r.pdf"
    render_table_pdf(report, path)
    pages = [p.extract_text() for p in PdfReader(path).pages]
    assert len(pages) >= 3
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in text
        assert "Amount (USD)" in text  # repeated header row
    everything = "\n".join(pages)
    assert "1,234,567.89" in everything and "99,999,999.99" in everything
    assert "Audit chain head 9f86d081884c7d65" in everything


def test_float_in_a_money_column_is_refused() -> None:
    with pytest.raises(ValidationError, match="row 2 column 'Amount'"):
        TableReport("R", COLUMNS, rows=(("A", 1, None, None, Money(1, "USD")),
                                        ("A", 1, None, None, 0.1)))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="totals: 1 cells for 5 columns"):
        TableReport("R", COLUMNS, totals=("A",))


def test_csv_to_a_text_stream_is_utf8_clean() -> None:
    report = TableReport("R", (Column("Name"), Column("Amount", "money")),
                         rows=(("Zoë Łukasiewicz", Money.of("-0.05", "EUR")),))
    buffer = io.StringIO()
    write_csv(report, buffer)
    assert buffer.getvalue() == "Name,Amount\r\nZoë Łukasiewicz,-0.05\r\n"


def test_pdf_wraps_long_text_and_prints_non_latin_names(tmp_path: Path) -> None:
    from ebs_desktop.reports.pdf_text import unicode_font

    if unicode_font(False) is None:
        pytest.skip("no Unicode TrueType font on this machine (DejaVu/Arial)")
    long = "Disconnection notice served, customer disputes the reading of 2026-01-31 " * 2
    report = TableReport(
        "Defaulters", (Column("Customer"), Column("Note", width=3), Column("Due", "money")),
        rows=(("Łukasz Żółć", long.strip(), Money.of("12.34", "PLN")),
              ("Иван Петров", "-", Money.of("0.05", "PLN"))))
    path = tmp_path / "d.pdf"
    render_table_pdf(report, path)
    (text,) = [p.extract_text() for p in PdfReader(path).pages]
    assert "Łukasz Żółć" in text and "Иван Петров" in text
    assert "Due (PLN)" in text and "12.34" in text
    # the note wrapped onto more than one line instead of running over the next column
    note_lines = [line for line in text.splitlines() if "customer disputes" in line]
    assert len(note_lines) >= 2


def test_xlsx_chart_sheet_holds_the_chart_figures(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    write_xlsx(_report(chart=True), path)
    book = load_workbook(path)
    sheet = book["Chart"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        [None, "USD"], ["A", 5], ["B", 7]]
    (chart,) = sheet._charts
    assert type(chart).__name__ == "BarChart"
    assert any(n.startswith("xl/charts/chart") for n in zipfile.ZipFile(path).namelist())
