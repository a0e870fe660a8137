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
    db = open_database(url)
    try:
        migrate.upgrade(db)
        until = last_complete_month()
        build_demo(db, customers, months, until, counter_months=1)
        y, m = int(until[:4]), int(until[5:])
        issue = date(y + m // 12, m % 12 + 1, 1)
        cpu0 = time.process_time()
        started = time.perf_counter()
        result = run_billing(db, system_actor("bench"), until, issue_date=issue,
                             workers=workers)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu0
    finally:
        db.dispose()
    return {"backend": db.backend, "customers": customers, "months": months,
            "period": until, "bills": result.bills, "exceptions": len(result.exceptions),
            "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "bills_per_s": round(result.bills / seconds) if seconds else 0,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
