"""What a bill printing batch did (:func:`ebs_desktop.reports.bill_batch.render_batch`).

Apart from the batch itself so that a service can name the result without loading the
renderer (reportlab), which only the commands that print pay for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class BatchResult:
    files: tuple[Path, ...]
    bills: int
    pages: int
    seconds: float
    cpu_seconds: float = 0.0  # CPU time spent rendering, summed over the workers

    @property
    def bills_per_second(self) -> float:
        return self.bills / self.seconds if self.seconds > 0 else 0.0
