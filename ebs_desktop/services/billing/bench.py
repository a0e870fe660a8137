"""The billing benchmark behind docs/performance.md: build N accounts with history through
the demo builder, then time one billing run of the month after the last one billed.

The figure is the run alone (``run_billing``), with what a real run does: readings,
estimates, exceptions, numbering, ledger, balances, audit. Peak memory is the process's
maximum resident set (``getrusage``); the helper process reports its own.
"""

from __future__ import annotations

import resource
import time
from datetime import date
from typing import Any

from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.billing.run import run_billing
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.demo.build import last_complete_month


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
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kib),
               "peak_rss_mb_helper": round(
                   resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kib)})


def floor_bills_per_second(bills: int = 200_000) -> dict[str, Any]:
    """The issue's reference floor on this machine: a bare loop pricing a 5-slab bill with a
    fixed charge and a tax (Decimal, rounded per line) and inserting the bill and its lines
    as tuples into a fresh SQLite file (WAL, synchronous=FULL, foreign keys on), in batches
    of 5,000. No readings, ledger, numbering or indexes beyond the keys: what the machine
    can do at best, to read the billing run's figure against."""
    import os
    import sqlite3
    import tempfile
    from decimal import ROUND_HALF_UP, Decimal

    slabs = [(Decimal(100), Decimal("0.085")), (Decimal(200), Decimal("0.115")),
             (Decimal(200), Decimal("0.145")), (Decimal(500), Decimal("0.175")),
             (None, Decimal("0.2"))]
    cent = Decimal("0.01")
    with tempfile.TemporaryDirectory(prefix="ebs-floor-") as tmp:
        con = sqlite3.connect(os.path.join(tmp, "floor.sqlite3"), isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
            con.execute(f"PRAGMA {pragma}")
        con.execute("CREATE TABLE bills (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,"
                    " total_minor INTEGER NOT NULL)")
        con.execute("CREATE TABLE bill_lines (id INTEGER PRIMARY KEY, bill_id INTEGER NOT NULL"
                    " REFERENCES bills (id), seq INTEGER NOT NULL, code TEXT NOT NULL,"
                    " description TEXT NOT NULL, quantity TEXT NOT NULL, rate TEXT NOT NULL,"
                    " amount_minor INTEGER NOT NULL, UNIQUE (bill_id, seq))")
        started = time.perf_counter()
        for first in range(1, bills + 1, 5000):
            rows, lines = [], []
            for bill_id in range(first, min(first + 5000, bills + 1)):
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
            con.execute("BEGIN")
            con.executemany("INSERT INTO bills VALUES (?, ?, ?)", rows)
            con.executemany("INSERT INTO bill_lines (bill_id, seq, code, description, quantity,"
                            " rate, amount_minor) VALUES (?, ?, ?, ?, ?, ?, ?)", lines)
            con.execute("COMMIT")
        seconds = time.perf_counter() - started
        con.close()
    return {"bills": bills, "seconds": round(seconds, 2),
            "bills_per_s": round(bills / seconds)}
