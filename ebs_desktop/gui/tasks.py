"""Run long work off the GUI thread and get its result back on it (Anki's QueryOp, Orange3).

A task is a plain function ``fn(state: TaskState) -> T`` (see
:mod:`ebs_desktop.services.progress`): it reports progress and checks for cancellation, and
knows nothing of Qt. :class:`Task` wraps it with what the screen wants done afterwards.
Screens do not build tasks themselves: they call
:meth:`ebs_desktop.gui.pages.base.ServiceUser.call`, which builds one, and also announces
what the call changed::

    self.call(lambda task: self.staff.billing.run_billing(period, task=task),
              self.show_result, progress=self.show_progress, changes={BILLS, ACCOUNTS})

The state a task gets is wired to the front end: its ``report`` moves the progress bar
(or the window-modal progress dialog, :meth:`Task.with_progress`), and Cancel calls its
``cancel``, so a long service function taking ``task: TaskState`` is simply handed it.

:class:`ThreadedRunner` runs tasks one at a time on a single worker thread (database work
must not interleave on one connection) and delivers ``success``/``failure``/``cancelled``
and progress through queued signals, i.e. on the GUI thread, so callbacks may touch
widgets. :class:`SyncRunner` runs them at once in the caller's thread, for tests.

Results cross threads, so they must be plain values or frozen dataclasses: a task that
returns an ORM object (anything with ``_sa_instance_state``) fails with a clear message.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, Protocol, TypeVar

from ebs_desktop.errors import EbsError
from ebs_desktop.gui.qt import (
    QCoreApplication,
    QMessageBox,
    QObject,
    QProgressDialog,
    Qt,
    QWidget,
    Signal,
    Slot,
)
from ebs_desktop.services.progress import Progress, TaskCancelled, TaskState

T = TypeVar("T")
log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress updates a second reach the GUI


class OrmObjectCrossedThreads(TypeError):
    """A task returned a database-bound object; return a frozen record instead."""


def _check_result(result: object) -> None:
    sample = result
    if isinstance(result, (list, tuple)) and result:
        sample = result[0]
    if hasattr(sample, "_sa_instance_state"):
        raise OrmObjectCrossedThreads(
            f"task returned an ORM object ({type(sample).__name__}); "
            "services must return frozen dataclasses across threads"
        )


class Task(Generic[T]):
    """A function to run in the background plus what to do with its outcome."""

    def __init__(
        self,
        fn: Callable[[TaskState], T],
        *,
        success: Callable[[T], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.fn = fn
        self.parent = parent
        self._success = success
        self._failure: Callable[[BaseException], None] | None = None
        self._cancelled: Callable[[], None] | None = None
        self._progress: Callable[[Progress], None] | None = None
        self.progress_label: str | None = None

    def success(self, cb: Callable[[T], None]) -> Task[T]:
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> Task[T]:
        self._failure = cb
        return self

    def cancelled(self, cb: Callable[[], None]) -> Task[T]:
        self._cancelled = cb
        return self

    def on_progress(self, cb: Callable[[Progress], None]) -> Task[T]:
        self._progress = cb
        return self

    def with_progress(self, parent: QWidget | None, label: str) -> Task[T]:
        """Show a window-modal progress dialog with Cancel while the task runs."""
        self.parent = parent
        self.progress_label = label
        return self

    def run(self, runner: TaskRunner) -> TaskHandle:
        return runner.submit(self)

    # -- outcome dispatch (always called on the thread that submitted) ---------------------
    def deliver_success(self, result: T) -> None:
        if self._success is not None:
            self._success(result)

    def deliver_failure(self, exc: BaseException) -> None:
        if isinstance(exc, TaskCancelled):
            if self._cancelled is not None:
                self._cancelled()
            return
        if self._failure is not None:
            self._failure(exc)
        else:
            show_error(self.parent, exc)

    def deliver_progress(self, progress: Progress) -> None:
        if self._progress is not None:
            self._progress(progress)


class TaskHandle:
    """What the caller keeps: cancel the task, ask whether it finished."""

    def __init__(self, state: TaskState) -> None:
        self.state = state
        self._done = threading.Event()

    def cancel(self) -> None:
        self.state.cancel()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def mark_done(self) -> None:
        self._done.set()


class TaskRunner(Protocol):
    def submit(self, task: Task[Any]) -> TaskHandle: ...


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Default failure handler: an actionable message for EbsError, a bug report otherwise."""
    if isinstance(exc, EbsError):
        QMessageBox.warning(parent, QCoreApplication.translate("Tasks", "Cannot do that"), str(exc))
    else:
        log.error("task failed", exc_info=exc)
        QMessageBox.critical(
            parent,
            QCoreApplication.translate("Tasks", "Unexpected error"),
            QCoreApplication.translate(
                "Tasks", "Something went wrong that the program did not expect:\n{0}"
            ).format(exc),
        )


