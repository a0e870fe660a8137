"""The billing run's writer thread: batches written in order, one at a time, and a
failure surfaces in the caller's thread without later batches being written."""

from __future__ import annotations

import threading

import pytest

from ebs_desktop.services.billing.write_behind import WriteBehind, wanted


def test_batches_are_written_in_order_on_another_thread() -> None:
    seen: list[tuple[int, str]] = []
    behind: WriteBehind[int] = WriteBehind(
        lambda n: seen.append((n, threading.current_thread().name)), "test-writer")
    for n in range(50):
        behind.submit(n)
    behind.close()
    assert [n for n, _ in seen] == list(range(50))
    assert {name for _, name in seen} == {"test-writer"}
    assert behind.written == 50


def test_a_failed_write_stops_the_rest_and_is_raised_to_the_caller() -> None:
    written: list[int] = []
    release = threading.Event()

    def write(n: int) -> None:
        if n == 2:
            release.wait(5)
            raise ValueError(f"batch {n} refused")
        written.append(n)

    behind: WriteBehind[int] = WriteBehind(write)
    for n in range(3):
        behind.submit(n)
    release.set()
    with pytest.raises(ValueError, match="batch 2 refused"):
        for n in range(3, 10):  # a later submit (or close) reports the failure
            behind.submit(n)
        behind.close()
    assert written == [0, 1]


def test_only_postgresql_writes_behind() -> None:
    assert wanted("postgresql") and not wanted("sqlite")
