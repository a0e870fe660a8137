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
- **Fast.** Inputs per batch come from a few set-based queries, prices from the pure
  calculation (compiled tariff versions are cached), and rows go out as tuples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ebs_desktop.domain.billcalc import AccountFacts, BillCalculation, Usage, calculate_bill
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.tariffs.model import TariffVersion
from ebs_desktop.errors import EbsError, NotFound
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import BillingCycle, BillingRun
from ebs_desktop.persistence.types import quantity_to_milli
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.billing import inputs, writer
from ebs_desktop.services.billing.periods import parse_period, period_text, read_date
from ebs_desktop.services.guard import require
from ebs_desktop.services.numbering import take_numbers
from ebs_desktop.services.settings import UtilitySettings, get_settings
from ebs_desktop.services.tariffs import version_ids, versions_for

ZERO = Decimal(0)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunException:
    account_id: int
    code: str
    detail: str


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
                                "detail": e.detail} for e in self.exceptions[:1000]]}


@dataclass
class _Priced:
    acc: inputs.AccountInput
    calc: BillCalculation | None
    start: date
    end: date
    kwh: Decimal
    demand: Decimal | None
    estimated: bool
    estimated_readings: list[tuple[int, date, Decimal, Decimal]]  # register, date, value, kWh
    exceptions: list[tuple[str, str]]


class _Context:
    """Per-run caches: tariff versions (compiled once) and their row ids."""

    def __init__(self, session: Session, settings: UtilitySettings) -> None:
        self.session = session
        self.settings = settings
        self.currency = settings.currency
        self.cash_step = settings.cash_step_money
        self._versions: dict[int, tuple[TariffVersion, ...]] = {}
        self._version_ids: dict[int, dict[int, int]] = {}
        self.high = settings.decimal("high_consumption_factor")
        self.low = settings.decimal("low_consumption_factor")

    def versions(self, tariff_id: int) -> tuple[TariffVersion, ...]:
        if tariff_id not in self._versions:
            self._versions[tariff_id] = versions_for(self.session, tariff_id)
            self._version_ids[tariff_id] = version_ids(self.session, tariff_id)
        return self._versions[tariff_id]

    def version_row_id(self, tariff_id: int, ref: str | None) -> int | None:
        if not ref:
            return None
        number = int(ref.rsplit("v", 1)[1])
        return self._version_ids[tariff_id].get(number)


def _due_account_ids(conn: Connection, period: str, cycle_ids: list[int]) -> list[int]:
    cycles = ",".join(str(c) for c in cycle_ids)
    return [int(r[0]) for r in conn.execute(text(
        "SELECT a.id FROM accounts a WHERE a.status = 'active'"
        f" AND a.cycle_id IN ({cycles}) AND NOT EXISTS (SELECT 1 FROM bills b"
        " WHERE b.account_id = a.id AND b.period = :p AND b.revision = 0) ORDER BY a.id"),
        {"p": period})]


def _price(ctx: _Context, acc: inputs.AccountInput, period_end: date, issue: date,
           states: dict[int, list[inputs.RegisterState]]) -> _Priced:
    exceptions: list[tuple[str, str]] = []
    energy: dict[str, Decimal] = {}
    demand: Decimal | None = None
    last_read: date | None = None
    for r in acc.readings:
        if r.kind == "demand":
            demand = r.value if demand is None else max(demand, r.value)
        else:
            energy[r.code] = energy.get(r.code, ZERO) + (r.consumption or ZERO)
            if r.read_on > (last_read or date.min):
                last_read = r.read_on
    estimated_rows: list[tuple[int, date, Decimal, Decimal]] = []
    estimated = False
    end = last_read or period_end
    if last_read is None:
        estimated = True
        end = period_end
        regs = [s for s in states.get(acc.account_id, []) if s.kind == "energy"]
        if not regs or any(s.daily is None for s in regs):
            exceptions.append(("no_reading", "no reading and no history to estimate from"))
            return _Priced(acc, None, acc.start, end, ZERO, None, True, [], exceptions)
        for s in regs:
            days = (end - s.last_read).days
            kwh = (s.daily * days).quantize(Decimal("0.001")) if s.daily else ZERO
            energy[s.code] = kwh
            estimated_rows.append((s.register_id, end, s.last_value + kwh, kwh))
        exceptions.append(("estimated", "no valid reading: estimated from history"))
    if len({r.register_id for r in acc.readings if r.kind == "energy"}) > len(energy):
        exceptions.append(("meter_changed", "readings of more than one meter in the period"))
    # A TOU meter's own total can differ from the sum of its registers by the display's
    # last digit; the registers are what is priced, so they make the total.
    total_kwh = energy.pop("kwh", ZERO)
    if energy:
        total_kwh = sum(energy.values(), ZERO)
    start = acc.start
    if end < start:
        exceptions.append(("no_reading", f"latest reading {end} is before the period start"))
        return _Priced(acc, None, start, end, ZERO, demand, estimated, [], exceptions)
    if total_kwh < 0:
        exceptions.append(("negative", f"consumption {total_kwh} kWh is negative"))
        return _Priced(acc, None, start, end, total_kwh, demand, estimated, [], exceptions)
    if total_kwh == 0:
        exceptions.append(("zero", "zero consumption"))
    hist = acc.history_daily()
    if hist and not estimated:
        daily = total_kwh / ((end - start).days + 1)
        if daily > hist * ctx.high:
            exceptions.append(("high", f"{daily:.2f} kWh/day against {hist:.2f} usual"))
        elif daily < hist * ctx.low:
            exceptions.append(("low", f"{daily:.2f} kWh/day against {hist:.2f} usual"))
    overdue = ZERO
    days_past_due = 0
    if acc.prev_due is not None and acc.balance_minor > 0 and issue > acc.prev_due:
        overdue = Money(acc.balance_minor, ctx.currency).amount
        days_past_due = (issue - acc.prev_due).days
    facts = AccountFacts(category=acc.category, sanctioned_load_kw=acc.sanctioned_kw,
                         prompt_payment_earned=acc.prev_end is not None
                         and acc.balance_minor <= 0,
                         overdue=overdue, days_past_due=days_past_due)
    try:
        calc = calculate_bill(ctx.versions(acc.tariff_id), start, end,
                              Usage(total_kwh, energy, demand), facts, ctx.currency,
                              ctx.cash_step)
    except EbsError as exc:
        exceptions.append(("no_tariff", str(exc)))
        return _Priced(acc, None, start, end, total_kwh, demand, estimated, [], exceptions)
    return _Priced(acc, calc, start, end, total_kwh, demand, estimated, estimated_rows,
                   exceptions)


