"""A :class:`TableReport` as CSV and XLSX, with exact figures.

Why: managers take reports into spreadsheets; a figure there must be the stored figure.
CSV cells are plain strings (``1234.56``, ISO dates, UTF-8); XLSX cells are numbers whose
stored text is the exact decimal string of the Decimal (money as its major-unit Decimal),
formatted with the currency's decimal places. (openpyxl alone would write Decimals through
a float; see :func:`_exact`.)

Layout, the same in both: when the report has titled sections a first column ``Section``
names each row's section; totals rows follow their section's rows and the grand totals come
last. The XLSX sheet starts with the title and parameters above the table, freezes the
header row, and its last line carries the footer note (e.g. the audit head hash).

Text never becomes a formula: every cell goes through :mod:`spreadsheet_cells` (text that
starts with ``= + - @`` TAB or CR is quoted in CSV and stored as a string in XLSX; figures
stay figures).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ebs_desktop.domain.money import Money, currency_exponent
from ebs_desktop.reports.spreadsheet_cells import SafeCsvWriter, append_row
from ebs_desktop.reports.tabular import Cell, ChartSpec, Column, Row, TableReport


def _lines(report: TableReport) -> list[tuple[str, Row, bool]]:
    """(section title, row, is a totals row) in print order."""
    out: list[tuple[str, Row, bool]] = []
    for section in report.all_sections():
        out += [(section.title, row, False) for row in section.rows]
        if section.totals is not None:
            out.append((section.title, section.totals, True))
    if report.totals is not None:
        out.append(("", report.totals, True))
    return out


def _has_sections(report: TableReport) -> bool:
    return any(s.title for s in report.sections)


def write_csv(report: TableReport, out: Path | TextIO) -> None:
    """CSV with a header row of column titles; UTF-8 when written to a path."""
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8", newline="") as handle:
            write_csv(report, handle)
        return
    writer = SafeCsvWriter(out)
    sections = _has_sections(report)
    writer.writerow((["Section"] if sections else []) + [c.title for c in report.columns])
    for title, row, _total in _lines(report):
        writer.writerow(([title] if sections else []) + list(row))


def _number_format(column: Column, value: Cell) -> str | None:
    if isinstance(value, Money):
        places = currency_exponent(value.currency)
        return "#,##0" + ("." + "0" * places if places else "")
    if column.kind == "decimal":
        return "#,##0" + ("." + "0" * column.places if column.places else "") \
            if column.places is not None else "General"
    if column.kind == "int":
        return "#,##0"
    if column.kind == "date":
        return "yyyy-mm-dd"
    return None


def _exact(cell: Any, value: Decimal) -> None:
    """Store the Decimal's own digits in the sheet XML.

    openpyxl writes numbers through ``"%.16g" % value``, which turns ``Decimal("0.07")`` into
    a float and writes ``0.07000000000000001``. The cell stays numeric (type ``n``); only
    the text written for it is replaced by the exact decimal string.
    """
    cell.value = value
    cell._value = format(value, "f")


def write_xlsx(report: TableReport, path: Path) -> None:
    """One worksheet named after the report; numbers stay numbers, exactly."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "".join(ch for ch in report.title if ch not in "[]:*?/\\")[:31] or "Report"
    append_row(ws, [report.title])
    ws["A1"].font = Font(bold=True, size=14)
    if report.subtitle:
        append_row(ws, [report.subtitle])
    for key, text in report.parameters:
        append_row(ws, [key, text])
    append_row(ws, [f"Generated {report.generated_at.isoformat(' ')}"])
    append_row(ws, [])
    sections = _has_sections(report)
    offset = 1 if sections else 0
    header = (["Section"] if sections else []) + [c.title for c in report.columns]
    header_row = append_row(ws, header)
    fill = PatternFill("solid", fgColor="E8F1FB")
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = f"A{header_row + 1}"  # a string: ws.cell() would add an empty row
    bold = Font(bold=True)
    for title, row, is_total in _lines(report):
        values: list[object] = [title] if sections else []
        values += [v.amount if isinstance(v, Money) else v for v in row]
        r = append_row(ws, values)
        for i, (column, value) in enumerate(zip(report.columns, row, strict=True)):
            number_format = _number_format(column, value)
            cell = ws.cell(row=r, column=i + 1 + offset)
            if isinstance(value, Money | Decimal):
                _exact(cell, value.amount if isinstance(value, Money) else value)
            if number_format and value is not None:
                cell.number_format = number_format
            if is_total:
                cell.font = bold
    if report.footer_note:
        append_row(ws, [])
        append_row(ws, [report.footer_note])
    for i, heading in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(heading) + 4))
    if report.chart is not None:
        _chart_sheet(wb, report.chart)
    wb.save(path)


def _chart_sheet(wb: Workbook, spec: ChartSpec) -> None:
    """The chart's figures on their own sheet, with a native Excel chart over them."""
    ws = wb.create_sheet("Chart")
    append_row(ws, ["", *(series.name for series in spec.series)])
    for k, category in enumerate(spec.categories):
        append_row(ws, [category, *(series.values[k] for series in spec.series)])
        for col, series in enumerate(spec.series, start=2):
            _exact(ws.cell(row=k + 2, column=col), series.values[k])
    chart: BarChart | LineChart = BarChart() if spec.kind == "bar" else LineChart()
    chart.title = spec.title
    chart.y_axis.title = spec.unit or None
    rows = len(spec.categories) + 1
    chart.add_data(Reference(ws, min_col=2, max_col=len(spec.series) + 1, min_row=1,
                             max_row=rows), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=rows))
    chart.width, chart.height = 24, 12
    ws.add_chart(chart, f"{get_column_letter(len(spec.series) + 3)}2")
