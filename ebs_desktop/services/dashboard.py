"""The home dashboard of managers and administrators: one call, one frozen record.

Why one call: the home page refreshes itself every minute while it is shown; one read
transaction gives figures that agree with each other (today's collections and the open
shifts' takings from the same moment) and one round trip to the worker thread. Each part
is checked on its own permission and left ``None`` for an actor without it, so the record
carries only what its reader may see: the business parts need ``report.view``, the system
health ``db.manage`` (administrators), and within it the failed sign-ins ``audit.view``
and the audit chain ``audit.verify``.

What "open period" means for readings: the month after the newest period a billing run
completed (or this month when none has): the readings a billing run of that period will
need. Expected, read and estimated are counted as in the reading-completeness report (the
energy registers of the active accounts, once per read date of their cycle).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.periods import read_date
from ebs_desktop.domain.permissions import allowed
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import backups as backup_store
from ebs_desktop.persistence.stores import dashboard as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.backup import as_utc
from ebs_desktop.services.guard import require_any
from ebs_desktop.services.settings import currency as utility_currency

AGE_BUCKETS = ("Not due", "1-30 days", "31-60 days", "61-90 days", "Over 90 days")
TREND_MONTHS = 12
LAST_RUNS = 5
GROWTH_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Takings:
    label: str  # a tender, a counter name, or a channel
    payments: int
    amount: Money


@dataclass(frozen=True)
class Collections:
    day: date
    by_tender: tuple[Takings, ...]
    by_counter: tuple[Takings, ...]
    total: Money
    payments: int
    reversed: int


@dataclass(frozen=True)
class ShiftLine:
    shift_id: int
    counter: str
    clerk: str
    at: datetime | None  # opened (open shifts) or closed (awaiting approval)
    taken: Money | None


@dataclass(frozen=True)
class Arrears:
    as_of: date
    buckets: tuple[tuple[str, Money], ...]
    overdue: Money  # every bucket but "not due"
    trend: tuple[tuple[str, Money], ...]  # (YYYY-MM, overdue at that month's end), oldest first


@dataclass(frozen=True)
class RunLine:
    run_id: int
    period: str
    status: str
    bills: int
    total: Money
    started_at: datetime
    exceptions: int


@dataclass(frozen=True)
class MissingReadings:
    period: str
    expected: int
    read: int
    estimated: int
    missing: int
    worst_routes: tuple[tuple[str, int], ...]  # (route, missing), most missing first


@dataclass(frozen=True)
class LastBackup:
    taken_at: datetime
    kind: str
    path: str
    size_bytes: int


@dataclass(frozen=True)
class SystemHealth:
    backend: str
    database_bytes: int
    growth_bytes: int | None  # since ``growth_since`` (a backup's record), None: unknown
    growth_since: datetime | None
    schema_version: str | None
    program_schema: str
    connections: int | None  # None: SQLite, this PC only
    last_backup: LastBackup | None
    failed_sign_ins: int | None  # last 24 h; None without audit.view
    audit_ok: bool | None  # None without audit.verify
    audit_entries: int
    audit_problem: str | None
    outbox: tuple[tuple[str, int], ...] | None  # None: notifications not in use
    portal_actions: int | None  # last 24 h; None: the portal is not in use


@dataclass(frozen=True)
class Dashboard:
    generated_at: datetime
    collections: Collections | None
    open_shifts: tuple[ShiftLine, ...] | None
    to_approve: tuple[ShiftLine, ...] | None
    arrears: Arrears | None
    runs: tuple[RunLine, ...] | None
    readings: MissingReadings | None
    health: SystemHealth | None


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _months_back(day: date, n: int) -> list[tuple[int, int]]:
    y, m = day.year, day.month
    out = []
    for _ in range(n):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _collections(s: Session, day: date, cur: str) -> Collections:
    tenders = tuple(Takings(t, n, Money(a, cur)) for t, n, a in
                    store.collections_by_tender(s, day))
    counters = tuple(Takings(c, n, Money(a, cur)) for c, n, a in
                     store.collections_by_counter(s, day))
    return Collections(day, tenders, counters,
                       Money(sum(c.amount.minor for c in counters), cur),
                       sum(c.payments for c in counters), store.reversed_today(s, day))


def _arrears(s: Session, today: date, cur: str) -> Arrears:
    now = store.arrears_now(s, today)
    months = _months_back(today, TREND_MONTHS)
    ends = [min(_month_end(y, m), today) for y, m in months]
    trend = [(f"{y:04d}-{m:02d}", Money(v, cur))
             for (y, m), v in zip(months, store.overdue_trend(s, ends), strict=True)]
    return Arrears(today, tuple(zip(AGE_BUCKETS, (Money(a, cur) for a in now), strict=True)),
                   Money(sum(now[1:]), cur), tuple(trend))


def _next_period(period: str) -> str:
    y, m = int(period[:4]), int(period[5:7])
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return f"{y:04d}-{m:02d}"


def _readings(s: Session, today: date) -> MissingReadings:
    done = store.latest_completed_period(s)
    period = _next_period(done) if done else f"{today.year:04d}-{today.month:02d}"
    y, m = int(period[:4]), int(period[5:7])
    first, last = date(y, m, 1), _month_end(y, m)
    registers = store.registers_by_route(s)
    got: dict[int, list[int]] = {}
    for route_id, source, n in store.readings_by_route(s, first, last):
        got.setdefault(route_id, [0, 0])[1 if source == "estimated" else 0] += n
    expected = read = estimated = 0
    per_route: list[tuple[str, int]] = []
    for route_id, code, name, read_day in store.routes(s):
        due = registers.get(route_id, 0) if first <= read_date(y, m, read_day) <= last else 0
        r, e = got.get(route_id, [0, 0])
        expected, read, estimated = expected + due, read + r, estimated + e
        if due - r - e > 0:
            per_route.append((f"{code} {name}", due - r - e))
    per_route.sort(key=lambda x: (-x[1], x[0]))
    return MissingReadings(period, expected, read, estimated, max(expected - read - estimated, 0),
                           tuple(per_route[:5]))


def _health(db: Database, actor: Actor, s: Session, now: datetime) -> SystemHealth:
    size = store.database_bytes(s)
    before = backup_store.latest_before(s, now - GROWTH_WINDOW) or backup_store.latest(s)
    growth = None if before is None else size - before[4]
    since = None if before is None else as_utc(before[0])
    last = backup_store.latest(s)
    chain = audit.verify_in(s) if allowed(actor.roles, "audit.verify") else None
    outbox = store.outbox_counts(s)
    portal_used, portal_recent = store.customer_actions(s, now - timedelta(hours=24))
    return SystemHealth(
        backend=db.backend, database_bytes=size, growth_bytes=growth, growth_since=since,
        schema_version=migrate.current_revision(db), program_schema=migrate.head_revision(),
        connections=store.connections(s),
        last_backup=None if last is None else LastBackup(as_utc(last[0]), last[1], last[2],
                                                         last[3]),
        failed_sign_ins=(store.failed_sign_ins(s, now - timedelta(hours=24))
                         if allowed(actor.roles, "audit.view") else None),
        audit_ok=None if chain is None else chain.ok,
        audit_entries=0 if chain is None else chain.entries,
        audit_problem=None if chain is None else chain.problem,
        outbox=tuple(sorted(outbox.items())) if outbox else None,
        portal_actions=portal_recent if portal_used else None)


def dashboard(db: Database, actor: Actor, *, now: datetime | None = None) -> Dashboard:
    """Every part of the home page the actor may see, read in one transaction."""
    require_any(actor, ("report.view", "db.manage"))
    moment = now or datetime.now(UTC)
    today = moment.astimezone(UTC).date()
    business = allowed(actor.roles, "report.view")
    with db.read() as s:
        cur = utility_currency(s)
        collections = _collections(s, today, cur) if business else None
        shifts = to_approve = None
        if business:
            shifts = tuple(ShiftLine(i, c, u, at, Money(t, cur))
                           for i, c, u, at, t in store.open_shifts(s))
            to_approve = tuple(ShiftLine(i, c, u, at, None)
                               for i, c, u, at in store.shifts_to_approve(s))
        arrears = _arrears(s, today, cur) if business else None
        runs = (tuple(RunLine(i, p, st, b, Money(t, cur), as_utc(at), e)
                      for i, p, st, b, t, at, e in store.last_runs(s, LAST_RUNS))
                if business else None)
        readings = _readings(s, today) if business else None
        health = (_health(db, actor, s, moment) if allowed(actor.roles, "db.manage")
                  else None)
    return Dashboard(moment, collections, shifts, to_approve, arrears, runs, readings, health)
