"""Reports page over a real demo database: a manager picks a report and its days, the
preview shows its rows, and it is printed (to a PDF file printer) and saved as PDF, CSV
and XLSX with the same builders as ``ebs report``."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.reports import ReportsPage, report_title, table_rows
from ebs_desktop.gui.qt import QPrinter, Qt
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.services.reports import REPORTS, ReportRange
from tests.gui.conftest import DEMO_PASSWORDS


def reports_page(qtbot: QtBot, hub: ServiceHub) -> ReportsPage:
    user = backend_for(hub).authenticate("manager", DEMO_PASSWORDS["manager"])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub), "demo")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.show_page("reports")
    page = window.pages["reports"]
    assert isinstance(page, ReportsPage)
    return page


def test_manager_previews_prints_and_saves_a_report(qtbot: QtBot, demo_hub: ServiceHub,
                                                    tmp_path: Path) -> None:
    page = reports_page(qtbot, demo_hub)
    assert page.reports.count() == len(REPORTS)
    names = [page.reports.item(i).data(Qt.ItemDataRole.UserRole)
             for i in range(page.reports.count())]
    page.reports.setCurrentRow(names.index("daily-collections"))
    assert page.reports.currentItem().text() == report_title("daily-collections")
    assert not page.print_button.isEnabled()  # nothing to print before a preview
    page.set_days(date(2026, 5, 1), date(2026, 6, 30))
    page.reports.setFocus()
    qtbot.keyClick(page.reports, Qt.Key.Key_Return)  # Enter previews
    report = page.report
    assert report is not None
    data_rows = sum(len(section.rows) for section in report.all_sections())
    assert data_rows > 0 and page.model.rowCount() == len(table_rows(report)[0]) >= data_rows
    assert page.model.columnCount() == len(report.columns)
    assert page.model.index(0, 0).data()  # formatted text, not empty
    assert report.title in page.heading.text()
    assert page.print_button.isEnabled() and page.save_button.isEnabled()
    # saved in the three formats
    for suffix in ("csv", "xlsx", "pdf"):
        page.save(tmp_path / f"collections.{suffix}")
    with open(tmp_path / "collections.csv", newline="", encoding="utf-8") as f:
        lines = list(csv.reader(f))
    assert lines[0][-len(report.columns):] == [c.title for c in report.columns]
    assert len(lines) > data_rows
    sheet = load_workbook(tmp_path / "collections.xlsx").active
    assert sheet is not None and sheet.max_row > data_rows
    assert len(PdfReader(tmp_path / "collections.pdf").pages) >= 1
    # printed: a PDF printer stands in for the office printer
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    page.print_report(printer=printer)
    printed = PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) >= 1
    assert report.columns[0].title in printed.pages[0].extract_text()


def test_days_the_wrong_way_round_are_refused_on_the_page(qtbot: QtBot,
                                                          demo_hub: ServiceHub) -> None:
    page = reports_page(qtbot, demo_hub)
    page.set_days(date(2026, 6, 30), date(2026, 5, 1))
    page.preview()
    assert page.report is None and "before" in page.status.text()


def test_every_report_in_the_registry_previews(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    page = reports_page(qtbot, demo_hub)
    page.set_days(date(2026, 1, 1), date(2026, 6, 30))
    for row in range(page.reports.count()):
        page.report = None
        page.reports.setCurrentRow(row)
        page.preview()
        assert page.report is not None, page.status.text()
        assert page.model.columnCount() == len(page.report.columns)


def test_each_report_opens_with_its_own_days(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    """The last complete month, twelve months for a trend, today for arrears (no "from"),
    never an empty month-to-date."""
    page = reports_page(qtbot, demo_hub)
    names = [page.reports.item(i).data(Qt.ItemDataRole.UserRole)
             for i in range(page.reports.count())]
    today = date.today()
    month_start = today.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    page.reports.setCurrentRow(names.index("daily-collections"))
    assert page.report_range() == ReportRange(last_month_end.replace(day=1), last_month_end)
    page.reports.setCurrentRow(names.index("revenue"))
    rng = page.report_range()
    assert rng.date_to == last_month_end and len(rng.periods) == 12
    assert rng.date_from.day == 1
    page.reports.setCurrentRow(names.index("arrears-aging"))
    assert page.days_label.text() == "As of"
    assert page.date_from.isHidden() and page.to_label.isHidden()
    assert page.report_range() == ReportRange(today, today)
    page.reports.setCurrentRow(names.index("reading-completeness"))
    assert not page.date_from.isHidden() and page.days_label.text() == "Days"


def test_preview_shows_the_pdf_chart_and_whole_kwh(qtbot: QtBot, demo_hub: ServiceHub,
                                                   tmp_path: Path) -> None:
    page = reports_page(qtbot, demo_hub)
    names = [page.reports.item(i).data(Qt.ItemDataRole.UserRole)
             for i in range(page.reports.count())]
    page.reports.setCurrentRow(names.index("consumption-trends"))
    page.set_days(date(2026, 3, 1), date(2026, 6, 30))
    page.preview()
    report = page.report
    assert report is not None and report.chart is not None
    assert not page.chart.isHidden()
    image = page.chart.pixmap().toImage()
    assert image.width() > 300
    # the drawing has ink: not one colour (a blank or black box would be)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 3
    kwh = [c.title for c in report.columns].index("kWh")
    texts = [page.model.index(r, kwh).data() for r in range(page.model.rowCount())]
    figures = [t for t in texts if t]
    assert figures and all("." not in t for t in figures)  # whole kWh
    assert any("," in t for t in figures)  # thousands grouped
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)  # printed with its chart
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "trends.pdf"))
    page.print_report(printer=printer)
    assert len(PdfReader(tmp_path / "trends.pdf").pages[0].images) == 1
    page.reports.setCurrentRow(names.index("reading-completeness"))
    page.preview()
    assert page.report is not None and page.report.chart is None and page.chart.isHidden()


def test_preview_columns_are_not_clipped(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    page = reports_page(qtbot, demo_hub)
    page.window().resize(1366, 768)
    metrics = page.view.fontMetrics()
    for row in range(page.reports.count()):
        page.reports.setCurrentRow(row)
        page.set_days(date(2026, 1, 1), date(2026, 6, 30))
        page.preview()
        model, view = page.model, page.view
        for column in range(model.columnCount()):
            width = view.columnWidth(column)
            for r in range(model.rowCount()):
                if view.columnSpan(r, column) > 1:
                    continue
                text = model.index(r, column).data() or ""
                assert metrics.horizontalAdvance(text) + 6 <= width, (page.current_name(), text)
