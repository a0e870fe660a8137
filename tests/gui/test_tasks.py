"""The task runner: results and errors on the GUI thread, cancel stops the work."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytestqt.qtbot import QtBot

from ebs_desktop.errors import ValidationError
from ebs_desktop.gui.qt import QPushButton
from ebs_desktop.gui.stall_monitor import StallMonitor
from ebs_desktop.gui.tasks import (
    OrmObjectCrossedThreads,
    SyncRunner,
    Task,
    ThreadedRunner,
)
from ebs_desktop.services.progress import Progress, TaskState


@dataclass(frozen=True)
class Total:
    count: int
    thread: int


@pytest.fixture
def runner() -> Iterator[ThreadedRunner]:
    r = ThreadedRunner("test-db")
    yield r
    r.shutdown()


def test_result_arrives_on_gui_thread(qtbot: QtBot, runner: ThreadedRunner) -> None:
    gui_thread = threading.get_ident()
    got: list[tuple[Total, int]] = []

    def work(state: TaskState) -> Total:
        return Total(sum(range(1000)), threading.get_ident())

    Task(work, success=lambda r: got.append((r, threading.get_ident()))).run(runner)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    result, delivered_on = got[0]
    assert result.count == 499500
    assert result.thread != gui_thread  # the work ran elsewhere
    assert delivered_on == gui_thread  # the callback ran here
    assert runner.pending == 0


def test_failure_arrives_on_gui_thread(qtbot: QtBot, runner: ThreadedRunner) -> None:
    gui_thread = threading.get_ident()
    errors: list[tuple[BaseException, int]] = []

    def work(state: TaskState) -> int:
        raise ValidationError("reading below previous", location="route 4 line 12")

    Task(work).failure(lambda e: errors.append((e, threading.get_ident()))).run(runner)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    exc, thread = errors[0]
    assert isinstance(exc, ValidationError)
    assert "route 4 line 12" in str(exc)
    assert thread == gui_thread


def test_cancel_stops_the_work(qtbot: QtBot, runner: ThreadedRunner) -> None:
    started = threading.Event()
    units: list[int] = []
    outcome: list[str] = []

    def work(state: TaskState) -> int:
        for i in range(10_000):
            state.check_cancelled()
            units.append(i)
            started.set()
            time.sleep(0.002)
        return len(units)

    handle = (
        Task(work, success=lambda n: outcome.append("finished"))
        .cancelled(lambda: outcome.append("cancelled"))
        .run(runner)
    )
    assert started.wait(5)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == ["cancelled"]
    assert handle.done
    assert len(units) < 10_000


def test_progress_dialog_cancel_button(qtbot: QtBot, runner: ThreadedRunner) -> None:
    outcome: list[str] = []
    seen: list[Progress] = []

    def work(state: TaskState) -> None:
        for i in range(2000):
            state.check_cancelled()
            state.report(i, 2000, f"account {i}")
            time.sleep(0.002)

    task = (
        Task(work)
        .cancelled(lambda: outcome.append("cancelled"))
        .on_progress(seen.append)
        .with_progress(None, "Billing")
    )
    task.run(runner)
    relay = next(iter(runner._live))
    assert relay.dialog is not None
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=5000)
    cancel_button = relay.dialog.findChild(QPushButton)
    assert cancel_button is not None
    cancel_button.click()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == ["cancelled"]
    assert seen[-1].total == 2000 and seen[-1].done < 1999
    assert relay.dialog is None


def test_tasks_run_one_at_a_time_in_order(qtbot: QtBot, runner: ThreadedRunner) -> None:
    order: list[int] = []
    active = [0]
    overlap = [False]

    def make(n: int):  # type: ignore[no-untyped-def]
        def work(state: TaskState) -> int:
            active[0] += 1
            overlap[0] |= active[0] > 1
            time.sleep(0.01)
            active[0] -= 1
            return n

        return work

    for n in range(5):
        Task(make(n), success=order.append).run(runner)
    qtbot.waitUntil(lambda: len(order) == 5, timeout=5000)
    assert order == [0, 1, 2, 3, 4]
    assert not overlap[0]


def test_orm_objects_are_refused(qtbot: QtBot, runner: ThreadedRunner) -> None:
    class FakeRow:  # anything carrying SQLAlchemy's instance state marker
        _sa_instance_state = object()

    errors: list[BaseException] = []
    Task(lambda s: [FakeRow()]).failure(errors.append).run(runner)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], OrmObjectCrossedThreads)


def test_sync_runner_delivers_at_once() -> None:
    got: list[int] = []
    progress: list[Progress] = []

    def work(state: TaskState) -> int:
        state.report(1, 2, "half")
        return 42

    handle = Task(work, success=got.append).on_progress(progress.append).run(SyncRunner())
    assert got == [42]
    assert handle.done
    assert progress == [Progress(1, 2, "half")]


def test_cpu_bound_task_does_not_stall_the_gui(qtbot: QtBot, runner: ThreadedRunner) -> None:
    """Two seconds of pure-Python work in the background; the GUI never waits >100 ms."""
    done: list[int] = []

    def crunch(state: TaskState) -> int:
        end = time.perf_counter() + 2.0
        n = 0
        while time.perf_counter() < end:
            n += sum(i * i for i in range(200))
            if n % 7 == 0:
                state.check_cancelled()
            state.report(int((2.0 - (end - time.perf_counter())) * 1000), 2000)
        return n

    monitor = StallMonitor()
    monitor.start()
    Task(crunch, success=done.append).run(runner)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    worst = monitor.stop()
    assert done[0] > 0
    # the loop really ran throughout: the monitor's largest gap spans start to stop, so
    # "never more than 100 ms" over 2 s needs at least 20 ticks of its 10 ms timer. More
    # is not a property of the GUI: under GIL contention on a busy CI machine the timer
    # fired 98 times in one run and 38 in another, every gap still under 100 ms.
    assert monitor.ticks >= 20
    assert worst < 100.0, f"event loop stalled for {worst:.0f} ms"


def test_stall_monitor_sees_a_blocked_loop(qtbot: QtBot) -> None:
    monitor = StallMonitor()
    monitor.start()
    qtbot.wait(30)
    time.sleep(0.25)  # the GUI thread blocked, as a synchronous query would
    qtbot.wait(30)
    assert monitor.stop() >= 240.0