def _write_batch(conn: Connection, session: Session, ctx: _Context, actor: Actor,
                 run_id: int, period: str, priced: list[_Priced], issue: date,
                 due: date) -> tuple[int, int, str | None, str | None]:
    billable = [p for p in priced if p.calc is not None]
    now = datetime.now(UTC)
    first = last = None
    total = 0
    exc_rows = [(run_id, p.acc.account_id, code, detail)
                for p in priced for code, detail in p.exceptions]
    writer.bulk_insert(conn, "billing_exceptions", writer.EXCEPTION_COLUMNS, exc_rows)
    if billable:
        year = period[:4]
        prefix, seq = take_numbers(session, f"BILL-{year}", f"B{year}-", len(billable))
        bill_ids = writer.reserve_ids(conn, "bills", len(billable))
        bills: list[tuple[object, ...]] = []
        lines: list[tuple[object, ...]] = []
        entries: list[tuple[object, ...]] = []
        balances: list[tuple[int, int]] = []
        est: list[tuple[object, ...]] = []
        journal_id = writer.reserve_ids(conn, "journals", 1)[0]
        for i, (p, bill_id) in enumerate(zip(billable, bill_ids, strict=True)):
            calc = p.calc
            assert calc is not None
            number = f"{prefix}{seq + i:07d}"
            first = first or number
            last = number
            amount = calc.total.minor
            total += amount
            bills.append((bill_id, number, p.acc.account_id, period, 0, "regular", None, run_id,
                          p.acc.tariff_id, p.start, p.end, issue, due,
                          quantity_to_milli(p.kwh),
                          None if p.demand is None else quantity_to_milli(p.demand),
                          p.estimated, amount, calc.after_due.minor, now))
            for n, line in enumerate(calc.lines, 1):
                lines.append((bill_id, n, line.code, line.description, str(line.quantity),
                              str(line.rate), line.amount_minor,
                              ctx.version_row_id(p.acc.tariff_id, line.version_ref)))
            entries.append((journal_id, "AR", p.acc.account_id, amount, issue, bill_id, None,
                            None))
            balances.append((amount, p.acc.account_id))
            for reg_id, read_on, value, kwh in p.estimated_readings:
                est.append((reg_id, read_on, quantity_to_milli(value), quantity_to_milli(kwh),
                             "estimated", "valid", None, "", None, None, now))
        entries.append((journal_id, "SALES", None, -total, issue, None, None, None))
        writer.bulk_insert(conn, "journals",
                           ("id", "kind", "entry_date", "description", "user_id", "created_at"),
                           [(journal_id, "bill", issue, f"Bills {first} to {last}",
                             actor.user_id, now)])
        writer.bulk_insert(conn, "bills", writer.BILL_COLUMNS, bills)
        writer.bulk_insert(conn, "bill_lines", writer.LINE_COLUMNS, lines)
        writer.bulk_insert(conn, "ledger_entries", writer.ENTRY_COLUMNS, entries)
        writer.bulk_insert(conn, "readings", writer.READING_COLUMNS, est)
        writer.bump_balances(conn, balances)
    session.execute(update(BillingRun).where(BillingRun.id == run_id).values(
        bills_created=BillingRun.bills_created + len(billable),
        total_minor=BillingRun.total_minor + total))
    if billable:
        audit.record(session, actor, "bill.run.batch", "billing_run", run_id,
                     after={"period": period, "bills": len(billable), "first": first,
                            "last": last, "total_minor": total})
    return len(billable), total, first, last


