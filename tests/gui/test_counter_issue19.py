"""The counter as a clerk uses it all day (issue 19, points 6-8): a search by a word of the
name shows balances and "Take payment" on the Customers screen opens the counter with the
account; F4/F8 act on the receipt picked in "Payments this shift" with its text shown; the
last account's messages go when the next one loads; a refusal is said in plain words on a
visible line; the Z-report is a document that prints and saves as a PDF with the over/short
per tender in words; the blind count's spin boxes have their arrows."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader
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
from ebs_desktop.gui.pages.counter import CounterPage
from ebs_desktop.gui.pages.customers import CustomersPage
from ebs_desktop.gui.qt import QPrinter, Qt
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.gui.theme import style_sheet
from ebs_desktop.gui.widgets import money_text
from ebs_desktop.persistence.models import Account, Customer
from tests.gui.conftest import DEMO_PASSWORDS
from tests.gui.test_counter_page import account_with_open_bill, press


def signed_in(qtbot: QtBot, hub: ServiceHub, role: str) -> MainWindow:
    user = backend_for(hub).authenticate(role, DEMO_PASSWORDS[role])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub), "demo")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def name_the_customer(hub: ServiceHub, number: str, name: str) -> None:
    with hub.db.write() as s:
        customer_id = s.scalar(select(Account.customer_id)
                               .where(Account.account_number == number))
        s.execute(update(Customer).where(Customer.id == customer_id).values(name=name))
    # the words as the store keeps them on an edit
    from ebs_desktop.persistence.stores.accounts import set_customer_words
    with hub.db.write() as s:
        address = s.scalar(select(Customer.address).where(Customer.id == customer_id))
        set_customer_words(s, int(customer_id), name, str(address))


def test_a_word_of_the_name_then_take_payment_opens_the_counter(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    window = signed_in(qtbot, demo_hub, "clerk")
    number, _bill, _open = account_with_open_bill(demo_hub)
    name_the_customer(demo_hub, number, "Patricia Haddadova")
    window.show_page("customers")
    page = window.pages["customers"]
    assert isinstance(page, CustomersPage)
    assert page.pay_button.isVisible() and not page.pay_button.isEnabled()
    page.search.setText("haddadova")
    page.debounce.flush()
    assert page.model.rowCount() == 1
    balance = page.model.index(0, 2)
    assert balance.data() and re.search(r"\d", balance.data())
    page.table.selectRow(0)
    assert page.loaded_account == number and page.pay_button.isEnabled()
    page.pay_button.click()
    assert window.current_page() == "counter"
    counter = window.pages["counter"]
    assert isinstance(counter, CounterPage)
    assert counter.position is not None and counter.position.account_number == number
    assert counter.amount.text() == str(counter.position.owed.amount)
    # the counter's own search finds the same by a typo of the word, balance shown
    counter.find_edit.setText("hadadova patricia")
    counter.find_account()
    assert counter.position.account_number == number
    assert money_text(counter.position.balance) == counter.balance_label.text()


def test_a_reader_has_no_take_payment(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    window = signed_in(qtbot, demo_hub, "billing")
    window.show_page("customers")
    assert not window.pages["customers"].pay_button.isVisible()  # type: ignore[attr-defined]


def test_receipts_are_picked_and_read_messages_clear_and_errors_are_plain(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    window = signed_in(qtbot, demo_hub, "clerk")
    window.show_page("counter")
    page = window.pages["counter"]
    assert isinstance(page, CounterPage)
    page.shift.float_edit.setText("100.00")
    press(qtbot, window, Qt.Key.Key_F5)
    first, _b, _o = account_with_open_bill(demo_hub)
    page.load_account(first)
    owed = page.position.owed if page.position else Money.zero("USD")
    # more owed than handed over: said in plain words, on the visible error line
    page.tendered.setText(str((owed - Money.of("0.05", owed.currency)).amount))
    page.take_payment()
    assert page.error.isVisible()
    short = money_text(Money.of("0.05", owed.currency)).lstrip("$")
    assert page.error.text().startswith("The tenders add up to ")
    assert f"{short} short of" in page.error.text() and "tenders:" not in page.error.text()
    # two payments; the status line says the last one
    page.tendered.setText("")
    assert owed > Money.of("3", owed.currency)
    page.amount.setText("1.00")
    page.take_payment()
    receipt_one = page.last_result.receipt_number if page.last_result else ""
    page.load_account(first)
    page.amount.setText("2.00")
    page.take_payment()
    receipt_two = page.last_result.receipt_number if page.last_result else ""
    assert receipt_two in page.pay_status.text() and not page.error.isVisible()
    # the next account clears what was said about the last one
    page.load_account(first)
    assert page.pay_status.text() == "" and not page.error.isVisible()
    # F4 with the first payment selected: it is the one proposed, and its text is shown
    rows = [page.payments_model.index(r, 0).data() for r in range(page.payments_model.rowCount())]
    page.payments.selectRow(rows.index(receipt_one))
    press(qtbot, window, Qt.Key.Key_F4)
    pick = page.shift.dialog
    assert isinstance(pick, ReceiptPickDialog) and pick.number() == receipt_one
    assert receipt_one in pick.preview.toPlainText() and "1.00" in pick.preview.toPlainText()
    # choosing the other one shows the other text
    pick.choice.setCurrentIndex(pick.choice.findData(receipt_two))
    assert receipt_two in pick.preview.toPlainText() and "2.00" in pick.preview.toPlainText()
    pick.reject()
    # F8 proposes the selected one too, with the supervisor's fields
    press(qtbot, window, Qt.Key.Key_F8)
    rev = page.shift.dialog
    assert isinstance(rev, ReceiptPickDialog) and rev.number() == receipt_one
    assert rev.password.isVisible()
    rev.reject()


def test_the_z_report_is_a_document_with_over_short_in_words(
        qtbot: QtBot, demo_hub: ServiceHub, tmp_path: Path) -> None:
    window = signed_in(qtbot, demo_hub, "clerk")
    window.show_page("counter")
    page = window.pages["counter"]
    assert isinstance(page, CounterPage)
    page.shift.float_edit.setText("100.00")
    press(qtbot, window, Qt.Key.Key_F5)
    number, _b, _o = account_with_open_bill(demo_hub)
    page.load_account(number)
    page.amount.setText("2.00")
    page.take_payment()
    assert page.last_result is not None
    # the drawer holds the float and the 2.00, but the clerk counts 97.00: 5.00 short
    press(qtbot, window, Qt.Key.Key_F9)
    count = page.shift.dialog
    assert isinstance(count, BlindCountDialog)
    count.set_pieces("50", 1)
    count.set_pieces("20", 2)
    count.set_pieces("5", 1)
    count.set_pieces("2", 1)
    count.buttons.accepted.emit()
    z = page.shift.dialog if isinstance(page.shift.dialog, ZReportDialog) else None
    if z is None:  # the supervisor's approval may be on top; the report is still open
        z = next(w for w in window.findChildren(ZReportDialog))
    assert z.isVisible() and z.width() >= 800 and z.height() >= 600
    shown = z.document.toPlainText()
    assert "Cash short by 5.00" in shown
    pdf = tmp_path / "z.pdf"
    z.save_pdf(pdf)
    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "Z-report" in text and "Cash short by 5.00" in text
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    z.print_report(printer)
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(str(printed)).pages).split())
    assert "Cash short by 5.00" in words


def test_the_spin_box_arrows_have_images_that_exist() -> None:
    for theme in ("light", "dark"):
        sheet = style_sheet(theme)
        arrows = re.findall(r"QSpinBox::(?:up|down)-arrow \{ image: url\(([^)]+)\)", sheet)
        assert len(arrows) == 2
        for path in arrows:
            assert Path(path).is_file() and "<path" in Path(path).read_text()
