"""The billing run's engine: bill every due account for a period, fast, once, and
crash-safe. ``run.run_billing`` is its public door; the demo, which bills month after
month, calls :func:`bill_period` with its own pricing helper and a hook that writes the
payments of the month before each batch is priced (options that are no business of the
application's callers).

- **Once.** Accounts are chosen as "active, in the cycle, without a bill for the period"
  and ``bills (account_id, period, revision)`` is unique, so re-running a period creates
  nothing and two racing runs cannot both bill an account (the loser's batch rolls back
  and is retried without the accounts the winner billed).
- **Crash-safe.** Each batch (bills, lines, ledger journal, balances, estimated readings,
  exceptions, bill numbers, audit entry) is one transaction. Killed at any instant, the
  database holds whole batches only; the next run picks up the accounts not yet billed,
  in the same order, with the next numbers of the same gapless series, so the result is
  what an uninterrupted run would have produced.
- **Cancelled, cleanly.** The caller's :class:`~ebs_desktop.services.progress.TaskState`
  hears of every batch (``report``); a cancel asked for is seen between batches: the
  batches written so far stay, the run is stored as ``cancelled`` and
  :class:`RunCancelled` (a ``TaskCancelled``) is raised with what was done. Billing the
  period again resumes the run.
- **Failed, visibly.** A run that stops on an error (a lost database connection, a full
  disk, a bug) ends as ``failed`` with the reason stored (``billing_runs.failure_reason``)
  and raises :class:`BillingRunFailed`, one line saying that the period resumes when run
  again. Once the cause is fixed (the server back, a new tariff version), running the
  period again resumes that run: the accounts not yet billed, the same issue date, the
  next numbers of the series. One account's bill that cannot be priced (a missing
  register, an amount beyond the ceiling) is not a failure: it is listed as an exception.
- **Fast.** Inputs per batch come from a few set-based queries (``inputs``), prices from
  the pure calculation with tariff versions compiled once per run (``pricing``), rows go
  out as tuples (``batch``, ``persistence.bulk``), and on a multi-core machine a helper
  process prices the batches ahead while this one writes (``pipeline``). On PostgreSQL the
  batches are written on a thread of their own while the next is priced
  (``write_behind``): the server does most of that work. A batch is priced in a
  read transaction and written in the next write transaction: a payment landing in
  between is in the balance (the ledger is exact) but not yet in that bill's arrears or
  rebate, as if it had arrived a second after the run.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.periods import parse_period, period_text, read_date
from ebs_desktop.errors import NotFound
from ebs_desktop.persistence.engine import Database, use_bulk_cache
from ebs_desktop.persistence.stores import billing as store
from ebs_desktop.services import audit, usage_alerts
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.billing import write_behind
from ebs_desktop.services.billing.batch import write_batch
from ebs_desktop.services.billing.failures import (
    BillingRunFailed,
    failure_reason,
    mark_failed,
)
from ebs_desktop.services.billing.pipeline import (
    PricingHelper,
    default_workers,
    priced_batches,
)
from ebs_desktop.services.billing.pricing import PricedBill, PricingContext
from ebs_desktop.services.billing.write_behind import WriteBehind
from ebs_desktop.services.gc_pause import pausing_gc
from ebs_desktop.services.guard import require
from ebs_desktop.services.notify import events as notify
from ebs_desktop.services.progress import TaskCancelled, TaskState
from ebs_desktop.services.settings import get_settings

BeforePricing = Callable[[list[int]], None]


@dataclass(frozen=True)
class RunException:
    account_id: int
    code: str
    detail: str
    account_number: str = ""


@dataclass(frozen=True)
class RunResult:
    """What a run did (or, dry, would do)."""

    period: str
    run_id: int | None
    dry_run: bool
    accounts: int = 0
    bills: int = 0
    total: Money | None = None
    exceptions: tuple[RunException, ...] = ()
    cancelled: bool = False
    first_number: str | None = None
    last_number: str | None = None

    def to_json(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for e in self.exceptions:
            counts[e.code] = counts.get(e.code, 0) + 1
        return {"period": self.period, "run_id": self.run_id, "dry_run": self.dry_run,
                "accounts": self.accounts, "bills": self.bills,
                "total": str(self.total) if self.total is not None else None,
                "cancelled": self.cancelled, "first_bill": self.first_number,
                "last_bill": self.last_number, "exception_counts": counts,
                "exceptions": [{"account_id": e.account_id, "code": e.code,
                                "account_number": e.account_number, "detail": e.detail}
                               for e in self.exceptions[:1000]]}


@dataclass
class RunTally:
    """What a run has done so far, added to as it goes (inside the engine only)."""

    period: str
    run_id: int | None
    dry_run: bool
    accounts: int = 0
    bills: int = 0
    total: Money | None = None
    exceptions: list[RunException] = field(default_factory=list)
    cancelled: bool = False
    first_number: str | None = None
    last_number: str | None = None

    def frozen(self) -> RunResult:
        return RunResult(self.period, self.run_id, self.dry_run, self.accounts, self.bills,
                         self.total, tuple(self.exceptions), self.cancelled,
                         self.first_number, self.last_number)


class RunCancelled(TaskCancelled):
    """The run was cancelled between batches: the batches written before stay, the run is
    stored as ``cancelled``, and billing the period again resumes it. ``result`` is what
    was done (``cancelled`` set)."""

    def __init__(self, result: RunResult) -> None:
        self.result = result
        what = "dry run" if result.dry_run else "billing run"
        bills = "1 bill" if result.bills == 1 else f"{result.bills:,} bills"
        super().__init__(f"{what} for {result.period} cancelled after {bills}"
                         + ("" if result.dry_run else "; billing the period again resumes it"))


def _start_run(db: Database, actor: Actor, period: str, cycle_id: int | None) -> int:
    """A new run, or the period's unfinished one (running, cancelled or failed) resumed."""
    with db.write() as session:
        existing = store.unfinished_run(session, period, cycle_id)
        if existing is not None:
            run_id, status, reason = existing
            if status != "running":
                store.reopen_run(session, run_id)
            audit.record(session, actor, "bill.run.resume", "billing_run", run_id,
                         before={"status": status, "failure_reason": reason},
                         after={"period": period})
            return run_id
        run_id = store.add_run(session, period, cycle_id, actor.user_id)
        audit.record(session, actor, "bill.run.start", "billing_run", run_id,
                     after={"period": period, "cycle_id": cycle_id})
        return run_id


