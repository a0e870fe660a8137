"""The cash counter over a real demo database and a receipt printer listening on a local
TCP socket: a clerk opens a shift, finds an account by number and by scanning the bill's
code, takes a cash payment with change, the receipt bytes reach the printer, a duplicate
is reprinted, a supervisor approves a reversal (paid out of the drawer), and the shift
closes with a blind count and a Z-report."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from ebs_desktop.domain.money import Money
from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.dialogs.counter_dialogs import (
    BlindCountDialog,
    ReceiptPickDialog,
    ZReportDialog,
)
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.counter import CounterPage, scanned_amount
from ebs_desktop.gui.qt import QApplication, Qt
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.gui.widgets import money_text
from ebs_desktop.persistence.models import Account, Printer
from ebs_desktop.reports.payment_code import payment_barcode_value
from ebs_desktop.services.counter.position import account_position
from tests.gui.conftest import DEMO_PASSWORDS


class PrinterServer:
    """A receipt printer on 127.0.0.1: collects every job's bytes."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = int(self.sock.getsockname()[1])
        self.jobs: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while chunk := conn.recv(65536):
                    data += chunk
                self.jobs.append(data)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def printer(demo_hub: ServiceHub) -> Iterator[PrinterServer]:
    server = PrinterServer()
    with demo_hub.db.write() as s:  # the demo's counter printer, pointed at our socket
        s.execute(update(Printer).values(kind="network", target=f"127.0.0.1:{server.port}"))
    yield server
    server.close()


def counter_page(qtbot: QtBot, hub: ServiceHub) -> tuple[MainWindow, CounterPage]:
    user = backend_for(hub).authenticate("clerk", DEMO_PASSWORDS["clerk"])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub), "demo")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page("counter")
    page = window.pages["counter"]
    assert isinstance(page, CounterPage)
    return window, page


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    """An F-key pressed wherever the focus is, as the clerk does."""
    qtbot.keyClick(QApplication.focusWidget() or window, key)


def account_with_open_bill(hub: ServiceHub) -> tuple[str, str, Money]:
    actor = hub.require_actor()
    with hub.db.read() as s:
        numbers = list(s.scalars(select(Account.account_number).order_by(Account.id)))
    for number in numbers:
        position = account_position(hub.db, actor, number)
        if position.open_bills:
            bill = position.open_bills[-1]
            return number, bill.bill_number, bill.open_amount
    raise AssertionError("the demo has no open bill")


