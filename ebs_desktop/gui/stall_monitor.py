"""Measure how long the GUI event loop goes without running: the "never frozen" test.

A QTimer asks to tick every 10 ms; each tick records the time since the previous one. If
the GUI thread is blocked (a query on the GUI thread, a held GIL, a ``processEvents`` hack
gone wrong) the next tick comes late, and the largest gap is the longest freeze a person
would have seen. The billing-run and handheld-sync tests assert it stays under 100 ms.
"""

from __future__ import annotations

import time

from ebs_desktop.gui.qt import QObject, Qt, QTimer


class StallMonitor(QObject):
    """Start it, run the work, stop it, read :attr:`max_gap_ms`."""

    def __init__(self, interval_ms: int = 10, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last: float | None = None
        self.max_gap_ms = 0.0
        self.ticks = 0

    def start(self) -> None:
        self.max_gap_ms = 0.0
        self.ticks = 0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        """Stop measuring (counting the gap up to now) and return the largest gap in ms."""
        self._tick()
        self._timer.stop()
        return self.max_gap_ms

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.max_gap_ms = max(self.max_gap_ms, (now - self._last) * 1000.0)
        self._last = now
        self.ticks += 1

    def __enter__(self) -> StallMonitor:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
