"""The billing run: bill every due account for a period, fast, once, and crash-safe.

- **Once.** Accounts are chosen as "active, in the cycle, without a bill for the period"
  and ``bills (account_id, period, revision)`` is unique, so re-running a period creates
  nothing and two racing runs cannot both bill an account (the loser's batch rolls back
  and is retried without the accounts the winner billed).
- **Crash-safe.** Each batch (bills, lines, ledger journal, balances, estimated readings,
  exceptions, bill numbers, audit entry) is one transaction. Killed at any instant, the
  database holds whole batches only; the next run picks up the accounts not yet billed,
  in the same order, with the next numbers of the same gapless series, so the result is
  what an uninterrupted run would have produced.
- **Failed, visibly.** A run that stops on an error (a lost database connection, a full
  disk, a bug) ends as ``failed`` with the reason stored (``billing_runs.failure_reason``)
  and raises :class:`BillingRunFailed`, one line saying that the period resumes when run
  again. Once the cause is fixed (the server back, a new tariff version), running the
  period again resumes that run: the accounts not yet billed, the same issue date, the
  next numbers of the series. One account's bill that cannot be priced (a missing
  register, an amount beyond the ceiling) is not a failure: it is listed as an exception.
- **Fast.** Inputs per batch come from a few set-based queries (``inputs``), prices from
  the pure calculation with tariff versions compiled once per run (``pricing``), rows go
  out as tuples (``batch``, ``writer``), and on a multi-core machine a helper process
  prices the batches ahead while this one writes (``pipeline``). On PostgreSQL the
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

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.periods import parse_period, period_text, read_date
from ebs_desktop.errors import NotFound
from ebs_desktop.persistence.engine import Database, use_bulk_cache
from ebs_desktop.persistence.models import Bill, BillingCycle, BillingRun
from ebs_desktop.persistence.raw import fetch_rows
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.billing import inputs, write_behind
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
from ebs_desktop.services.billing.pricing import PricedBill, PricingContext, price_account
from ebs_desktop.services.billing.write_behind import WriteBehind
from ebs_desktop.services.gc_pause import pausing_gc
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import get_settings

Progress = Callable[[int, int], None]
@dataclass(frozen=True)
class RunException:
    account_id: int
    code: str
    detail: str
    account_number: str = ""


@dataclass
class RunResult:
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


def _due_account_ids(conn: Connection, period: str, cycle_ids: list[int]) -> list[int]:
    cycles = ",".join(str(int(c)) for c in cycle_ids)
    return [int(r[0]) for r in fetch_rows(conn,
        "SELECT a.id FROM accounts a WHERE a.status = 'active'"
        f" AND a.cycle_id IN ({cycles}) AND NOT EXISTS (SELECT 1 FROM bills b"
        " WHERE b.account_id = a.id AND b.period = ? AND b.revision = 0) ORDER BY a.id",
        (period,))]


def _start_run(db: Database, actor: Actor, period: str, cycle_id: int | None) -> int:
    """A new run, or the period's unfinished one (running, cancelled or failed) resumed."""
    with db.write() as session:
        existing = session.execute(select(BillingRun.id, BillingRun.status,
                                          BillingRun.failure_reason).where(
            BillingRun.period == period, BillingRun.status != "completed",
            BillingRun.cycle_id.is_(None) if cycle_id is None
            else BillingRun.cycle_id == cycle_id).order_by(BillingRun.id)).first()
        if existing is not None:
            run_id, status, reason = existing
            if status != "running":
                session.execute(update(BillingRun).where(BillingRun.id == run_id).values(
                    status="running", failure_reason=None, finished_at=None))
            audit.record(session, actor, "bill.run.resume", "billing_run", run_id,
                         before={"status": status, "failure_reason": reason},
                         after={"period": period})
            return int(run_id)
        run = BillingRun(period=period, cycle_id=cycle_id, status="running",
                         user_id=actor.user_id, bills_created=0, total_minor=0)
        session.add(run)
        session.flush()
        audit.record(session, actor, "bill.run.start", "billing_run", run.id,
                     after={"period": period, "cycle_id": cycle_id})
        return int(run.id)


def _close_finished_runs(db: Database, actor: Actor, period: str) -> None:
    """A run killed (or failed) after its last batch but before it was marked completed."""
    with db.write() as session:
        for run_id in session.scalars(select(BillingRun.id).where(
                BillingRun.period == period,
                BillingRun.status.in_(("running", "failed")))).all():
            session.execute(update(BillingRun).where(BillingRun.id == run_id).values(
                status="completed", finished_at=datetime.now(UTC), failure_reason=None))
            audit.record(session, actor, "bill.run.completed", "billing_run", run_id,
                         after={"period": period, "resumed": True})


def _resumed_issue_date(db: Database, run_id: int | None) -> date | None:
    """A resumed run keeps the issue date of the bills it already wrote, so an interrupted
    run finished the next morning still equals one that was never interrupted."""
    if run_id is None:
        return None
    with db.read() as session:
        return session.scalar(select(Bill.issue_date).where(Bill.run_id == run_id).limit(1))


