"""The billing run, as the application calls it: bill every due account for a period,
fast, once and crash-safe (how: ``engine``).

Progress and cancel come through the caller's
:class:`~ebs_desktop.services.progress.TaskState`: ``report(done, total)`` after every
batch (accounts priced of those due; the message is left as the caller set it), and a
cancel is seen between batches: the batches written stay, the run is stored as
``cancelled`` and :class:`RunCancelled` (a ``TaskCancelled``) carries the partial
:class:`RunResult`. A run that stops on an error raises :class:`BillingRunFailed`; either
way, billing the period again resumes the run.
"""

from __future__ import annotations

from datetime import date

from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.billing.engine import (
    RunCancelled,
    RunException,
    RunResult,
    bill_period,
)
from ebs_desktop.services.billing.failures import BillingRunFailed
from ebs_desktop.services.progress import TaskState

__all__ = ["BillingRunFailed", "RunCancelled", "RunException", "RunResult", "run_billing"]


def run_billing(db: Database, actor: Actor, period: str, *, cycle: str | None = None,
                dry_run: bool = False, issue_date: date | None = None,
                batch_size: int = 5000, task: TaskState | None = None,
                workers: int | None = None) -> RunResult:
    """Bill the period (``YYYY-MM``) for one cycle (its code) or all; ``dry_run`` prices
    every due account and writes nothing (``bill.calc`` instead of ``bill.run``).

    ``issue_date``: of the bills (default: today, or the date a resumed run's bills
    carry). ``workers``: helper processes that price batches while this one writes
    (default: one on a multi-core machine for runs of more than a few batches, see
    ``pipeline``). ``task``: progress and cancel (see the module docstring).
    """
    return bill_period(db, actor, period, cycle=cycle, dry_run=dry_run,
                       issue_date=issue_date, batch_size=batch_size, task=task,
                       workers=workers)
