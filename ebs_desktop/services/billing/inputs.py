"""Everything a batch of accounts needs for its bills, loaded with a handful of queries.

Per batch (a few thousand accounts): the accounts with their premise, the last bill of
each (where the new period starts), the readings since then, and the history used for
estimates and high/low checks. No query runs per account.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, text

ZERO = Decimal(0)
_THOUSAND = Decimal(1000)
HISTORY_DAYS = 100  # about three monthly periods back, for estimates


def _q(milli: int | None) -> Decimal | None:
    return None if milli is None else Decimal(milli) / _THOUSAND


@dataclass(slots=True)
class RegisterReading:
    register_id: int
    code: str
    kind: str
    read_on: date
    value: Decimal
    consumption: Decimal | None
    source: str


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
    readings: list[RegisterReading] = field(default_factory=list)
    history: list[tuple[Decimal, int]] = field(default_factory=list)  # (kWh, days) actual bills

    @property
    def start(self) -> date:
        return self.prev_end + timedelta(days=1) if self.prev_end else self.opened_on

    def history_daily(self) -> Decimal | None:
        """Average daily kWh over the last (up to three) actually read periods."""
        days = sum(d for _k, d in self.history)
        if not days:
            return None
        return sum((k for k, _d in self.history), ZERO) / days


def _rows(conn: Connection, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows through the driver's cursor: for bulk reads SQLAlchemy's row objects cost more
    than the query. ``?`` placeholders are rewritten for PostgreSQL."""
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    if conn.dialect.name == "postgresql":
        sql = sql.replace("?", "%s")
    cur = dbapi.cursor()
    try:
        cur.execute(sql, params)
        return list(cur.fetchall())
    finally:
        cur.close()


def _in(ids: list[int]) -> str:
    return ",".join(str(int(i)) for i in ids)  # ints only: safe to inline


def load_batch(conn: Connection, account_ids: list[int], period_end: date) -> list[AccountInput]:
    ids = _in(account_ids)
    out: dict[int, AccountInput] = {}
    for row in _rows(conn,
        "SELECT a.id, a.tariff_id, a.category, a.balance_minor, a.opened_on, "
        "p.sanctioned_load_kw FROM accounts a LEFT JOIN premises p ON p.account_id = a.id "
        f"WHERE a.id IN ({ids}) ORDER BY a.id"):
        out[row[0]] = AccountInput(row[0], row[1], row[2], row[3], _as_date(row[4]),
                                   _q(row[5]))
    for acc_id, end, due in _rows(conn,
        "SELECT b.account_id, MAX(b.period_end), MAX(b.due_date) FROM bills b "
        f"WHERE b.account_id IN ({ids}) AND NOT EXISTS "
        "(SELECT 1 FROM credit_notes c WHERE c.bill_id = b.id) GROUP BY b.account_id"):
        acc = out[acc_id]
        acc.prev_end, acc.prev_due = _as_date(end), _as_date(due)
    for acc_id, kwh, start, end in _rows(conn,
        "SELECT account_id, consumption_kwh, period_start, period_end FROM ("
        " SELECT b.account_id, b.consumption_kwh, b.period_start, b.period_end,"
        " ROW_NUMBER() OVER (PARTITION BY b.account_id ORDER BY b.period_end DESC) AS rn"
        f" FROM bills b WHERE b.account_id IN ({ids}) AND b.estimated = false"
        " AND NOT EXISTS (SELECT 1 FROM credit_notes c WHERE c.bill_id = b.id)) h"
        " WHERE rn <= 3"):
        days = (_as_date(end) - _as_date(start)).days + 1
        out[acc_id].history.append((_q(kwh) or ZERO, days))
    starts = [a.start for a in out.values()]
    low = min(starts) - timedelta(days=1) if starts else period_end
    for row in _rows(conn,
        "SELECT p.account_id, mr.id, mr.code, mr.kind, rd.read_on, rd.value, rd.consumption,"
        " rd.source FROM readings rd"
        " JOIN meter_registers mr ON mr.id = rd.register_id"
        " JOIN meter_installations mi ON mi.meter_id = mr.meter_id"
        " JOIN premises p ON p.id = mi.premise_id"
        f" WHERE p.account_id IN ({ids}) AND rd.read_on > ? AND rd.read_on <= ?"
        " AND rd.read_on >= mi.installed_on"
        " AND (mi.removed_on IS NULL OR rd.read_on <= mi.removed_on)"
        " AND rd.status IN ('valid', 'confirmed') ORDER BY rd.read_on",
            (low.isoformat(), period_end.isoformat())):
        acc = out[row[0]]
        read_on = _as_date(row[4])
        if read_on >= acc.start:
            acc.readings.append(RegisterReading(row[1], row[2], row[3], read_on,
                                                _q(row[5]) or ZERO, _q(row[6]), row[7]))
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
    rows = conn.execute(text(
        "SELECT p.account_id, mr.id, mr.code, mr.kind, rd.read_on, rd.value, rd.consumption,"
        " rd.source FROM meter_registers mr"
        " JOIN meter_installations mi ON mi.meter_id = mr.meter_id AND mi.removed_on IS NULL"
        " JOIN premises p ON p.id = mi.premise_id"
        " JOIN readings rd ON rd.register_id = mr.id AND rd.status IN ('valid', 'confirmed')"
        f" WHERE p.account_id IN ({_in(account_ids)}) AND rd.read_on <= :before"
        " AND rd.read_on > :lo ORDER BY rd.read_on"),
        {"before": before, "lo": before - timedelta(days=HISTORY_DAYS)})
    per_reg: dict[int, list[tuple[int, str, str, date, Decimal, Decimal | None, str]]] = (
        defaultdict(list))
    for acc_id, reg_id, code, kind, read_on, value, cons, source in rows:
        per_reg[reg_id].append((acc_id, code, kind, _as_date(read_on), _q(value) or ZERO,
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


def _as_date(value: object) -> date:
    """SQLite returns dates as text through text() queries; PostgreSQL as date."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
