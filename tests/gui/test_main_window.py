"""Role-based screens, shortcuts, placeholders and remembered state of the main window."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from ebs_desktop.gui import settings
from ebs_desktop.gui.actions import ACTIONS, check_unique_shortcuts
from ebs_desktop.gui.main_window import KEY_GEOMETRY, MainWindow
from ebs_desktop.gui.pages import PAGES
from ebs_desktop.gui.pages.base import PageContext, ServicePlaceholder
from ebs_desktop.gui.qt import QLineEdit, QWidget
from ebs_desktop.gui.session import GuiUser, allowed_pages


def window(qtbot: QtBot, *roles: str, available: bool = False) -> MainWindow:
    ctx = PageContext(service_available=lambda module: available)
    w = MainWindow(GuiUser("u1", frozenset(roles), "User One"), ctx, "test.sqlite3")
    qtbot.addWidget(w)
    return w


@pytest.mark.parametrize(
    ("roles", "pages"),
    [
        (("clerk",), ["customers", "counter", "service_requests"]),
        (("reader",), ["readings"]),
        (("billing",), ["customers", "readings", "billing", "collections", "reports",
                        "outbox", "service_requests"]),
        (("manager",), ["home", "customers", "billing", "collections", "counter", "reports",
                        "outbox", "service_requests"]),
        (("admin",), ["home", "reports", "administration", "outbox"]),
        (("clerk", "admin"), ["home", "customers", "counter", "reports", "administration",
                              "outbox", "service_requests"]),
        ((), []),
    ],
)
def test_roles_see_only_their_pages(qtbot: QtBot, roles: tuple[str, ...], pages: list[str]) -> None:
    w = window(qtbot, *roles)
    assert w.visible_pages() == pages
    assert w.sidebar.count() == len(pages)
    assert set(w.pages) == set(pages)
    assert sorted(allowed_pages(roles)) == sorted(pages)


def test_reader_cannot_reach_counter_by_shortcut(qtbot: QtBot) -> None:
    w = window(qtbot, "reader")
    assert "counter.find" not in w.actions_by_id
    assert not w.show_page("counter")
    assert w.current_page() == "readings"


def test_missing_service_shows_a_plain_placeholder(qtbot: QtBot) -> None:
    w = window(qtbot, "clerk")
    page = w.pages["counter"]
    assert isinstance(page.body, ServicePlaceholder)
    texts = [lbl.text() for lbl in page.body.findChildren(type(w.status_user))]
    assert "Cash counter is not available yet" in texts
    assert "ebs_desktop.services.counter" in texts
    w.show_page("counter")
    assert not w.run_action(next(a for a in ACTIONS if a.id == "counter.find"))
    assert "not available yet" in w.statusBar().currentMessage()


def test_f2_jumps_to_counter_search_when_available(qtbot: QtBot) -> None:
    w = window(qtbot, "clerk", available=True)
    w.show()
    qtbot.waitExposed(w)
    w.show_page("customers")
    w.actions_by_id["counter.find"].trigger()
    assert w.current_page() == "counter"
    focus = w.focusWidget()
    assert isinstance(focus, QLineEdit)
    assert focus is w.pages["counter"].find_edit  # type: ignore[attr-defined]


def test_ctrl_number_switches_pages(qtbot: QtBot) -> None:
    w = window(qtbot, "manager")
    assert w.actions_by_id["page.billing"].shortcut().toString() == "Ctrl+4"  # Home is Ctrl+1
    w.actions_by_id["page.counter"].trigger()
    assert w.current_page() == "counter"
    assert w.actions_by_id["page.service_requests"].shortcut().toString() == "Ctrl+0"
    assert w.stack.currentWidget() is w.pages["counter"]


def test_every_page_builds_its_skeleton(qtbot: QtBot) -> None:
    w = window(qtbot, "manager", "admin", "reader", "clerk", "billing", available=True)
    assert w.visible_pages() == [spec.key for spec in PAGES]
    for page in w.pages.values():
        assert isinstance(page.body, QWidget)
        assert not isinstance(page.body, ServicePlaceholder)


def test_status_bar_shows_user_counter_shift_database(qtbot: QtBot) -> None:
    w = window(qtbot, "clerk")
    w.set_status(counter="Counter 2", shift="open since 08:00")
    assert w.status_user.text() == "User: User One (Counter clerk)"
    assert w.status_counter.text() == "Counter: Counter 2"
    assert w.status_shift.text() == "Shift: open since 08:00"
    assert w.status_database.text() == "Database: test.sqlite3"


def test_last_page_and_geometry_are_remembered(qtbot: QtBot) -> None:
    first = window(qtbot, "manager")
    first.resize(1100, 700)
    first.show_page("billing")
    first.close()
    second = window(qtbot, "manager")
    assert second.current_page() == "billing"
    # The offscreen screen is smaller than the window's minimum, so Qt refits the size;
    # we check that the geometry was stored for the next start.
    stored = settings.get_bytes(KEY_GEOMETRY)
    assert stored is not None and not stored.isEmpty()


def test_shortcuts_are_unique() -> None:
    check_unique_shortcuts()
    assert {a.shortcut for a in ACTIONS if a.page == "counter"} >= {"F2", "F3", "F4", "F9"}
