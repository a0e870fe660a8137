"""Billing page over a real demo database: dry run, approve, calculator, and the event loop
staying responsive while a run works on the worker thread."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.memory import settle_after_start
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.billing import BillingPage
from ebs_desktop.gui.stall_monitor import StallMonitor
from ebs_desktop.gui.tasks import SyncRunner, TaskRunner, ThreadedRunner
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.persistence.models import Bill
from tests.gui.conftest import DEMO_PASSWORDS

STALL_ACCOUNTS = int(os.environ.get("EBS_STALL_ACCOUNTS", "3000"))


def billing_page(qtbot: QtBot, hub: ServiceHub, runner: TaskRunner) -> BillingPage:
    user = backend_for(hub).authenticate("billing", DEMO_PASSWORDS["billing"])
    window = MainWindow(user, PageContext(runner=runner, user=user, services=hub), "demo")
    qtbot.addWidget(window)
    window.show_page("billing")
    page = window.pages["billing"]
    assert isinstance(page, BillingPage)
    return page


def bills_in(hub: ServiceHub, period: str) -> int:
    with hub.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Bill)
                            .where(Bill.period == period)) or 0)


def test_dry_run_shows_exceptions_then_approve_writes_the_bills(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    page = billing_page(qtbot, demo_hub, SyncRunner())
    assert page.period.text() == "2026-06"  # the month after the last billed one
    assert not page.approve.isEnabled()
    page.dry_run.click()
    result = page.last_result
    assert result is not None and result.dry_run and result.bills > 0
    assert bills_in(demo_hub, "2026-06") == 0  # a dry run writes nothing
    assert page.exceptions_model.rowCount() == len(result.exceptions) > 0
    kinds = {page.exceptions_model.index(r, 2).data()
             for r in range(page.exceptions_model.rowCount())}
    assert kinds <= {"No reading", "High consumption", "Low consumption", "Estimated reading",
                     "Zero consumption", "No tariff"}
    names = [page.exceptions_model.index(r, 1).data()
             for r in range(page.exceptions_model.rowCount())]
    assert all(names), "every exception names its customer"
    assert "Nothing was written" in page.summary.text()
    assert page.approve.isEnabled()
    page.approve.click()
    run = page.last_result
    assert run is not None and not run.dry_run
    assert bills_in(demo_hub, "2026-06") == run.bills == result.bills
    assert not page.approve.isEnabled()


def test_bill_calculator_prices_typed_consumption(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    page = billing_page(qtbot, demo_hub, SyncRunner())
    tab = page.tariffs
    codes = [tab.list_model.index(r, 0).data() for r in range(tab.list_model.rowCount())]
    assert "RES-1" in codes and tab.tariff is not None
    tab.list.selectRow(codes.index("RES-1"))
    assert tab.tariff.code == "RES-1"
    assert tab.version_pick.count() == len(tab.tariff.versions)
    tab.kwh.setText("300")
    bill = tab.calculate()
    assert bill is not None and tab.lines_model.rowCount() == len(bill.lines)
    assert sum(ln.amount_minor for ln in bill.lines) == bill.total.minor
    assert "Total" in tab.total.text()
    tab.list.selectRow(codes.index("AGR-1"))  # charges the sanctioned load
    assert tab.calculate() is None and "sanctioned load" in tab.total.text()
    tab.load_kw.setText("15")
    assert tab.calculate() is not None
    tab.kwh.setText("lots")
    assert tab.calculate() is None and "consumption" in tab.total.text()


@pytest.fixture
def big_hub(tmp_path: Path) -> Iterator[ServiceHub]:
    from ebs_desktop.services.demo import build_demo

    db = open_database(f"sqlite:///{tmp_path / 'big.sqlite3'}")
    migrate.upgrade(db)
    build_demo(db, customers=STALL_ACCOUNTS, months=2, until="2026-06")
    yield ServiceHub(db)
    db.dispose()


def test_event_loop_never_stalls_during_a_billing_run(qtbot: QtBot,
                                                      big_hub: ServiceHub) -> None:
    runner = ThreadedRunner("test-db")
    try:
        page = billing_page(qtbot, big_hub, runner)
        # the page loads its period and cycles on the worker thread too
        qtbot.waitUntil(lambda: bool(page.period.text()), timeout=10_000)
        page.last_result = None
        settle_after_start()  # what the app does once its window is up
        monitor = StallMonitor()
        monitor.start()
        started = time.perf_counter()
        page.start_dry_run()
        qtbot.waitUntil(lambda: page.last_result is not None, timeout=600_000)
        page.start_run()
        qtbot.waitUntil(lambda: page.last_result is not None and not page.last_result.dry_run,
                        timeout=600_000)
        worst = monitor.stop()
        elapsed = time.perf_counter() - started
    finally:
        runner.shutdown(wait=True)
    billed = bills_in(big_hub, "2026-06")
    print(f"\nstall test: {STALL_ACCOUNTS} accounts, {billed} bills, dry run + run in "
          f"{elapsed:.1f} s, longest event-loop gap {worst:.1f} ms over {monitor.ticks} ticks")
    assert billed > STALL_ACCOUNTS * 0.9
    assert monitor.ticks > elapsed * 20  # the timer really ran all along
    assert worst < 100.0


def test_a_failed_run_shows_its_reason_when_the_page_opens(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    """Issue 17, point 4: a run that failed (here, its batch write refused) is shown with
    its stored reason and that running the period again resumes it."""
    from datetime import date

    from sqlalchemy import text

    from ebs_desktop.services.actor import system_actor
    from ebs_desktop.services.billing.failures import BillingRunFailed
    from ebs_desktop.services.billing.run import run_billing

    with demo_hub.db.write() as s:  # numbers set back: the first batch collides
        s.execute(text("UPDATE number_series SET next_value = next_value - 1"
                       " WHERE code = 'BILL-2026'"))
    with pytest.raises(BillingRunFailed):
        run_billing(demo_hub.db, system_actor("test"), "2026-06", issue_date=date(2026, 7, 1),
                    workers=0)
    page = billing_page(qtbot, demo_hub, SyncRunner())
    shown = page.summary.text()
    assert shown.startswith("billing run ") and " for 2026-06 failed: the database refused" \
        in shown
    assert "resumes the run" in shown