def _start_run(db: Database, actor: Actor, period: str, cycle_id: int | None) -> int:
    with db.write() as session:
        existing = session.scalar(select(BillingRun.id).where(
            BillingRun.period == period, BillingRun.status != "completed",
            BillingRun.cycle_id.is_(None) if cycle_id is None
            else BillingRun.cycle_id == cycle_id))
        if existing is not None:
            audit.record(session, actor, "bill.run.resume", "billing_run", existing,
                         after={"period": period})
            return int(existing)
        run = BillingRun(period=period, cycle_id=cycle_id, status="running",
                         user_id=actor.user_id, bills_created=0, total_minor=0)
        session.add(run)
        session.flush()
        audit.record(session, actor, "bill.run.start", "billing_run", run.id,
                     after={"period": period, "cycle_id": cycle_id})
        return int(run.id)


def run_billing(db: Database, actor: Actor, period: str, *, cycle: str | None = None,
                dry_run: bool = False, issue_date: date | None = None,
                batch_size: int = 5000, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> RunResult:
    """Bill the period (``YYYY-MM``) for one cycle or all; see the module docstring."""
    require(actor, "bill.calc" if dry_run else "bill.run")
    year, month = parse_period(period)
    period = period_text(year, month)
    with db.read() as session:
        q = select(BillingCycle.id, BillingCycle.read_day, BillingCycle.code)
        if cycle is not None:
            q = q.where(BillingCycle.code == cycle)
        cycles = list(session.execute(q))
        settings = get_settings(session)
    if not cycles:
        raise NotFound(f"no billing cycle {cycle!r}" if cycle else "no billing cycles defined")
    issue = issue_date or date.today()
    due = issue + timedelta(days=settings.bill_due_days)
    result = RunResult(period, None, dry_run, total=Money.zero(settings.currency))
    run_id = None if dry_run else _start_run(db, actor, period,
                                             cycles[0][0] if cycle else None)
    result.run_id = run_id
    for cycle_id, read_day, _code in cycles:
        period_end = read_date(year, month, read_day)
        with db.read() as session:
            ids = _due_account_ids(session.connection(), period, [cycle_id])
        result.accounts += len(ids)
        done = 0
        while ids:
            if cancelled is not None and cancelled():
                result.cancelled = True
                break
            batch, ids = ids[:batch_size], ids[batch_size:]
            try:
                _run_batch(db, actor, run_id, period, batch, period_end, issue, due,
                           settings, result)
            except IntegrityError:
                # another run billed some of these accounts meanwhile: take them out, retry
                with db.read() as session:
                    still = set(_due_account_ids(session.connection(), period, [cycle_id]))
                ids = [i for i in batch if i in still] + [i for i in ids if i in still]
                continue
            done += len(batch)
            if progress is not None:
                progress(done, result.accounts)
        if result.cancelled:
            break
    if run_id is not None:
        with db.write() as session:
            status = "cancelled" if result.cancelled else "completed"
            session.execute(update(BillingRun).where(BillingRun.id == run_id).values(
                status=status, finished_at=datetime.now(UTC)))
            audit.record(session, actor, f"bill.run.{status}", "billing_run", run_id,
                         after={"period": period, "bills": result.bills,
                                "total": str(result.total)})
    return result


def _run_batch(db: Database, actor: Actor, run_id: int | None, period: str, batch: list[int],
               period_end: date, issue: date, due: date, settings: UtilitySettings,
               result: RunResult) -> None:
    unit = db.read() if run_id is None else db.write()
    with unit as session:
        conn = session.connection()
        ctx = _Context(session, settings)
        accs = inputs.load_batch(conn, batch, period_end)
        missing = [a.account_id for a in accs if not any(r.kind == "energy"
                                                         for r in a.readings)]
        states = inputs.load_register_states(conn, missing, period_end)
        priced = [_price(ctx, a, period_end, issue, states) for a in accs]
        for p in priced:
            for code, detail in p.exceptions:
                result.exceptions.append(RunException(p.acc.account_id, code, detail))
        if run_id is None:
            n = sum(1 for p in priced if p.calc is not None)
            total = sum(p.calc.total.minor for p in priced if p.calc is not None)
        else:
            n, total, first, last = _write_batch(conn, session, ctx, actor, run_id, period,
                                                 priced, issue, due)
            result.first_number = result.first_number or first
            result.last_number = last or result.last_number
        result.bills += n
        assert result.total is not None
        result.total = result.total + Money(total, settings.currency)
