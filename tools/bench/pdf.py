"""Benchmark of bill printing: bills per second, one core and all cores, into one PDF file.

Why a function (not only a script): ``ebs bench`` and ``docs/performance.md`` quote the same
figure, and a test runs it small to keep it working. Run it with
``python -m tools.bench.pdf 5000`` from the repository.

The sample bills are the demo utility's (logo, two registers, six lines with explanations,
a payment, 12 periods of history, QR code and barcode), built before the clock starts.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ebs_desktop.reports.bill_batch import render_batch
from ebs_desktop.reports.bill_pdf import render_bills
from tools.bench.sample_bills import riverside_utility, sample_bill


def bench_bill_pdf(n: int = 3000, *, workers: int | None = None,
                   single_core: bool = True) -> dict[str, Any]:
    """Render ``n`` bills into one PDF and report the rates (bills/s is the headline)."""
    utility = riverside_utility()
    docs = [sample_bill(i, utility) for i in range(n)]
    result: dict[str, Any] = {"bills": n, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="ebs-bench-") as tmp:
        if single_core:
            started = time.perf_counter()
            pages = render_bills(docs, Path(tmp) / "one-core.pdf")
            seconds = time.perf_counter() - started
            result["single_core_bills_per_s"] = round(n / seconds, 1)
            result["single_core_seconds"] = round(seconds, 3)
            assert pages == n
        out = Path(tmp) / "run.pdf"
        batch = render_batch(docs, out, workers=workers)
        result["workers"] = workers or os.cpu_count()
        result["seconds"] = round(batch.seconds, 3)
        result["bills_per_s"] = round(batch.bills_per_second, 1)
        result["pages"] = batch.pages
        # what the workers' CPU time allows on idle cores (the machine may be shared)
        result["cpu_ms_per_bill"] = round(1000 * batch.cpu_seconds / max(n, 1), 3)
        if batch.cpu_seconds > 0:
            result["idle_cores_bills_per_s"] = round(
                n / batch.cpu_seconds * (workers or os.cpu_count() or 1), 1)
        result["file_bytes"] = out.stat().st_size
        result["bytes_per_bill"] = out.stat().st_size // max(n, 1)
    return result


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 3000
    for key, value in bench_bill_pdf(n).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main(sys.argv[1:])