def _close_finished_runs(db: Database, actor: Actor, period: str) -> None:
    """A run killed (or failed) after its last batch but before it was marked completed."""
    with db.write() as session:
        for run_id in store.open_runs(session, period):
            store.close_run(session, run_id, "completed")
            audit.record(session, actor, "bill.run.completed", "billing_run", run_id,
                         after={"period": period, "resumed": True})


def _resumed_issue_date(db: Database, run_id: int | None) -> date | None:
    """A resumed run keeps the issue date of the bills it already wrote, so an interrupted
    run finished the next morning still equals one that was never interrupted."""
    if run_id is None:
        return None
    with db.read() as session:
        return store.run_issue_date(session, run_id)


@pausing_gc
def bill_period(db: Database, actor: Actor, period: str, *, cycle: str | None = None,
                dry_run: bool = False, issue_date: date | None = None,
                batch_size: int = 5000, task: TaskState | None = None,
                workers: int | None = None, helper: PricingHelper | None = None,
                before_pricing: BeforePricing | None = None) -> RunResult:
    """Bill the period (``YYYY-MM``) for one cycle or all; see the module docstring and
    ``run.run_billing`` for the options they share. The garbage collector is paused
    meanwhile (``gc_pause``).

    ``helper``: a pricing helper the caller keeps across runs (the demo bills month after
    month with one); it is used whatever ``workers`` says. ``before_pricing``: called in
    this process with each batch's account ids, in order, before the batch is priced
    (the demo writes those accounts' payments of the month before).
    """
    require(actor, "bill.calc" if dry_run else "bill.run")
    year, month = parse_period(period)
    period = period_text(year, month)
    with db.read() as session:
        cycles = store.billing_cycles(session, cycle)
        settings = get_settings(session)
        ctx = PricingContext(session, settings)
    if not cycles:
        raise NotFound(f"no billing cycle {cycle!r}" if cycle else "no billing cycles defined")
    result = RunTally(period, None, dry_run, total=Money.zero(settings.currency))
    due_ids: list[tuple[int, date, list[int]]] = []
    with db.read() as session:
        for cycle_id, read_day, _code in cycles:
            ids = store.due_account_ids(session.connection(), period, [cycle_id])
            due_ids.append((cycle_id, read_date(year, month, read_day), ids))
            result.accounts += len(ids)
    if not result.accounts:  # nothing due: the period is billed (or nobody is active)
        if not dry_run:
            _close_finished_runs(db, actor, period)
        return result.frozen()
    run_id = None if dry_run else _start_run(db, actor, period,
                                             cycles[0][0] if cycle else None)
    result.run_id = run_id
    try:
        issue = issue_date or _resumed_issue_date(db, run_id) or date.today()
        due = issue + timedelta(days=settings.bill_due_days)
        helpers = default_workers(result.accounts) if workers is None else workers
        done = 0
        jobs: list[tuple[list[int], date]] = []
        cycle_of: list[int] = []
        for cycle_id, period_end, ids in due_ids:
            for i in range(0, len(ids), batch_size):
                jobs.append((ids[i:i + batch_size], period_end))
                cycle_of.append(cycle_id)
        def write(item: tuple[int, list[PricedBill]]) -> None:
            assert run_id is not None
            _write_with_retry(db, actor, run_id, period, item[0], item[1], issue, due, ctx,
                              result)

        behind = (WriteBehind(write, "ebs-billing-writer")
                  if run_id is not None and write_behind.wanted(db.backend) else None)
        try:
            for n, ((batch, _end), priced) in enumerate(priced_batches(
                    db, ctx, jobs, issue, helpers, helper, before_pricing)):
                if task is not None and task.is_cancelled:  # between batches
                    result.cancelled = True
                    break
                _record(result, priced)
                if run_id is None:
                    billed = [p.total_minor for p in priced if p.total_minor is not None]
                    _add(result, ctx, len(billed), sum(billed), None, None)
                elif behind is not None:  # written on its thread while the next is priced
                    behind.submit((cycle_of[n], priced))
                else:
                    write((cycle_of[n], priced))
                done += len(batch)
                if task is not None:
                    task.report(done, result.accounts)
        except BaseException:
            if behind is not None:
                with suppress(Exception):  # the error being raised is the one to report
                    behind.close()
            raise
        if behind is not None:
            behind.close()  # every batch handed over is written (or its error raised here)
        _name_accounts(db, result)
        if run_id is not None:
            with db.write() as session:
                status = "cancelled" if result.cancelled else "completed"
                usage_alerts.refresh_benchmarks(session, period)
                store.close_run(session, run_id, status)
                audit.record(session, actor, f"bill.run.{status}", "billing_run", run_id,
                             after={"period": period, "bills": result.bills,
                                    "total": str(result.total)})
    except BaseException as exc:
        if run_id is None:
            raise
        reason = failure_reason(exc)
        mark_failed(db, actor, run_id, period, reason)
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: theirs to report
            raise
        raise BillingRunFailed(run_id, period, reason) from exc
    if result.cancelled:
        raise RunCancelled(result.frozen())
    return result.frozen()


