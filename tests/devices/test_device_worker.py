"""The device worker: one named thread, timeouts that cancel, progress, errors passed on."""

from __future__ import annotations

import threading
import time

import pytest

from ebs_desktop.devices.worker import DeviceWorker, JobCancelled, JobControl
from ebs_desktop.errors import DeviceError


def test_timeout_cancels_a_stuck_job() -> None:
    worker = DeviceWorker()
    finished = threading.Event()
    names: list[str] = []

    def stuck(control: JobControl) -> None:
        names.append(threading.current_thread().name)
        try:
            while True:
                control.check()
                time.sleep(0.01)
        finally:
            finished.set()

    job = worker.submit("probe", stuck, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(DeviceError, match=r"probe: no result within 0\.3 s"):
        job.result()
    assert time.monotonic() - started < 1
    assert finished.wait(1) and job.control.cancelled
    assert names[0].startswith("ebs-device")
    messages: list[str] = []
    assert worker.run("next", lambda control: control.report("hi") or 7, timeout=1,
                      progress=messages.append) == 7
    assert messages == ["hi"]
    worker.shutdown()


def test_job_errors_reach_the_caller() -> None:
    worker = DeviceWorker()

    def failing(control: JobControl) -> None:
        raise DeviceError("port vanished")

    with pytest.raises(DeviceError, match="port vanished"):
        worker.run("read", failing, timeout=1)
    release = threading.Event()
    busy = worker.submit("busy", lambda control: release.wait(2), timeout=3)
    queued = worker.submit("queued", lambda control: "ran", timeout=1)
    queued.cancel()
    release.set()
    assert busy.result() is True
    with pytest.raises(JobCancelled, match="queued: cancelled"):
        queued.result()
    worker.shutdown()
