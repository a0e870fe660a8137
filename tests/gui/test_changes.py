"""Calls that change data announce what they changed, and every page showing it refreshes
itself; the settings are a snapshot read once per sign-in and again after a change."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ebs_desktop.domain.cash import CashTender
from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.changes import ACCOUNTS, PAYMENTS, ChangeBus, DataChange
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.counter import CounterPage
from ebs_desktop.gui.pages.customers import CustomersPage
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.persistence.models import Account
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.settings import update_settings
from tests.gui.conftest import DEMO_PASSWORDS
from tests.gui.test_admin_page import admin_page


def signed_in(qtbot: QtBot, hub: ServiceHub, username: str) -> MainWindow:
    user = backend_for(hub).authenticate(username, DEMO_PASSWORDS[username])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub), "demo")
    qtbot.addWidget(window)
    return window


def owing_account(hub: ServiceHub) -> str:
    with hub.db.read() as s:
        number = s.scalar(select(Account.account_number).where(Account.balance_minor > 0)
                          .order_by(Account.id).limit(1))
    assert number is not None
    return str(number)


def test_a_payment_at_the_counter_refreshes_the_account_on_the_customer_page(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    window = signed_in(qtbot, demo_hub, "clerk")
    number = owing_account(demo_hub)
    window.show_page("customers")
    customers = window.pages["customers"]
    assert isinstance(customers, CustomersPage)
    customers.load_account(number)
    before = customers.panel.view
    assert before is not None and before.details.summary.balance.minor > 0
    window.show_page("counter")
    counter = window.pages["counter"]
    assert isinstance(counter, CounterPage)
    counter.shift.float_edit.setText("100.00")
    counter.shift.open()
    assert counter.shift.info is not None
    counter.load_account(number)
    assert counter.position is not None
    paid = counter.position.owed
    heard: list[DataChange] = []
    window.context.changes.changed.connect(heard.append)
    counter.post(paid, [CashTender(paid)])
    # announced once, by the counter page, after its own screen was updated
    assert [c.kinds for c in heard] == [frozenset({PAYMENTS, ACCOUNTS})]
    assert heard[0].origin is counter
    assert counter.last_receipt is not None
    assert counter.payments_model.rowCount() == 1  # the shift's payments, read again
    assert counter.position.owed.minor == 0  # the account on the counter, read again
    # the customer page was not touched by the counter, yet shows the payment
    after = customers.panel.view
    assert after is not None and after is not before
    assert after.details.summary.balance == before.details.summary.balance - paid
    assert any(p.receipt_number == counter.last_receipt for p in after.payments)


def test_settings_are_a_snapshot_of_the_sign_in_read_again_after_a_change(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    page = admin_page(qtbot, demo_hub)
    assert demo_hub.settings.receipt_footer != "Changed elsewhere"
    # a change made by another program is not read per call: the snapshot stands
    update_settings(demo_hub.db, system_actor("cli"), {"receipt_footer": "Changed elsewhere"})
    assert demo_hub.settings.receipt_footer != "Changed elsewhere"
    # a change made here is announced, the snapshot is read again, the page shows it
    page.setting_edits["bill_due_days"].setText("30")
    page.save_settings()
    assert demo_hub.settings.bill_due_days == 30
    assert demo_hub.settings.receipt_footer == "Changed elsewhere"
    assert page.setting_edits["receipt_footer"].text() == "Changed elsewhere"
    # and a new sign-in reads it afresh
    backend_for(demo_hub).authenticate("clerk", DEMO_PASSWORDS["clerk"])
    assert demo_hub.settings.bill_due_days == 30


def test_an_unknown_kind_of_change_is_refused() -> None:
    bus = ChangeBus()
    heard: list[DataChange] = []
    bus.changed.connect(heard.append)
    with pytest.raises(ValueError, match="payment"):
        bus.announce({"payment"})
    bus.announce(())  # nothing changed: nothing announced
    assert heard == []



def test_a_principal_without_a_role_is_signed_in_without_a_settings_snapshot(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    from ebs_desktop.errors import PermissionDenied
    from ebs_desktop.services.actor import Actor

    nobody = Actor(None, "nobody", frozenset())
    demo_hub.use_actor(nobody)  # the window then says the roles open no screen
    window = MainWindow(nobody, PageContext(runner=SyncRunner(), services=demo_hub), "demo")
    qtbot.addWidget(window)
    assert window.visible_pages() == []
    with pytest.raises(PermissionDenied):
        demo_hub.settings  # noqa: B018 -- the read is refused, not silently empty


def test_call_runs_on_the_worker_and_the_dialogs_cancel_reaches_its_task_state(
        qtbot: QtBot) -> None:
    """Page.call over the threaded runner: the function gets a TaskState wired to the
    progress dialog (report -> bar, Cancel -> cancel); a cancelled call still announces
    what it changed (the units committed before it stopped stay)."""
    import threading
    import time

    from ebs_desktop.gui.changes import READINGS
    from ebs_desktop.gui.pages import PAGE_BY_KEY
    from ebs_desktop.gui.pages.base import Page
    from ebs_desktop.gui.qt import QProgressDialog, QPushButton
    from ebs_desktop.gui.tasks import ThreadedRunner
    from ebs_desktop.services.progress import TaskState

    runner = ThreadedRunner("test-call")
    worker: list[threading.Thread] = []
    outcome: list[str] = []
    heard: list[DataChange] = []
    try:
        page = Page(PAGE_BY_KEY["readings"],
                    PageContext(runner=runner, service_available=lambda _module: False))
        qtbot.addWidget(page)
        page.context.changes.changed.connect(heard.append)

        def work(task: TaskState) -> str:
            worker.append(threading.current_thread())
            for i in range(2000):
                task.check_cancelled()
                task.report(i, 2000, f"meter {i}")
                time.sleep(0.002)
            return "finished"

        handle = page.call(work, outcome.append, cancelled=lambda: outcome.append("cancelled"),
                           progress_dialog="Importing", changes={READINGS})
        dialog = page.findChild(QProgressDialog)
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.maximum() == 2000, timeout=5000)
        button = dialog.findChild(QPushButton)
        assert button is not None
        button.click()
        qtbot.waitUntil(lambda: handle.done and bool(outcome), timeout=5000)
    finally:
        runner.shutdown()
    assert worker and worker[0] is not threading.main_thread()
    assert outcome == ["cancelled"] and handle.state.is_cancelled
    assert [(c.kinds, c.origin) for c in heard] == [(frozenset({READINGS}), page)]
