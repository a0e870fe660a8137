"""The home dashboard over the real services and a demo database: first page of managers
and administrators, the parts each role may see, figures that open their screens, and a
refresh every minute only while the page is shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ebs_desktop.gui.app import backend_for, start_daily_backup
from ebs_desktop.gui.backend import ServiceHub, open_hub
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.home import REFRESH_MS, HomePage
from ebs_desktop.gui.qt import QApplication, QPushButton, Qt
from ebs_desktop.gui.tasks import SyncRunner
from tests.gui.conftest import DEMO_PASSWORDS


def signed_in(qtbot: QtBot, hub: ServiceHub, username: str) -> MainWindow:
    backend = backend_for(hub)
    user = backend.authenticate(username, DEMO_PASSWORDS[username])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub),
                        backend.database)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page("home")
    return window


def home(window: MainWindow) -> HomePage:
    page = window.pages["home"]
    assert isinstance(page, HomePage)
    return page


def links(widget: object, target: str) -> list[QPushButton]:
    """The visible links to ``target`` (after the queued showing of new widgets)."""
    QApplication.processEvents()
    assert hasattr(widget, "findChildren")
    return [b for b in widget.findChildren(QPushButton)
            if b.property("target_page") == target and b.isVisible()]


def test_manager_sees_the_business_not_the_system(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    window = signed_in(qtbot, demo_hub, "manager")
    assert window.visible_pages()[0] == "home"
    page = home(window)
    assert page.dashboard is not None and page.dashboard.health is None
    for card in (page.collections_card, page.shifts_card, page.readings_card,
                 page.arrears_card, page.runs_card):
        assert card.isVisible()
    assert not page.health_card.isVisible()
    assert "Updated" in page.updated.text()
    runs = page.dashboard.runs
    assert runs
    # the bills of the newest run, formatted, as a link to the billing screen
    bills = [b for b in links(page.runs_card, "billing") if b.text() == f"{runs[0].bills:,}"]
    assert bills
    qtbot.mouseClick(bills[0], Qt.MouseButton.LeftButton)
    assert window.current_page() == "billing"
    window.show_page("home")
    qtbot.mouseClick(links(page.arrears_card, "reports")[0], Qt.MouseButton.LeftButton)
    assert window.current_page() == "reports"


def test_admin_sees_system_health_and_links_to_administration(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    window = signed_in(qtbot, demo_hub, "admin")
    assert window.visible_pages()[0] == "home"
    page = home(window)
    health = page.dashboard.health if page.dashboard else None
    assert health is not None and page.health_card.isVisible()
    texts = [b.text() for b in links(page.health_card, "administration")]
    assert "this PC" in texts  # SQLite: connections are this PC's
    assert health.schema_version in texts
    assert "not in use" in texts  # notifications and portal
    assert any(t.startswith("intact, ") for t in texts)
    # admins have no billing screen: the runs lead to the reports instead
    assert not links(page.runs_card, "billing") and links(page.runs_card, "reports")
    qtbot.mouseClick(links(page.health_card, "administration")[0], Qt.MouseButton.LeftButton)
    assert window.current_page() == "administration"


def test_refreshes_every_minute_only_while_shown(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    window = signed_in(qtbot, demo_hub, "manager")
    page = home(window)
    first = page.dashboard
    assert first is not None
    assert page.timer.interval() == REFRESH_MS and page.timer.isActive()
    page.timer.timeout.emit()  # a minute later, shown: asks again
    second = page.dashboard
    assert second is not None and second is not first
    assert second.generated_at >= first.generated_at

    window.show_page("customers")
    assert not page.isVisible()
    page.timer.timeout.emit()  # a turn while hidden asks nothing...
    assert page.dashboard is second
    window.show_page("home")  # ...and is made up as soon as the page is shown
    assert page.dashboard is not second and page.timer.isActive()
    assert page.timer.interval() == REFRESH_MS


def test_the_app_takes_the_daily_copy_on_a_thread_of_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_template: Path) -> None:
    monkeypatch.setenv("EBS_DATA_DIR", str(tmp_path / "data"))
    from ebs_desktop import config

    default = config.default_sqlite_path()
    default.parent.mkdir(parents=True)
    shutil.copy(demo_template, default)
    hub = open_hub(f"sqlite:///{default}")
    try:
        thread = start_daily_backup(hub)
        assert thread.name == "ebs-daily-backup" and not thread.daemon
        thread.join(60)
        copies = list((tmp_path / "data" / "backups").iterdir())
        assert len(copies) == 1 and copies[0].name.startswith("ebs-daily-")
        start_daily_backup(hub).join(60)  # not due again today
        assert len(list((tmp_path / "data" / "backups").iterdir())) == 1
    finally:
        hub.db.dispose()
