"""Reports page over a real demo database: a manager picks a report and its days, the
preview shows its rows, and it is printed (to a PDF file printer) and saved as PDF, CSV
and XLSX with the same builders as ``ebs report``."""

from __future__ import annotations

import csv
from datetime import date
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
from ebs_desktop.services.reports import REPORTS
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
    assert data_rows > 0 and page.model.rowCount() == len(table_rows(report)) >= data_rows
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
