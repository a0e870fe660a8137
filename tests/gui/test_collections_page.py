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
    assert _count(demo_hub, DunningEvent) == len(planned)
    assert f"Overdue notice: {len(planned)}" in page.levels.text()
    assert len(page.rows("path_model")) == len(planned)

    first_account = str(planned[0][1])
    page.tabs.setCurrentIndex(2)
    page.hold_account.setText(first_account)
    page.hold_kind.setCurrentIndex(page.hold_kind.findData("medical"))
    page.hold_reference.setText("MC-77")
    qtbot.keyClick(page.hold_reference, Qt.Key.Key_Return)
    assert _count(demo_hub, CollectionHold) == 1
    holds = page.rows("holds_model")
    assert [(r[1], r[3], r[6]) for r in holds] == [(first_account, "Medical certificate",
                                                    "MC-77")]
    page.holds_view.selectRow(0)
    page.release_selected("certificate withdrawn")
    assert page.rows("holds_model") == []

    page.tabs.setCurrentIndex(3)
    page.arrange_account.setText(str(planned[-1][1]))
    page.arrange_first.setDate(QDate.currentDate().addDays(10))
    qtbot.keyClick(page.arrange_account, Qt.Key.Key_Return)
    assert _count(demo_hub, PaymentArrangement) == 1
    assert [r[6] for r in page.rows("arrangements_model")] == ["active"]

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
