"""Issue 19, point 11: a bill printed from the account page is the batch's own PDF (shown,
printed, saved); a whole run is printed from the billing page with progress and Cancel."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.dialogs.bill_print import BillPrintDialog, pages_text, qt_pdf
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.customers import CustomersPage
from ebs_desktop.gui.qt import QApplication, QPrinter
from ebs_desktop.gui.tasks import SyncRunner, ThreadedRunner
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.facade import StaffServices
from tests.gui.conftest import DEMO_PASSWORDS
from tests.gui.test_billing_page import billing_page

SHOTS = Path("/tmp/bills-shots")


def _window(qtbot: QtBot, hub: ServiceHub, role: str) -> MainWindow:
    user = backend_for(hub).authenticate(role, DEMO_PASSWORDS[role])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub), "demo")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    return window


def _latest_bill(hub: ServiceHub) -> tuple[str, str]:
    from sqlalchemy import text

    with hub.db.read() as s:
        row = s.execute(text(
            "SELECT a.account_number, b.bill_number FROM bills b JOIN accounts a "
            "ON a.id = b.account_id ORDER BY b.period DESC, b.id LIMIT 1")).one()
    return str(row[0]), str(row[1])


def test_qt_pdf_is_there() -> None:
    assert qt_pdf() is not None, "PySide6-Pdf is a dependency: the preview needs it"


def test_a_bill_from_the_account_page_is_the_batch_pdf(qtbot: QtBot, demo_hub: ServiceHub,
                                                       tmp_path: Path) -> None:
    window = _window(qtbot, demo_hub, "billing")
    account, bill = _latest_bill(demo_hub)
    window.show_page("customers")
    page = window.pages["customers"]
    assert isinstance(page, CustomersPage)
    page.load_account(account)
    panel = page.panel
    assert not panel.print_bill_button.isHidden() and panel.print_bill_button.isEnabled()
    panel.tabs.setCurrentIndex(2)
    numbers = [panel.bills_model.index(r, 0).data() for r in range(panel.bills_model.rowCount())]
    row = numbers.index(bill)
    panel.bills.selectRow(row)
    panel.print_selected_bill()
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, BillPrintDialog) and w.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.addWidget(dialog)
    assert dialog.bill == bill and dialog.page_count == 1
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    assert "1 page" in dialog.status.text()
    # saved: the same bytes the batch writes for that bill
    saved = dialog.save_pdf(tmp_path / "saved.pdf")
    assert saved is not None
    staff = StaffServices(demo_hub.db, system_actor("test"))
    staff.billing.print_bills(tmp_path / "batch.pdf", bill=bill)
    text = PdfReader(saved).pages[0].extract_text()
    batch_text = PdfReader(tmp_path / "batch.pdf").pages[0].extract_text()
    assert text == batch_text and bill in text and account in text
    # printed: one page per bill page on the printer (a PDF printer here)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.print_bills(printer)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    assert dialog.status.text() == "Sent 1 page to the printer."
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 1
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "bill-print-dialog.png"))
    window.grab().save(str(SHOTS / "account-bills-tab.png"))


def test_a_clerk_sees_no_print_button(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    window = _window(qtbot, demo_hub, "clerk")
    account, _bill = _latest_bill(demo_hub)
    window.show_page("customers")
    page = window.pages["customers"]
    assert isinstance(page, CustomersPage)
    page.load_account(account)
    assert page.panel.print_bill_button.isHidden()


def test_printing_can_stop_between_pages(qtbot: QtBot, demo_hub: ServiceHub,
                                         tmp_path: Path) -> None:
    staff = StaffServices(demo_hub.db, system_actor("test"))
    out = tmp_path / "run.pdf"
    batch = staff.billing.print_bills(out, period="2026-05")
    assert batch.pages > 5
    window = _window(qtbot, demo_hub, "billing")
    dialog = BillPrintDialog(window.context, window, pdf=out)
    qtbot.addWidget(dialog)
    assert dialog.page_count == batch.pages
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.print_bills(printer)
    assert dialog.stop.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: dialog.job is not None and dialog.job.printed >= 2, timeout=20_000)
    dialog.stop.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    printed = len(PdfReader(tmp_path / "printed.pdf").pages)
    assert 2 <= printed < batch.pages
    assert dialog.status.text() == f"Printing stopped after {pages_text(printed)}."


def test_after_approval_the_run_prints_with_progress(qtbot: QtBot, demo_hub: ServiceHub,
                                                     tmp_path: Path) -> None:
    page = billing_page(qtbot, demo_hub, SyncRunner())
    assert not page.print_run_button.isEnabled()
    page.dry_run.click()
    assert not page.print_run_button.isEnabled()  # a dry run wrote no bill to print
    page.approve.click()
    run = page.last_result
    assert run is not None and not run.dry_run and run.bills > 0
    assert page.print_run_button.isEnabled()
    seen: list[tuple[int, int]] = []
    page.progress.valueChanged.connect(lambda v: seen.append((v, page.progress.maximum())))
    out = tmp_path / "run.pdf"
    page.print_run(out)
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) >= run.bills
    assert f"{run.bills} bills" in page.summary.text()
    assert seen and seen[-1] == (run.bills, run.bills)  # the progress bar followed the bills
    assert page.run_pdf.page_count == len(reader.pages)
    qtbot.addWidget(page.run_pdf)
    assert page.print_run_button.isEnabled()
    SHOTS.mkdir(exist_ok=True)
    page.window().resize(1366, 768)
    page.tabs.setCurrentIndex(1)
    page.window().grab().save(str(SHOTS / "billing-run-printed.png"))


def test_cancelling_the_run_printing_writes_no_file(qtbot: QtBot, demo_hub: ServiceHub,
                                                    tmp_path: Path) -> None:
    runner = ThreadedRunner("test-print")
    try:
        page = billing_page(qtbot, demo_hub, SyncRunner())
        page.dry_run.click()
        page.approve.click()
        page.context.runner = runner
        out = tmp_path / "run.pdf"
        page.print_run(out)
        page.cancel.click()
        qtbot.waitUntil(lambda: page.print_run_button.isEnabled(), timeout=60_000)
    finally:
        runner.shutdown(wait=True)
    if "cancelled" not in page.summary.text():
        pytest.skip("the run printed before the cancel arrived (too small to stop)")
    assert not out.exists()
    assert page.summary.text() == "Printing cancelled; no file was written."
