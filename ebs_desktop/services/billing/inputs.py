"""Everything a batch of accounts needs for its bills, loaded with a handful of queries.

Per batch (a few thousand accounts): the accounts with their premise, their recent bills
(where the new period starts, the history used for estimates and high/low checks), and
the readings since the last bill. No query runs per account, rows come through the
driver's cursor (SQLAlchemy row objects cost more than the queries), and the recent
bills are read through an index range (``account_id, period >= ...``) so a utility with
years of bills reads a few months per account, not its whole history. The queries are
in ``persistence.stores.billing``; this module turns their rows into inputs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ebs_desktop.persistence.stores import billing as store
from ebs_desktop.persistence.tx import Connection

ZERO = Decimal(0)
_THOUSAND = Decimal(1000)
HISTORY_DAYS = 100  # about three monthly periods back, for estimates
HISTORY_BILLS = 3  # actual (not estimated) periods averaged for estimates
RECENT_MONTHS = 7  # bills read per account: the last one and three actual ones among them
_ONE_DAY = timedelta(days=1)


def _q(milli: int | None) -> Decimal | None:
    return None if milli is None else Decimal(milli) / _THOUSAND


@dataclass(slots=True)
class AccountInput:
    account_id: int
    tariff_id: int
    category: str
    balance_minor: int
    opened_on: date
    sanctioned_kw: Decimal | None
    prev_end: date | None = None
    prev_due: date | None = None
    # The period's valid readings, summed as they are read (integer thousandths):
    # consumption per energy register code, the energy registers seen (a meter exchange
    # shows as more registers than codes), the last reading day and the maximum demand.
    energy_milli: dict[str, int] = field(default_factory=dict)
    energy_registers: set[int] = field(default_factory=set)
    last_read: date | None = None
    demand_milli: int | None = None
    # the maximum per demand register code, when there are several (time-of-use demand)
    demand_registers_milli: dict[str, int] = field(default_factory=dict)
    history: list[tuple[Decimal, int]] = field(default_factory=list)  # (kWh, days) actual bills
    start: date = date.min  # first day of the new period (set by load_batch)

    def demand_by_register(self) -> dict[str, Decimal]:
        """kW per demand register code (the highest reading of each in the period)."""
        return {code: Decimal(milli) / _THOUSAND
                for code, milli in self.demand_registers_milli.items()}

    def history_daily(self) -> Decimal | None:
        """Average daily kWh over the last (up to three) actually read periods."""
        days = sum(d for _k, d in self.history)
        if not days:
            return None
        return sum((k for k, _d in self.history), ZERO) / days


def _month_back(period_end: date, months: int) -> str:
    index = period_end.year * 12 + period_end.month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _bills_for_history(conn: Connection, ids: list[int], opened: dict[int, str],
                       period_end: date, before: str | None) -> list[tuple[Any, ...]]:
    """The bills ``load_batch`` needs, newest first per account: the last one, and the
    last ``HISTORY_BILLS`` actually read among the last ``RECENT_MONTHS`` months.

    Read in widening steps, since most accounts' last three bills are all actual: the
    last ``HISTORY_BILLS`` months for everyone, ``RECENT_MONTHS`` for the accounts that
    need more and are old enough to have them (``opened``: each account's opening month,
    ``YYYY-MM``; a bill's period never precedes it), and the whole history for accounts
    with no bill in that window (new accounts, long gaps). The result is the one
    ``RECENT_MONTHS`` would give; a billing run of a mature utility reads about half the
    bill rows it read with one wide query, and a young one reads no more than before."""
    since = _month_back(period_end, HISTORY_BILLS)
    recent = store.recent_bills(conn, ids, since, before)
    actual: dict[int, int] = defaultdict(int)
    for r in recent:
        if not r[5]:
            actual[r[0]] += 1
    # an account opened in the window's first month or later has no bill before it
    wider = [i for i in ids if actual[i] < HISTORY_BILLS and opened[i] < since]
    if wider:
        again = set(wider)
        recent = [r for r in recent if r[0] not in again]
        recent += store.recent_bills(conn, wider, _month_back(period_end, RECENT_MONTHS), before)
    seen = {r[0] for r in recent}
    older = [i for i in ids if i not in seen]
    if older:  # no recent bill: new accounts, or a long gap (read everything for those)
        recent += store.recent_bills(conn, older, None, before)
    recent.sort(key=lambda r: (r[0], r[2]), reverse=True)
    return recent


def load_batch(conn: Connection, account_ids: list[int], period_end: date, *,
               before_period: str | None = None,
               starts: dict[int, date] | None = None) -> list[AccountInput]:
    """Inputs of the accounts' bills ending on ``period_end``. A rebill passes the period
    it recomputes (only earlier bills count) and the start of the bill it replaces."""
    ids = account_ids
    as_date = store.date_reader(conn)
    out: dict[int, AccountInput] = {}
    for row in store.batch_accounts(conn, ids):
        opened = as_date(row[4])
        out[row[0]] = AccountInput(row[0], row[1], row[2], row[3], opened, _q(row[5]),
                                   start=opened)
    recent = _bills_for_history(conn, list(out), {i: a.opened_on.isoformat()[:7]
                                                  for i, a in out.items()},
                                period_end, before_period)
    last_acc = None
    for acc_id, start, end, due, kwh, estimated, _bill_id in recent:
        acc = out[acc_id]
        if acc_id != last_acc:
            last_acc = acc_id
            acc.prev_end, acc.prev_due = as_date(end), as_date(due)
            acc.start = acc.prev_end + _ONE_DAY
        if not estimated and len(acc.history) < HISTORY_BILLS:
            days = (as_date(end) - as_date(start)).days + 1
            acc.history.append((_q(kwh) or ZERO, days))
    for acc_id, start in (starts or {}).items():
        if acc_id in out:
            out[acc_id].start = start
    low = min(a.start for a in out.values()) - _ONE_DAY if out else period_end
    for row in store.period_readings(conn, ids, low, period_end):
        acc = out[row[0]]
        read_on = as_date(row[4])
        if read_on < acc.start:
            continue
        if row[3] == "demand":
            if acc.demand_milli is None or row[5] > acc.demand_milli:
                acc.demand_milli = row[5]
            by_code = acc.demand_registers_milli
            if row[2] not in by_code or row[5] > by_code[row[2]]:
                by_code[row[2]] = row[5]
            continue
        energy = acc.energy_milli
        energy[row[2]] = energy.get(row[2], 0) + (row[6] or 0)
        acc.energy_registers.add(row[1])
        if acc.last_read is None or read_on > acc.last_read:
            acc.last_read = read_on
    return [out[i] for i in account_ids if i in out]


@dataclass(slots=True)
class RegisterState:
    register_id: int
    code: str
    kind: str
    last_value: Decimal
    last_read: date
    daily: Decimal | None


def load_register_states(conn: Connection, account_ids: list[int],
                         before: date) -> dict[int, list[RegisterState]]:
    """Current registers of each account with their last reading and average daily use,
    for estimating accounts without a reading this period."""
    if not account_ids:
        return {}
    as_date = store.date_reader(conn)
    found = store.current_register_readings(
        conn, account_ids, before - timedelta(days=HISTORY_DAYS), before)
    per_reg: dict[int, list[tuple[int, str, str, date, Decimal, Decimal | None, str]]] = (
        defaultdict(list))
    for acc_id, reg_id, code, kind, read_on, value, cons, source in found:
        per_reg[reg_id].append((acc_id, code, kind, as_date(read_on), _q(value) or ZERO,
                                _q(cons), source))
    out: dict[int, list[RegisterState]] = defaultdict(list)
    for reg_id, items in per_reg.items():
        acc_id, code, kind = items[-1][0], items[-1][1], items[-1][2]
        actual = [i for i in items if i[6] != "estimated"]
        daily: Decimal | None = None
        if len(actual) >= 2:
            used = sum((i[5] or ZERO for i in actual[1:]), ZERO)
            days = (actual[-1][3] - actual[0][3]).days
            daily = used / days if days > 0 else None
        out[acc_id].append(RegisterState(reg_id, code, kind, items[-1][4], items[-1][3], daily))
    return out

