"""The desktop app over the real services and a real SQLite demo database."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from ebs_desktop.gui.app import backend_for, load_backend
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.dialogs.login import LoginDialog
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.customers import CustomersPage
from ebs_desktop.gui.qt import Qt
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.persistence.models import Account, Customer, Meter, MeterInstallation, Premise
from tests.gui.conftest import DEMO_PASSWORDS


def signed_in(qtbot: QtBot, hub: ServiceHub, username: str) -> MainWindow:
    backend = backend_for(hub)
    user = backend.authenticate(username, DEMO_PASSWORDS[username])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub),
                        backend.database)
    qtbot.addWidget(window)
    return window


def test_login_dialog_with_real_auth_and_lockout(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    backend = backend_for(demo_hub)
    assert backend.has_users()
    dialog = LoginDialog(backend.authenticate)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "clerk")
    for attempt in range(5):
        qtbot.keyClicks(dialog.password, f"wrong-{attempt}")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "locked" in dialog.error.text()
    qtbot.keyClicks(dialog.password, "clerk-demo")  # right password, still locked
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible() and "locked" in dialog.error.text()

    other = LoginDialog(backend.authenticate, username="billing")
    qtbot.addWidget(other)
    other.show()
    qtbot.keyClicks(other.password, "billing-demo")
    with qtbot.waitSignal(other.accepted, timeout=3000):
        qtbot.keyClick(other.password, Qt.Key.Key_Return)
    assert other.user.username == "billing" and other.user.roles == frozenset({"billing"})
    assert demo_hub.actor == other.user


def test_role_pages_after_real_sign_in(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    assert signed_in(qtbot, demo_hub, "clerk").visible_pages() == [
        "customers", "counter", "service_requests"]
    assert signed_in(qtbot, demo_hub, "admin").visible_pages() == [
        "home", "reports", "administration", "outbox"]


def test_newer_schema_is_refused_with_a_message(tmp_path: Path, demo_template: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    path.write_bytes(demo_template.read_bytes())
    db = open_database(f"sqlite:///{path}")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffff_future'")
    db.dispose()
    backend = load_backend(str(path))
    assert "newer than this EBS Desktop knows" in backend.error


def _search(qtbot: QtBot, page: CustomersPage, text: str) -> list[str]:
    page.search.clear()
    qtbot.keyClicks(page.search, text)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # flushes the debounce
    return [str(page.model.index(r, 0).data()) for r in range(page.model.rowCount())]


def test_customers_search_by_number_name_phone_meter_and_account_view(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    window = signed_in(qtbot, demo_hub, "clerk")
    window.show_page("customers")
    page = window.pages["customers"]
    assert isinstance(page, CustomersPage)
    assert page.model.rowCount() == 50  # the whole list, paged lazily
    with demo_hub.db.read() as s:
        number, name, phone, serial = s.execute(
            select(Account.account_number, Customer.name, Customer.phone, Meter.serial)
            .join(Customer, Customer.id == Account.customer_id)
            .join(Premise, Premise.account_id == Account.id)
            .join(MeterInstallation, MeterInstallation.premise_id == Premise.id)
            .join(Meter, Meter.id == MeterInstallation.meter_id)
            .order_by(Account.id).offset(7)).first()
    assert number in _search(qtbot, page, number)
    assert number in _search(qtbot, page, name.split()[0][:4].lower())
    assert _search(qtbot, page, phone) == [number]
    assert _search(qtbot, page, serial) == [number]
    assert _search(qtbot, page, f"EBS|{number}|B1|10.00") == [number]
    # one result is selected and its view loaded
    view = page.panel.view
    assert view is not None and view.details.summary.account_number == number
    assert page.panel.title.text().endswith(number)
    assert page.panel.ledger_model.rowCount() == len(view.ledger) > 0
    top_balance = page.panel.ledger_model.index(0, 4).data(Qt.ItemDataRole.UserRole)
    assert top_balance == view.details.summary.balance  # newest line first
    chart = page.panel.chart_view.chart()
    assert chart.series() and chart.series()[0].barSets()[0].count() == len(view.consumption)
    assert len(view.consumption) >= 2
    assert page.panel.bills_model.rowCount() == len(view.bills)
    # open a bill: its lines with explanations
    page.panel.bills.setCurrentIndex(page.panel.bills_model.index(0, 0))
    page.panel.open_selected_bill()
    lines = page.bill_dialog.model
    assert lines.rowCount() > 0 and "=" in str(lines.index(0, 1).data())
    # a note
    page.panel.note_edit.setPlainText("promised to pay on Friday")
    page.panel.note_button.click()
    assert page.panel.notes_list.item(0).text().endswith("promised to pay on Friday")


def test_billing_officer_cancels_and_rebills_a_bill(qtbot: QtBot, demo_hub: ServiceHub,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from ebs_desktop.gui.qt import QInputDialog
    from ebs_desktop.persistence.models import Bill, CreditNote

    window = signed_in(qtbot, demo_hub, "billing")
    window.show_page("customers")
    page = window.pages["customers"]
    assert isinstance(page, CustomersPage)
    with demo_hub.db.read() as s:
        number = s.execute(select(Account.account_number).order_by(Account.id)).first()[0]
    _search(qtbot, page, number)
    qtbot.waitUntil(lambda: page.panel.view is not None, timeout=5000)
    page.panel.bills.setCurrentIndex(page.panel.bills_model.index(0, 0))
    page.panel.open_selected_bill()
    dialog = page.bill_dialog
    assert dialog.cancel_button.isVisible() and not dialog.rebill_button.isVisible()
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *_a, **_k: ("meter read wrongly", True))
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: "credit note" in dialog.status.text(), timeout=5000)
    with demo_hub.db.read() as s:
        note = s.execute(select(CreditNote.number, CreditNote.reason)).one()
    assert note.reason == "meter read wrongly" and note.number in dialog.status.text()
    # the same bill, opened again, now offers the rebill
    page.panel.bills.setCurrentIndex(page.panel.bills_model.index(0, 0))
    page.panel.open_selected_bill()
    dialog = page.bill_dialog
    assert dialog.rebill_button.isVisible() and not dialog.cancel_button.isVisible()
    dialog.rebill_button.click()
    qtbot.waitUntil(lambda: "Rebilled as" in dialog.status.text(), timeout=5000)
    with demo_hub.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Bill)
                        .where(Bill.kind == "rebill")) == 1


def test_clerk_sees_no_bill_correction_buttons(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    window = signed_in(qtbot, demo_hub, "clerk")
    window.show_page("customers")
    page = window.pages["customers"]
    assert isinstance(page, CustomersPage)
    with demo_hub.db.read() as s:
        number = s.execute(select(Account.account_number).order_by(Account.id)).first()[0]
    _search(qtbot, page, number)
    qtbot.waitUntil(lambda: page.panel.view is not None, timeout=5000)
    page.panel.bills.setCurrentIndex(page.panel.bills_model.index(0, 0))
    page.panel.open_selected_bill()
    assert not page.bill_dialog.cancel_button.isVisible()
    assert not page.bill_dialog.rebill_button.isVisible()
