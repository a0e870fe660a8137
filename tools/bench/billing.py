"""The billing benchmark behind docs/performance.md: build N accounts with history through
the demo builder, then time one billing run of the month after the last one billed.

The figure is the run alone (``run_billing``), with what a real run does: readings,
estimates, exceptions, numbering, ledger, balances, audit. Peak memory is the timed
process's own (``peak_memory``); the helper's, from ``RUSAGE_CHILDREN``, is an upper
bound (it includes this process's size when the helper was spawned).
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.billing.run import run_billing
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.demo.build import last_complete_month
from ebs_desktop.services.peak_memory import own_peak_rss_mb


def bench_billing_run(url: str, customers: int, months: int,
                      workers: int | None = None) -> dict[str, Any]:
    """Build, then time the run in a fresh process, so its peak memory is the run's own
    (the builder holds every planned row in memory; the run must not)."""
    import multiprocessing

    db = open_database(url)
    try:
        migrate.upgrade(db)
        until = last_complete_month()
        build_demo(db, customers, months, until, counter_months=1)
    finally:
        db.dispose()
    spawn = multiprocessing.get_context("spawn")
    mine, theirs = spawn.Pipe()
    proc = spawn.Process(target=_timed_run, args=(url, until, workers, theirs))
    proc.start()
    theirs.close()
    figures: dict[str, Any] = mine.recv()
    proc.join()
    figures.update(backend=url.split(":", 1)[0].split("+", 1)[0], customers=customers,
                   months=months)
    return figures


def _timed_run(url: str, until: str, workers: int | None, pipe: Any) -> None:
    db = open_database(url)
    y, m = int(until[:4]), int(until[5:])
    issue = date(y + m // 12, m % 12 + 1, 1)
    cpu0 = time.process_time()
    started = time.perf_counter()
    result = run_billing(db, system_actor("bench"), until, issue_date=issue, workers=workers)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu0
    db.dispose()
    kib = 1024
    pipe.send({"period": until, "bills": result.bills, "exceptions": len(result.exceptions),
               "seconds": round(seconds, 2), "cpu_seconds_main": round(cpu, 2),
               "bills_per_s": round(result.bills / seconds) if seconds else 0,
               "peak_rss_mb": own_peak_rss_mb(),
               "peak_rss_mb_helper": round(
                   resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kib)})


FLOOR_BATCH = 5000


def _floor_batches(bills: int) -> Iterator[tuple[list[tuple[int, int, int]],
                                                 list[tuple[object, ...]]]]:
    """The reference loop's work: (bill rows, line rows) per batch of 5,000, priced with
    Decimal and rounded per line: a 5-slab bill with a fixed charge and a 5% tax."""
    from decimal import ROUND_HALF_UP, Decimal

    slabs = [(Decimal(100), Decimal("0.085")), (Decimal(200), Decimal("0.115")),
             (Decimal(200), Decimal("0.145")), (Decimal(500), Decimal("0.175")),
             (None, Decimal("0.2"))]
    cent = Decimal("0.01")
    for first in range(1, bills + 1, FLOOR_BATCH):
        rows: list[tuple[int, int, int]] = []
        lines: list[tuple[object, ...]] = []
        for bill_id in range(first, min(first + FLOOR_BATCH, bills + 1)):
            kwh = Decimal(bill_id % 1500) + Decimal("0.123")
            seq, total, left = 1, 500, kwh
            lines.append((bill_id, 1, "FIXED", "Customer charge", "1", "5.00", 500))
            for size, rate in slabs:
                if left <= 0:
                    break
                q = left if size is None or left < size else size
                amount = int((q * rate / cent).quantize(Decimal(1), ROUND_HALF_UP))
                seq += 1
                lines.append((bill_id, seq, "ENERGY", f"{q} kWh x {rate}", str(q),
                              str(rate), amount))
                total += amount
                left -= q
            tax = int((Decimal(total) * Decimal("0.05")).quantize(Decimal(1), ROUND_HALF_UP))
            lines.append((bill_id, seq + 1, "VAT", "Tax 5%", str(total), "0.05", tax))
            rows.append((bill_id, bill_id, total + tax))
        yield rows, lines


_FLOOR_TABLES = ("CREATE TABLE bills (id {key} PRIMARY KEY, account_id INTEGER NOT NULL,"
                 " total_minor INTEGER NOT NULL)",
                 "CREATE TABLE bill_lines (id {serial} PRIMARY KEY, bill_id INTEGER NOT NULL"
                 " REFERENCES bills (id), seq INTEGER NOT NULL, code TEXT NOT NULL,"
                 " description TEXT NOT NULL, quantity TEXT NOT NULL, rate TEXT NOT NULL,"
                 " amount_minor INTEGER NOT NULL, UNIQUE (bill_id, seq))")
_FLOOR_CHECK = ("SELECT (SELECT COUNT(*) FROM bills), (SELECT COUNT(*) FROM bill_lines),"
                " (SELECT SUM(total_minor) FROM bills)")
_LINE_COLUMNS = "bill_id, seq, code, description, quantity, rate, amount_minor"


def floor_bills_per_second(bills: int = 200_000, pg_url: str | None = None
                           ) -> dict[str, Any]:
    """The issue's reference floor on this machine: a bare loop pricing a 5-slab bill with a
    fixed charge and a tax (Decimal, rounded per line) and inserting the bill and its lines
    as tuples, in batches of 5,000. No readings, ledger, numbering or indexes beyond the
    keys: what the machine can do at best, to read the billing run's figure against.

    SQLite: a fresh file (WAL, synchronous=FULL, foreign keys on), ``executemany``.
    PostgreSQL (``pg_url``): COPY into a scratch schema of that database, dropped after."""
    if pg_url is not None:
        return _floor_postgresql(bills, pg_url)
    import os
    import sqlite3
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ebs-floor-") as tmp:
        con = sqlite3.connect(os.path.join(tmp, "floor.sqlite3"), isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
            con.execute(f"PRAGMA {pragma}")
        for ddl in _FLOOR_TABLES:
            con.execute(ddl.format(key="INTEGER", serial="INTEGER"))
        started = time.perf_counter()
        for rows, lines in _floor_batches(bills):
            con.execute("BEGIN")
            con.executemany("INSERT INTO bills VALUES (?, ?, ?)", rows)
            con.executemany(f"INSERT INTO bill_lines ({_LINE_COLUMNS})"
                            " VALUES (?, ?, ?, ?, ?, ?, ?)", lines)
            con.execute("COMMIT")
        seconds = time.perf_counter() - started
        written = con.execute(_FLOOR_CHECK).fetchone()
        con.close()
    return _floor_figures("sqlite", bills, seconds, written)


def _floor_postgresql(bills: int, url: str) -> dict[str, Any]:
    import os

    from sqlalchemy import create_engine

    schema = f"ebs_floor_{os.getpid()}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            cur = raw.cursor()
            cur.execute(f"CREATE SCHEMA {schema}")
            try:
                cur.execute(f"SET search_path TO {schema}")
                for ddl in _FLOOR_TABLES:
                    cur.execute(ddl.format(key="INTEGER", serial="BIGSERIAL"))
                started = time.perf_counter()
                for rows, lines in _floor_batches(bills):
                    with raw.transaction():
                        with cur.copy("COPY bills (id, account_id, total_minor) FROM STDIN"
                                      ) as copy:
                            for row in rows:
                                copy.write_row(row)
                        with cur.copy(f"COPY bill_lines ({_LINE_COLUMNS}) FROM STDIN"
                                      ) as copy:
                            for line in lines:
                                copy.write_row(line)
                seconds = time.perf_counter() - started
                cur.execute(_FLOOR_CHECK)
                written = cur.fetchone()
            finally:
                cur.execute(f"DROP SCHEMA {schema} CASCADE")
    finally:
        engine.dispose()
    return _floor_figures("postgresql", bills, seconds, written)


def _floor_figures(backend: str, bills: int, seconds: float, written: Any) -> dict[str, Any]:
    """What was timed, with what the database holds afterwards (bills, lines, the bills'
    total in cents), so a run that wrote less than it claims shows."""
    return {"backend": backend, "bills": bills, "seconds": round(seconds, 2),
            "bills_per_s": round(bills / seconds), "written_bills": int(written[0]),
            "written_lines": int(written[1]), "total_minor": int(written[2])}