class SyncRunner:
    """Runs each task immediately in the calling thread (tests, scripts)."""

    def submit(self, task: Task[Any]) -> TaskHandle:
        state = TaskState(task.deliver_progress)
        handle = TaskHandle(state)
        try:
            result = task.fn(state)
            _check_result(result)
        except BaseException as exc:  # delivered like the threaded runner does
            handle.mark_done()
            task.deliver_failure(exc)
        else:
            handle.mark_done()
            task.deliver_success(result)
        return handle


class _Relay(QObject):
    """Lives on the GUI thread; worker-thread emits arrive here as queued calls."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)

    def __init__(self, task: Task[Any], handle: TaskHandle, finished: Callable[[_Relay], None]):
        super().__init__()
        self.task = task
        self.handle = handle
        self._finished = finished
        self._last_emit = 0.0
        self.dialog: QProgressDialog | None = None
        self.succeeded.connect(self._on_success, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._on_failure, Qt.ConnectionType.QueuedConnection)
        self.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

    # worker thread
    def report(self, progress: Progress) -> None:
        now = time.monotonic()
        final = progress.total > 0 and progress.done >= progress.total
        if final or now - self._last_emit >= PROGRESS_INTERVAL_S:
            self._last_emit = now
            self.progressed.emit(progress)

    # GUI thread
    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        if self.dialog is not None and not self.handle.state.is_cancelled:
            if progress.total > 0:
                self.dialog.setMaximum(progress.total)
                self.dialog.setValue(min(progress.done, progress.total))
            else:
                self.dialog.setMaximum(0)
            if progress.message:
                self.dialog.setLabelText(progress.message)
        self.task.deliver_progress(progress)

    @Slot(object)
    def _on_success(self, result: object) -> None:
        self._close()
        self.task.deliver_success(result)

    @Slot(object)
    def _on_failure(self, exc: BaseException) -> None:
        self._close()
        self.task.deliver_failure(exc)

    def _close(self) -> None:
        self.handle.mark_done()
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self._finished(self)

    def open_dialog(self, label: str, parent: QWidget | None) -> None:
        dialog = QProgressDialog(label, QCoreApplication.translate("Tasks", "Cancel"), 0, 0, parent)
        dialog.setWindowTitle(QCoreApplication.translate("Tasks", "Working"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(400)
        dialog.setMinimumWidth(360)
        dialog.canceled.connect(self._cancel_requested)
        self.dialog = dialog

    @Slot()
    def _cancel_requested(self) -> None:
        self.handle.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(QCoreApplication.translate("Tasks", "Cancelling…"))
            self.dialog.show()


class ThreadedRunner:
    """One worker thread, tasks in submission order, outcomes on the GUI thread."""

    def __init__(self, name: str = "ebs-db") -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._live: set[_Relay] = set()

    def submit(self, task: Task[Any]) -> TaskHandle:
        relay_box: list[_Relay] = []
        state = TaskState(lambda p: relay_box[0].report(p))
        handle = TaskHandle(state)
        relay = _Relay(task, handle, self._live.discard)
        relay_box.append(relay)
        self._live.add(relay)
        if task.progress_label is not None:
            relay.open_dialog(task.progress_label, task.parent)

        def work() -> None:
            try:
                if state.is_cancelled:
                    raise TaskCancelled("cancelled before it started")
                result = task.fn(state)
                _check_result(result)
            except BaseException as exc:  # every outcome goes back to the GUI thread
                relay.failed.emit(exc)
            else:
                relay.succeeded.emit(result)

        self._executor.submit(work)
        return handle

    @property
    def pending(self) -> int:
        return len(self._live)

    def shutdown(self, wait: bool = True) -> None:
        for relay in list(self._live):
            relay.handle.cancel()
        self._executor.shutdown(wait=wait, cancel_futures=True)
