"""The collector pause of bulk jobs: counted, so overlapping jobs (worker threads of the
desktop app) give the collector back only when the last one ends, and only if it was on."""

from __future__ import annotations

import gc
import threading

import pytest

from ebs_desktop.services.gc_pause import paused_gc, pausing_gc


def test_overlapping_pauses_end_with_the_last_job() -> None:
    assert gc.isenabled()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with paused_gc():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with paused_gc():
            second_in.set()
            first_out.wait(5)
            seen["after first ended"] = gc.isenabled()
        seen["after both"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"after first ended": False, "after both": True}


def test_a_failing_job_still_gives_the_collector_back() -> None:
    @pausing_gc
    def job() -> None:
        assert not gc.isenabled()
        raise RuntimeError("bad input")

    with pytest.raises(RuntimeError, match="bad input"):
        job()
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
