"""The event loop keeps answering while the Reading entry page syncs a route with a handheld.

The handheld is the simulator, served on the master side of a real pseudo-terminal pair; the
page opens the slave path with pyserial as it would a USB cradle. The sync runs on the worker
thread, the simulator on its own thread, and the GUI thread only has to keep ticking: the
longest gap between ticks of :class:`StallMonitor` must stay under 100 ms.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from ebs_desktop.devices.handheld.simulator import HandheldSimulator
from ebs_desktop.devices.pty_channel import PtyMaster
from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.memory import settle_after_start
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.readings import ReadingsPage
from ebs_desktop.gui.stall_monitor import StallMonitor
from ebs_desktop.gui.tasks import ThreadedRunner
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.persistence.models import Reading
from tests.gui.conftest import DEMO_PASSWORDS

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs os.openpty()")

ROUTE_ACCOUNTS = 400  # one full demo route (ROUTE_SIZE), as a reader walks it in a day


@pytest.fixture
def route_hub(tmp_path: Path) -> Iterator[ServiceHub]:
    from ebs_desktop.services.demo import build_demo

    db = open_database(f"sqlite:///{tmp_path / 'route.sqlite3'}")
    migrate.upgrade(db)
    build_demo(db, customers=ROUTE_ACCOUNTS, months=2, until="2026-06")
    yield ServiceHub(db)
    db.dispose()


class ServedHandheld:
    """The simulator answering on a pty master, on its own thread, until closed."""

    def __init__(self, simulator: HandheldSimulator) -> None:
        self.master = PtyMaster()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=lambda: simulator.serve(self.master, self.master.slave_path, stop=self.stop),
            name="handheld-sim", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.master.close()


@pytest.fixture
def handheld() -> Iterator[tuple[HandheldSimulator, ServedHandheld]]:
    # the sync dates the route "today"; the scripted reader walks it this morning
    simulator = HandheldSimulator(read_at=datetime.combine(date.today(), clock(8)))
    served = ServedHandheld(simulator)
    yield simulator, served
    served.close()


def handheld_readings(hub: ServiceHub) -> int:
    with hub.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Reading)
                            .where(Reading.source == "handheld")) or 0)


@dataclass
class SyncRun:
    route: str
    route_rows: int  # lines the page shows for the route
    stored: int  # handheld readings the database gained
    status: str
    sync: StallMonitor  # click to the sync's result on the GUI thread
    reload: StallMonitor  # then the page loading the route again with what it now holds
    sync_s: float
    reload_s: float


def sync_on_the_page(qtbot: QtBot, hub: ServiceHub, port: str) -> SyncRun:
    """Sign in as the reader, open Reading entry, sync its route through the panel."""
    runner = ThreadedRunner("test-db")
    try:
        user = backend_for(hub).authenticate("reader", DEMO_PASSWORDS["reader"])
        window = MainWindow(user, PageContext(runner=runner, user=user, services=hub), "demo")
        qtbot.addWidget(window)
        window.show()
        window.show_page("readings")
        page = window.pages["readings"]
        assert isinstance(page, ReadingsPage)
        qtbot.waitUntil(lambda: bool(page.entries) and runner.pending == 0, timeout=30_000)
        route = page.current_route()
        assert route is not None
        panel = page.devices
        panel.port.setEditText(port)
        before = handheld_readings(hub)
        settle_after_start()  # what the app does once its window is up
        sync, reload = StallMonitor(), StallMonitor()
        sync.start()
        started = time.perf_counter()
        panel.sync_button.click()
        assert not panel.sync_button.isEnabled()  # the work went to the worker thread
        qtbot.waitUntil(panel.sync_button.isEnabled, timeout=120_000)
        sync.stop()
        reload.start()
        synced = time.perf_counter()
        qtbot.waitUntil(lambda: runner.pending == 0, timeout=30_000)
        reload.stop()
        reloaded = time.perf_counter()
    finally:
        runner.shutdown(wait=True)
    run = SyncRun(route, len(page.entries), handheld_readings(hub) - before,
                  panel.sync_status.text(), sync, reload, synced - started, reloaded - synced)
    print(f"\nhandheld stall test: route {route}, {run.route_rows} lines, {run.stored} "
          f"readings stored; sync {run.sync_s:.2f} s, longest event-loop gap "
          f"{sync.max_gap_ms:.1f} ms over {sync.ticks} ticks; route reload {run.reload_s:.2f} s, "
          f"longest gap {reload.max_gap_ms:.1f} ms")
    return run


def test_event_loop_never_stalls_during_a_handheld_sync(
        qtbot: QtBot, route_hub: ServiceHub,
        handheld: tuple[HandheldSimulator, ServedHandheld]) -> None:
    simulator, served = handheld
    run = sync_on_the_page(qtbot, route_hub, served.master.slave_path)
    items = len(simulator.route)
    assert run.route == "R0001" and items == run.route_rows >= ROUTE_ACCOUNTS
    assert run.status.startswith(f"Route R0001: {items} sent, {items} readings received, "
                                 f"{items} stored"), run.status
    assert run.stored == items  # every reading the device took is in the database
    assert simulator.route_complete and simulator.uploaded == items
    assert run.sync.ticks > run.sync_s * 20  # the timer really ran all along
    assert run.sync.max_gap_ms < 100.0


def test_event_loop_never_stalls_when_the_page_shows_the_synced_route(
        qtbot: QtBot, route_hub: ServiceHub,
        handheld: tuple[HandheldSimulator, ServedHandheld]) -> None:
    _simulator, served = handheld
    run = sync_on_the_page(qtbot, route_hub, served.master.slave_path)
    assert run.stored == run.route_rows
    assert run.reload.max_gap_ms < 100.0
