"""Progress and cancellation for long work, without Qt.

A billing run, an import or a handheld sync is a plain function that takes a
:class:`TaskState`. It calls :meth:`TaskState.report` now and then and
:meth:`TaskState.check_cancelled` between units of work. The desktop app gives it a
state wired to a progress dialog with a Cancel button; the CLI gives it one that prints
a line; tests give it a bare one. The work never knows which front end is running
(the Orange3 ``TaskState`` idea), so services can take it without importing Qt.

The state is shared between the worker thread (which reports and checks) and the GUI
thread (which cancels), so its mutable parts are a lock and a ``threading.Event``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from ebs_desktop.errors import EbsError


class TaskCancelled(EbsError):
    """The person cancelled the task; the work stopped cleanly at a checkpoint."""


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot of how far a task is: ``done`` of ``total`` units (total 0 = unknown)."""

    done: int
    total: int
    message: str

    @property
    def fraction(self) -> float | None:
        """Share done for a progress bar (display only), ``None`` when the total is unknown."""
        if self.total <= 0:
            return None
        return min(1.0, max(0.0, self.done / self.total))


ProgressCallback = Callable[[Progress], None]


class TaskState:
    """What a long function sees of its caller: report progress, notice cancellation."""

    def __init__(self, on_progress: ProgressCallback | None = None) -> None:
        self._on_progress = on_progress
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._last = Progress(0, 0, "")

    # -- worker side ---------------------------------------------------------------------
    def report(self, done: int, total: int = 0, message: str | None = None) -> None:
        """Record progress; ``message`` None keeps the previous one."""
        with self._lock:
            text = self._last.message if message is None else message
            self._last = Progress(done, total, text)
            snapshot = self._last
        if self._on_progress is not None:
            self._on_progress(snapshot)

    def check_cancelled(self) -> None:
        """Raise :class:`TaskCancelled` if cancellation was asked for; call between units."""
        if self._cancel.is_set():
            raise TaskCancelled("cancelled")

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- caller side ---------------------------------------------------------------------
    def cancel(self) -> None:
        """Ask the work to stop at its next checkpoint (safe from any thread)."""
        self._cancel.set()

    @property
    def progress(self) -> Progress:
        with self._lock:
            return self._last