def test_clerk_takes_a_cash_payment_and_the_receipt_prints(
        qtbot: QtBot, demo_hub: ServiceHub, printer: PrinterServer) -> None:
    window, page = counter_page(qtbot, demo_hub)
    assert page.shift.counter == "C01" and page.shift.info is None
    assert "closed" in window.status_shift.text()
    # F5 opens the shift with the float typed in
    page.shift.float_edit.setText("150.00")
    press(qtbot, window, Qt.Key.Key_F5)
    info = page.shift.info
    assert info is not None and info.opening_float == Money.of("150", info.opening_float.currency)
    assert str(info.shift_id) in window.status_shift.text()
    assert "C01" in window.status_counter.text()
    number, bill_number, open_amount = account_with_open_bill(demo_hub)
    # typed account number + Enter
    press(qtbot, window, Qt.Key.Key_F2)
    assert page.find_edit.hasFocus()
    qtbot.keyClicks(page.find_edit, number)
    qtbot.keyClick(page.find_edit, Qt.Key.Key_Return)
    assert page.position is not None and page.position.account_number == number
    balance_before = page.position.balance
    # a keyboard-wedge scanner types the bill's code and Enter: straight to the account,
    # with the bill's amount in the payment form
    page.position = None
    code = payment_barcode_value(number, bill_number, open_amount)
    assert scanned_amount(code, open_amount.currency) == open_amount
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.keyClicks(page.find_edit, code)
    qtbot.keyClick(page.find_edit, Qt.Key.Key_Return)
    assert page.position is not None and page.position.account_number == number
    assert page.amount.text() == str(open_amount.amount)
    assert page.amount.hasFocus()
    # the customer hands over more than the bill: change is shown as it is typed
    given = open_amount + Money.of("20", open_amount.currency)
    qtbot.keyClick(page.amount, Qt.Key.Key_Tab)
    page.tendered.setFocus()
    qtbot.keyClicks(page.tendered, str(given.amount))
    assert page.change.text() == money_text(Money.of("20", open_amount.currency))
    qtbot.keyClick(page.tendered, Qt.Key.Key_Return)
    result = page.last_result
    assert result is not None and result.amount == open_amount
    assert result.change == Money.of("20", open_amount.currency)
    assert page.position.balance == balance_before - open_amount
    assert page.last_print is not None and page.last_print.printed == 1
    qtbot.waitUntil(lambda: len(printer.jobs) == 1, timeout=5000)
    job = printer.jobs[0]
    assert job.startswith(b"\x1b@") and result.receipt_number.encode() in job
    assert number.encode() in job and b"DUPLICATE" not in job
    assert page.payments_model.rowCount() == 1
    assert page.payments_model.index(0, 0).data() == result.receipt_number
    # F4: the last receipt is proposed with its text; "Print duplicate" prints it again
    press(qtbot, window, Qt.Key.Key_F4)
    pick = page.shift.dialog
    assert isinstance(pick, ReceiptPickDialog) and pick.isVisible()
    assert pick.number() == result.receipt_number
    assert result.receipt_number in pick.preview.toPlainText()
    assert number in pick.preview.toPlainText()
    pick.act.click()
    qtbot.waitUntil(lambda: len(printer.jobs) == 2, timeout=5000)
    assert b"DUPLICATE" in printer.jobs[1] and result.receipt_number.encode() in printer.jobs[1]
    # F8: the reversal needs a supervisor; a wrong password is refused
    page.payments.selectRow(0)
    press(qtbot, window, Qt.Key.Key_F8)
    dialog = page.shift.dialog
    assert isinstance(dialog, ReceiptPickDialog) and dialog.isVisible()
    assert dialog.number() == result.receipt_number
    dialog.reason.setText("wrong account")
    dialog.username.setText("manager")
    dialog.password.setText("not-the-password")
    dialog.accept()
    assert page.shift.last_reversal is None and page.error.isVisible()
    assert "password" in page.error.text().lower()
    press(qtbot, window, Qt.Key.Key_F8)
    dialog = page.shift.dialog
    dialog.reason.setText("wrong account")
    dialog.username.setText("manager")
    dialog.password.setText(DEMO_PASSWORDS["manager"])
    dialog.accept()
    reversal = page.shift.last_reversal
    assert reversal is not None and reversal.reverses == result.receipt_number
    assert page.position.balance == balance_before
    assert page.payments_model.index(0, 4).data() == "✓"
    # F9: blind count (the float plus what stayed in the drawer), then the Z-report
    press(qtbot, window, Qt.Key.Key_F9)
    count = page.shift.dialog
    assert isinstance(count, BlindCountDialog)
    count.set_pieces("100", 1)
    count.set_pieces("50", 1)
    assert count.cash_total() == Money.of("150", open_amount.currency)
    count.buttons.accepted.emit()
    closed = page.shift.last_close
    assert closed is not None and closed.shift_id == info.shift_id
    # the reversal paid the cash back out of this drawer: the float is all there should be
    assert closed.total_difference == Money.zero(open_amount.currency)
    assert "Paid out (reversal of" in page.shift.z_text
    assert page.shift.info is None and "closed" in window.status_shift.text()
    assert "Z" in page.shift.z_text and str(info.shift_id) in page.shift.z_text
    assert isinstance(page.shift.dialog, ZReportDialog) and page.shift.dialog.isVisible()


def test_a_scan_that_is_not_a_bill_code_is_just_a_search() -> None:
    assert scanned_amount("100000011", "USD") is None
    assert scanned_amount("Smith", "USD") is None
