"""All device I/O on one named thread, so two jobs never fight over a port.

Modelled on a single-worker executor: ``submit`` queues a job (a plain function given a
:class:`JobControl`), ``DeviceJob.result(timeout)`` waits for it. The job reports progress
through the control and checks it for cancellation between reads; the CLI waits on the result,
the GUI will bridge ``progress`` to a signal. A job that outlives its timeout is cancelled and
the caller gets :class:`DeviceError`, never a hang.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Generic, TypeVar

from ebs_desktop.errors import DeviceError

T = TypeVar("T")
THREAD_NAME = "ebs-device"


class JobCancelled(DeviceError):
    """The job was cancelled (by the user or because it ran out of time)."""


class JobControl:
    """What a running job sees: where to report progress and whether to stop."""

    def __init__(self, name: str, progress: Callable[[str], None] | None) -> None:
        self.name = name
        self._progress = progress
        self._cancelled = threading.Event()

    def report(self, message: str) -> None:
        if self._progress is not None:
            self._progress(message)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise :class:`JobCancelled` once cancelled; call it between device reads."""
        if self._cancelled.is_set():
            raise JobCancelled(f"{self.name}: cancelled")


class DeviceJob(Generic[T]):
    def __init__(self, future: Future[T], control: JobControl, timeout: float | None) -> None:
        self._future = future
        self.control = control
        self.timeout = timeout

    def cancel(self) -> None:
        self.control.cancel()
        self._future.cancel()

    def done(self) -> bool:
        return self._future.done()

    def result(self, timeout: float | None = None) -> T:
        """The job's value; its own error re-raised; DeviceError when time runs out."""
        wait = timeout if timeout is not None else self.timeout
        try:
            return self._future.result(wait)
        except CancelledError:
            raise JobCancelled(f"{self.control.name}: cancelled before it ran") from None
        except FutureTimeout:
            self.cancel()
            raise DeviceError(f"{self.control.name}: no result within {wait:g} s; "
                              "the device is silent or disconnected") from None


class DeviceWorker:
    """One thread named ``ebs-device`` running device jobs in order."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=THREAD_NAME)

    def submit(self, name: str, job: Callable[[JobControl], T], *, timeout: float | None = None,
               progress: Callable[[str], None] | None = None) -> DeviceJob[T]:
        control = JobControl(name, progress)

        def run() -> T:
            control.check()
            return job(control)

        return DeviceJob(self._executor.submit(run), control, timeout)

    def run(self, name: str, job: Callable[[JobControl], T], *, timeout: float,
            progress: Callable[[str], None] | None = None) -> T:
        """Submit and wait: the form the CLI uses."""
        return self.submit(name, job, timeout=timeout, progress=progress).result()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


_shared: DeviceWorker | None = None
_shared_lock = threading.Lock()


def device_worker() -> DeviceWorker:
    """The process-wide device thread (created on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = DeviceWorker()
        return _shared