def _name_accounts(db: Database, result: RunTally) -> None:
    """Account numbers for the exceptions (what a person looks up)."""
    ids = sorted({e.account_id for e in result.exceptions})
    with db.read() as session:
        numbers = store.account_numbers(session.connection(), ids)
    result.exceptions = [RunException(e.account_id, e.code, e.detail,
                                      numbers.get(e.account_id, ""))
                         for e in result.exceptions]


def _record(result: RunTally, priced: list[PricedBill]) -> None:
    for p in priced:
        for code, detail in p.exceptions:
            result.exceptions.append(RunException(p.account_id, code, detail))


def _add(result: RunTally, ctx: PricingContext, bills: int, total: int, first: str | None,
         last: str | None) -> None:
    result.bills += bills
    assert result.total is not None
    result.total = result.total + Money(total, ctx.currency)
    result.first_number = result.first_number or first
    result.last_number = last or result.last_number


def _write_with_retry(db: Database, actor: Actor, run_id: int, period: str, cycle_id: int,
                      priced: list[PricedBill], issue: date, due: date, ctx: PricingContext,
                      result: RunTally) -> None:
    """Write a priced batch; if another run billed some of its accounts meanwhile (the
    unique bill per account and period refuses the batch), write only the others."""
    duplicate = store.integrity_errors(db)
    while priced:
        try:
            with db.write() as session:
                use_bulk_cache(session.connection())
                written = write_batch(session, run_id, actor.user_id, period, priced, issue,
                                      due, datetime.now(UTC))
                if written.bills:
                    store.add_to_run(session, run_id, written.bills, written.total_minor)
                    notify.bills_issued(session, written.bill_ids)
                    usage_alerts.bills_high_usage(session, written.bill_ids)
                    audit.record(session, actor, "bill.run.batch", "billing_run", run_id,
                                 after={"period": period, "bills": written.bills,
                                        "first": written.first_number,
                                        "last": written.last_number,
                                        "total_minor": written.total_minor})
            _add(result, ctx, written.bills, written.total_minor, written.first_number,
                 written.last_number)
            return
        except duplicate:  # raw cursors raise the driver's own error
            with db.read() as session:
                still = set(store.due_account_ids(session.connection(), period, [cycle_id]))
            left = [p for p in priced if p.account_id in still]
            if len(left) == len(priced):
                raise  # not a race with another run: a real error
            priced = left
