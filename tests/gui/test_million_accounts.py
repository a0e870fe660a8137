"""The customers list over a real database of a million accounts opens in under a second:
the page's own model counts once and fetches the first page only; the last page is one
more query."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.pages import PAGE_BY_KEY
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.customers import CustomersPage
from ebs_desktop.gui.qt import QApplication
from ebs_desktop.gui.session import GuiUser
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.services.actor import Actor

ACCOUNTS = 1_000_000


@pytest.fixture(scope="module")
def million_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceHub]:
    from tests.support.counter_scratch import fill_lookup_accounts

    path: Path = tmp_path_factory.mktemp("million") / "million.sqlite3"
    db = open_database(f"sqlite:///{path}")
    migrate.upgrade(db)
    fill_lookup_accounts(db, ACCOUNTS)
    yield ServiceHub(db)
    db.dispose()


def test_customers_list_of_a_million_accounts_opens_in_under_a_second(
        qtbot: QtBot, million_hub: ServiceHub) -> None:
    clerk = GuiUser("clerk", frozenset({"clerk"}))
    million_hub.use_actor(Actor(None, clerk.username, clerk.roles))  # the list is the clerk's
    context = PageContext(runner=SyncRunner(), user=clerk, services=million_hub)
    page = CustomersPage(PAGE_BY_KEY["customers"], context)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    qtbot.waitExposed(page)
    started = time.perf_counter()
    page.show_all()
    QApplication.processEvents()
    first = page.model.index(0, 0).data()
    elapsed = time.perf_counter() - started
    print(f"\nmillion accounts: list open in {elapsed * 1000:.0f} ms, "
          f"{page.model.pages_fetched} page(s) fetched")
    assert page.model.rowCount() >= ACCOUNTS
    assert first and first.isdigit()
    assert elapsed < 1.0, f"opening took {elapsed:.2f} s"
    assert page.model.pages_fetched <= 2
    assert "1,00" in page.count_label.text()
    started = time.perf_counter()
    page.table.scrollToBottom()
    QApplication.processEvents()
    last = page.model.index(page.model.rowCount() - 1, 1).data()
    jump = time.perf_counter() - started
    print(f"million accounts: jump to the last row in {jump * 1000:.0f} ms")
    assert last == f"Lookup Customer {page.model.rowCount():07d}"  # ids follow one seed account
    assert jump < 1.0