@pausing_gc
def run_billing(db: Database, actor: Actor, period: str, *, cycle: str | None = None,
                dry_run: bool = False, issue_date: date | None = None,
                batch_size: int = 5000, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None,
                workers: int | None = None,
                helper: PricingHelper | None = None,
                before_pricing: Callable[[list[int]], None] | None = None
                ) -> RunResult:
    """Bill the period (``YYYY-MM``) for one cycle or all; see the module docstring. The
    garbage collector is paused meanwhile (``gc_pause``).

    ``workers``: helper processes that price batches while this one writes (default: one
    on a multi-core machine for runs of more than a few batches, see ``pipeline``).
    ``helper``: a pricing helper the caller keeps across runs (the demo bills month after
    month with one); it is used whatever ``workers`` says. ``before_pricing``: called in
    this process with each batch's account ids, in order, before the batch is priced
    (the demo writes those accounts' payments of the month before).
    """
    require(actor, "bill.calc" if dry_run else "bill.run")
    year, month = parse_period(period)
    period = period_text(year, month)
    with db.read() as session:
        q = select(BillingCycle.id, BillingCycle.read_day, BillingCycle.code)
        if cycle is not None:
            q = q.where(BillingCycle.code == cycle)
        cycles = list(session.execute(q))
        settings = get_settings(session)
        ctx = PricingContext(session, settings)
    if not cycles:
        raise NotFound(f"no billing cycle {cycle!r}" if cycle else "no billing cycles defined")
    result = RunResult(period, None, dry_run, total=Money.zero(settings.currency))
    due_ids: list[tuple[int, date, list[int]]] = []
    with db.read() as session:
        for cycle_id, read_day, _code in cycles:
            ids = _due_account_ids(session.connection(), period, [cycle_id])
            due_ids.append((cycle_id, read_date(year, month, read_day), ids))
            result.accounts += len(ids)
    if not result.accounts:  # nothing due: the period is billed (or nobody is active)
        if not dry_run:
            _close_finished_runs(db, actor, period)
        return result
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
                if cancelled is not None and cancelled():
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
                if progress is not None:
                    progress(done, result.accounts)
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
                session.execute(update(BillingRun).where(BillingRun.id == run_id).values(
                    status=status, finished_at=datetime.now(UTC)))
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
    return result


def _name_accounts(db: Database, result: RunResult) -> None:
    """Account numbers for the exceptions (what a person looks up)."""
    ids = sorted({e.account_id for e in result.exceptions})
    numbers: dict[int, str] = {}
    with db.read() as session:
        conn = session.connection()
        for i in range(0, len(ids), 5000):
            numbers.update(fetch_rows(conn, "SELECT id, account_number FROM accounts"
                                             f" WHERE id IN ({inputs.in_list(ids[i:i + 5000])})"))
    result.exceptions = [RunException(e.account_id, e.code, e.detail,
                                      numbers.get(e.account_id, ""))
                         for e in result.exceptions]


def _record(result: RunResult, priced: list[PricedBill]) -> None:
    for p in priced:
        for code, detail in p.exceptions:
            result.exceptions.append(RunException(p.account_id, code, detail))


def _add(result: RunResult, ctx: PricingContext, bills: int, total: int, first: str | None,
         last: str | None) -> None:
    result.bills += bills
    assert result.total is not None
    result.total = result.total + Money(total, ctx.currency)
    result.first_number = result.first_number or first
    result.last_number = last or result.last_number


def _write_with_retry(db: Database, actor: Actor, run_id: int, period: str, cycle_id: int,
                      priced: list[PricedBill], issue: date, due: date, ctx: PricingContext,
                      result: RunResult) -> None:
    """Write a priced batch; if another run billed some of its accounts meanwhile (the
    unique bill per account and period refuses the batch), write only the others."""
    dbapi = db.engine.dialect.dbapi
    duplicate: tuple[type[BaseException], ...] = (
        (IntegrityError,) if dbapi is None else (IntegrityError, dbapi.IntegrityError))
    while priced:
        try:
            with db.write() as session:
                use_bulk_cache(session.connection())
                written = write_batch(session, run_id, actor.user_id, period, priced, issue,
                                      due, datetime.now(UTC))
                if written.bills:
                    session.execute(update(BillingRun).where(BillingRun.id == run_id).values(
                        bills_created=BillingRun.bills_created + written.bills,
                        total_minor=BillingRun.total_minor + written.total_minor))
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
                still = set(_due_account_ids(session.connection(), period, [cycle_id]))
            left = [p for p in priced if p.account_id in still]
            if len(left) == len(priced):
                raise  # not a race with another run: a real error
            priced = left


def price_batch(conn: Connection, ctx: PricingContext, batch: list[int], period_end: date,
                issue: date) -> list[PricedBill]:
    """Load the inputs of ``batch`` and price every account (no writes)."""
    accs = inputs.load_batch(conn, batch, period_end)
    missing = [a.account_id for a in accs if not a.energy_registers]
    states = inputs.load_register_states(conn, missing, period_end)
    return [price_account(ctx, a, period_end, issue, states) for a in accs]
