"""The reference loop of issue 3 (``ebs bench billing --floor``), on both backends: it
must do the work it times, identically, and leave nothing behind."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from ebs_desktop.services.peak_memory import (
    ebs_command_reporting_peak,
    own_peak_rss_mb,
    reported_peak,
)
from tools.bench.billing import floor_bills_per_second


def test_sqlite_floor_writes_every_bill_and_line() -> None:
    figures = floor_bills_per_second(12_345)
    assert figures["backend"] == "sqlite"
    assert figures["written_bills"] == 12_345
    # a fixed charge, at least one slab and the tax on every bill
    assert figures["written_lines"] >= 3 * 12_345
    assert figures["bills_per_s"] > 0


@pytest.mark.pg
def test_postgresql_floor_copies_the_same_bills_and_drops_its_schema(
        pg_migrated_url: str) -> None:
    pg = floor_bills_per_second(7_000, pg_url=pg_migrated_url)
    lite = floor_bills_per_second(7_000)
    assert pg["backend"] == "postgresql"
    for key in ("written_bills", "written_lines", "total_minor"):
        assert pg[key] == lite[key]
    engine = create_engine(pg_migrated_url)
    with engine.connect() as conn:
        left = conn.execute(text("SELECT COUNT(*) FROM information_schema.schemata"
                                 " WHERE schema_name LIKE 'ebs_floor_%'")).scalar()
    engine.dispose()
    assert left == 0


def test_peak_memory_of_a_spawned_process_is_its_own() -> None:
    """The billing bench times its run in a spawned process; its peak must not include
    the memory of the process that spawned it (Linux carries that into ru_maxrss)."""
    import multiprocessing

    ballast = bytearray(300 << 20)  # this process: at least 300 MB resident
    ballast[::4096] = b"x" * len(ballast[::4096])
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(1) as pool:
        child_mb = pool.apply(own_peak_rss_mb)
    del ballast
    assert 5 < child_mb < 250
    assert own_peak_rss_mb() >= 300


def test_an_ebs_child_reports_its_own_peak_not_its_parents() -> None:
    """The readings benchmark runs ``ebs readings import`` as a child process."""
    import subprocess

    ballast = bytearray(300 << 20)
    ballast[::4096] = b"x" * len(ballast[::4096])
    done = subprocess.run(ebs_command_reporting_peak(["--help"]), capture_output=True,
                          text=True, check=True)
    del ballast
    assert "Usage" in done.stdout
    peak = reported_peak(done.stderr)
    assert peak is not None and 5 < peak < 250
