"""Handheld tests: a simulator serving on the master side of a fresh pty pair."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal

import pytest

from ebs_desktop.devices.handheld.records import RouteItem
from ebs_desktop.devices.handheld.simulator import HandheldSimulator
from ebs_desktop.devices.pty_channel import PtyMaster


class ServedPort:
    """A simulator answering on a pty; ``path`` is what the host opens."""

    def __init__(self, simulator: HandheldSimulator) -> None:
        self.master = PtyMaster()
        self.path = self.master.slave_path
        self.stop = threading.Event()
        self.outcome: list[str] = []
        self.thread = threading.Thread(target=self._run, daemon=True, name="hhu-sim")
        self.simulator = simulator
        self.thread.start()

    def _run(self) -> None:
        self.outcome.append(self.simulator.serve(self.master, self.path, stop=self.stop))

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.master.close()


@pytest.fixture
def serve() -> Iterator[Callable[[HandheldSimulator], ServedPort]]:
    ports: list[ServedPort] = []

    def start(simulator: HandheldSimulator) -> ServedPort:
        ports.append(ServedPort(simulator))
        return ports[-1]

    yield start
    for port in ports:
        port.close()


@pytest.fixture
def route() -> list[RouteItem]:
    return [RouteItem(f"SN{n:05d}", "1.8.0", f"ACC{n:04d}", walk_order=100 - n,
                      previous_value=Decimal(f"{1000 + n}.5"), previous_read_at=date(2026, 9, 1),
                      low=Decimal("50"), high=Decimal("400")) for n in range(12)]


@pytest.fixture
def read_time() -> datetime:
    return datetime(2026, 10, 1, 8, 0)
