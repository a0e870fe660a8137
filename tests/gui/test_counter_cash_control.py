"""Cash control on the real counter page (issue 17): a paid bill scanned again proposes
nothing, taking more than is owed needs a confirmation, a payment above the limit a
supervisor's sign-in, another clerk's shift is not worked, and a counter whose last shift
awaits approval asks for the supervisor before a new shift opens."""

from __future__ import annotations

import json

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from ebs_desktop.domain.cash import CashTender
from ebs_desktop.domain.money import Money
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.dialogs.counter_dialogs import CreditConfirmDialog, SupervisorDialog
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.counter import CounterPage
from ebs_desktop.gui.qt import Qt
from ebs_desktop.persistence.models import AuditEntry, Payment
from ebs_desktop.reports.payment_code import payment_barcode_value
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import close_shift, open_shift, post_payment
from ebs_desktop.services.counter.position import account_position
from ebs_desktop.services.settings import update_settings
from tests.gui.conftest import DEMO_PASSWORDS
from tests.gui.test_counter_page import account_with_open_bill, counter_page, press


def payments(hub: ServiceHub) -> int:
    with hub.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Payment)) or 0)


def open_my_shift(qtbot: QtBot, hub: ServiceHub) -> tuple[MainWindow, CounterPage]:
    window, page = counter_page(qtbot, hub)
    page.shift.float_edit.setText("100.00")
    press(qtbot, window, Qt.Key.Key_F5)
    assert page.shift.info is not None and page.shift.info.clerk == "clerk"
    return window, page


def test_a_paid_bill_scanned_again_proposes_nothing_and_a_credit_needs_confirming(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    window, page = open_my_shift(qtbot, demo_hub)
    number, bill_number, face = account_with_open_bill(demo_hub)
    clerk = demo_hub.require_actor()
    owed = account_position(demo_hub.db, clerk, number).owed
    post_payment(demo_hub.db, clerk, "C01", number, [CashTender(owed)], "pay-all")
    before = payments(demo_hub)
    # the customer comes back with the same bill: its code is scanned again
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.keyClicks(page.find_edit, payment_barcode_value(number, bill_number, face))
    qtbot.keyClick(page.find_edit, Qt.Key.Key_Return)
    assert page.position is not None and page.position.account_number == number
    assert page.amount.text() == "0.00"  # not the bill's face amount
    assert f"Bill {bill_number} is already paid" in page.pay_status.text()
    assert page.credit_warning.isHidden()
    # the clerk types the face amount anyway: the form warns at once
    page.amount.selectAll()
    qtbot.keyClicks(page.amount, str(face.amount))
    assert page.credit_warning.isVisible()
    assert f"{face.amount}" in page.credit_warning.text().replace(",", "")
    # Enter asks first; Enter again (by habit) cancels: nothing is taken
    qtbot.keyClick(page.amount, Qt.Key.Key_Return)
    dialog = page.dialog
    assert isinstance(dialog, CreditConfirmDialog) and dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible() and payments(demo_hub) == before
    assert "Not taken" in page.pay_status.text()
    # confirmed deliberately: the money is taken and stays as credit
    qtbot.keyClick(page.amount, Qt.Key.Key_Return)
    dialog = page.dialog
    assert isinstance(dialog, CreditConfirmDialog) and dialog.isVisible()
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    result = page.last_result
    assert result is not None and result.amount == face and result.credit == face
    assert payments(demo_hub) == before + 1
    assert page.position.balance == Money.zero(face.currency) - face


def test_a_payment_above_the_limit_asks_a_supervisor_to_sign_in(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    update_settings(demo_hub.db, system_actor("admin"), {"payment_supervisor_limit": "1.00"})
    window, page = open_my_shift(qtbot, demo_hub)
    number, _bill, _face = account_with_open_bill(demo_hub)
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.keyClicks(page.find_edit, number)
    qtbot.keyClick(page.find_edit, Qt.Key.Key_Return)
    owed = page.position.owed
    assert page.amount.text() == str(owed.amount) and page.credit_warning.isHidden()
    before = payments(demo_hub)
    qtbot.keyClick(page.amount, Qt.Key.Key_Return)
    dialog = page.dialog
    assert isinstance(dialog, SupervisorDialog) and dialog.isVisible()
    dialog.username.setText("manager")
    dialog.password.setText("not-the-password")
    dialog.accept()
    assert payments(demo_hub) == before and page.error.isVisible() and page.error.text()
    qtbot.keyClick(page.amount, Qt.Key.Key_Return)
    dialog = page.dialog
    assert isinstance(dialog, SupervisorDialog)
    dialog.username.setText("manager")
    dialog.password.setText(DEMO_PASSWORDS["manager"])
    dialog.accept()
    assert page.last_result is not None and page.last_result.amount == owed
    with demo_hub.db.read() as s:
        after = s.scalar(select(AuditEntry.after).where(AuditEntry.action == "payment.post")
                         .order_by(AuditEntry.id.desc()).limit(1))
    assert json.loads(after or "{}")["supervisor"] == "manager"


def test_another_clerks_open_shift_is_not_worked(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    clara = login(demo_hub.db, "clerk2", DEMO_PASSWORDS["clerk"])
    open_shift(demo_hub.db, clara, "C01", Money.of("50", "USD"))
    window, page = counter_page(qtbot, demo_hub)
    assert page.shift.info is not None and page.shift.info.clerk == "clerk2"
    assert "only clerk2" in page.shift.label.text()
    assert "of clerk2" in window.status_shift.text()
    assert not page.shift.close_button.isEnabled() and not page.shift.mine
    assert not page.shift.open_button.isEnabled()
    number, _bill, _face = account_with_open_bill(demo_hub)
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.keyClicks(page.find_edit, number)
    qtbot.keyClick(page.find_edit, Qt.Key.Key_Return)
    before = payments(demo_hub)
    qtbot.keyClick(page.amount, Qt.Key.Key_Return)
    assert payments(demo_hub) == before
    assert "belongs to clerk2" in page.error.text()


def test_opening_after_an_unapproved_short_shift_asks_for_the_supervisor(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    clerk = login(demo_hub.db, "clerk", DEMO_PASSWORDS["clerk"])
    open_shift(demo_hub.db, clerk, "C01", Money.of("100", "USD"))
    short = close_shift(demo_hub.db, clerk, "C01", {})
    assert short.needs_approval
    window, page = counter_page(qtbot, demo_hub)
    page.shift.float_edit.setText("100.00")
    press(qtbot, window, Qt.Key.Key_F5)
    assert page.shift.info is None
    assert "awaits a supervisor's approval" in page.error.text()
    dialog = page.shift.approval_dialog
    assert isinstance(dialog, SupervisorDialog) and dialog.isVisible()
    dialog.username.setText("manager")
    dialog.password.setText(DEMO_PASSWORDS["manager"])
    dialog.accept()
    assert page.shift.info is not None and page.shift.mine  # approved, then opened
