"""Collections page over a real demo database: a billing officer plans and runs the
dunning path for a day, places and releases a hold, agrees an arrangement, and saves the
crews' list; a manager sees it all but is not offered the run."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.collections import CollectionsPage
from ebs_desktop.gui.qt import QDate, Qt
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.persistence.models import CollectionHold, DunningEvent, PaymentArrangement
from tests.gui.conftest import DEMO_PASSWORDS


def collections_page(qtbot: QtBot, hub: ServiceHub, role: str) -> tuple[MainWindow,
                                                                        CollectionsPage]:
    user = backend_for(hub).authenticate(role, DEMO_PASSWORDS[role])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub), "demo")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.show_page("collections")
    page = window.pages["collections"]
    assert isinstance(page, CollectionsPage)
    return window, page


def _count(hub: ServiceHub, model: type) -> int:
    with hub.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_billing_officer_plans_runs_holds_and_arranges(qtbot: QtBot, demo_hub: ServiceHub,
                                                       tmp_path: Path) -> None:
    window, page = collections_page(qtbot, demo_hub, "billing")
    assert page.run_button.isVisible()
    page.day.setDate(QDate(2026, 7, 10))
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    planned = page.rows("plan_model")
    assert planned and all(r[0] == "overdue" for r in planned)
    assert _count(demo_hub, DunningEvent) == 0  # a plan writes nothing
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert page.rows("plan_model") == planned
    done = [r for r in planned if not r[6]]
    assert done
    assert {r[6] for r in planned} - {""} <= {"Billing dispute", "Payment arrangement"}
    assert _count(demo_hub, DunningEvent) == len(done)
    assert f"Overdue notice: {len(done)}" in page.levels.text()
    assert len(page.rows("path_model")) == len(done)
    assert len(page.rows("holds_model")) >= 2
    holds_before = _count(demo_hub, CollectionHold)

    first_account = str(done[0][1])
    page.tabs.setCurrentIndex(2)
    page.hold_account.setText(first_account)
    page.hold_kind.setCurrentIndex(page.hold_kind.findData("medical"))
    page.hold_reference.setText("MC-77")
    qtbot.keyClick(page.hold_reference, Qt.Key.Key_Return)
    assert _count(demo_hub, CollectionHold) == holds_before + 1
    holds = page.rows("holds_model")
    [row] = [i for i, r in enumerate(holds) if r[6] == "MC-77"]
    assert (holds[row][1], holds[row][3]) == (first_account, "Medical certificate")
    page.holds_view.selectRow(row)
    page.release_selected("certificate withdrawn")
    assert len(page.rows("holds_model")) == len(holds) - 1

    page.tabs.setCurrentIndex(3)
    arrangements = _count(demo_hub, PaymentArrangement)
    page.arrange_account.setText(str(done[-1][1]))
    page.arrange_first.setDate(QDate.currentDate().addDays(10))
    qtbot.keyClick(page.arrange_account, Qt.Key.Key_Return)
    assert _count(demo_hub, PaymentArrangement) == arrangements + 1
    assert str(done[-1][1]) in [r[1] for r in page.rows("arrangements_model")]

    page.tabs.setCurrentIndex(4)
    page.save_orders(tmp_path / "orders.pdf")
    assert (tmp_path / "orders.pdf").read_bytes().startswith(b"%PDF")
    assert page.rows("path_model")[0][2] == "Overdue notice"
    for i, name in enumerate(("path", "plan", "holds", "arrangements", "orders")):
        page.tabs.setCurrentIndex(i)
        window.grab().save(str(tmp_path / f"collections-{name}.png"))


def test_manager_sees_but_is_not_offered_the_run(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    _window, page = collections_page(qtbot, demo_hub, "manager")
    assert not page.run_button.isVisible() and page.plan_button.isVisible()
    page.day.setDate(QDate(2026, 7, 10))
    page.run(dry_run=True)
    assert page.rows("plan_model")  # a manager may look at the plan
