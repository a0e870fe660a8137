"""What every register looks like before new readings arrive, loaded in bulk.

One query for the registers (meter, installation, account, route), one ordered scan of
the recent readings: no query per meter, so an import of a million rows reads its
context in a few seconds. Readings through the driver's cursor, values as integer
thousandths (see persistence.types), turned into Decimal once per register.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ebs_desktop.domain.readings import RegisterFacts
from ebs_desktop.persistence.stores import readings as store
from ebs_desktop.persistence.tx import Connection

HISTORY_DAYS = 400  # a year of readings (and a little) for the average daily use
_THOUSAND = Decimal(1000)


def _as_date(value: object) -> date:
    """SQLite hands dates back as text through the raw cursor; PostgreSQL as date."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def milli(value: int) -> Decimal:
    return (Decimal(value) / _THOUSAND).quantize(Decimal("0.001"))


@dataclass(slots=True)
class RegisterState:
    """One register with its meter, account and last reading (mutable: filled in stages)."""

    register_id: int
    meter_id: int
    serial: str
    code: str
    obis: str | None
    kind: str
    dials: int
    multiplier: Decimal
    account_id: int | None
    account_number: str | None
    route: str | None
    walk_order: int | None
    installed_on: date | None
    read_day: int | None
    active: bool
    previous_value: Decimal | None = None
    previous_read_on: date | None = None
    daily_average: Decimal | None = None

    def facts(self, high_factor: Decimal, low_factor: Decimal) -> RegisterFacts:
        return RegisterFacts(self.dials, self.multiplier, self.kind, self.previous_value,
                             self.previous_read_on, self.daily_average, high_factor,
                             low_factor)


RegisterKey = tuple[str, str]  # (meter serial, register code)


def load_registers(conn: Connection, serials: Iterable[str] | None = None, *,
                   route: str | None = None) -> dict[RegisterKey, RegisterState]:
    """Registers (of the given meters, of a route, or all) without their readings yet."""
    rows = store.register_rows(conn, serials, route=route)
    out: dict[RegisterKey, RegisterState] = {}
    for (reg_id, meter_id, serial, code, obis, kind, dials, mult, acc_id, acc_no, route_code,
         walk, installed, read_day, status) in rows:
        out[(str(serial), str(code))] = RegisterState(
            int(str(reg_id)), int(str(meter_id)), str(serial), str(code),
            None if obis is None else str(obis), str(kind), int(str(dials)),
            milli(int(str(mult))), None if acc_id is None else int(str(acc_id)),
            None if acc_no is None else str(acc_no),
            None if route_code is None else str(route_code),
            None if walk is None else int(str(walk)),
            None if installed is None else _as_date(installed),
            None if read_day is None else int(str(read_day)), status == "active")
    return out


def load_history(conn: Connection, states: Iterable[RegisterState], today: date) -> None:
    """Fill in each register's last reading (any source) and average daily use."""
    by_id = {s.register_id: s for s in states}
    if not by_id:
        return
    since = today - timedelta(days=HISTORY_DAYS)
    rows = store.recent_reading_rows(conn, since, sorted(by_id) if len(by_id) <= 5000 else None)
    state: RegisterState | None = None
    current = -1
    first_on: object = None
    last_actual: object = None
    used = 0
    last_on: object = None
    last_value = 0
    for reg_id, read_on, value, consumption, status in rows:
        if reg_id != current:
            if state is not None:
                _settle(state, last_on, last_value, first_on, last_actual, used)
            current, first_on, last_actual, used = reg_id, None, None, 0
            state = by_id.get(reg_id)
        if status != "pending":
            if first_on is None:
                first_on = read_on
            elif consumption is not None:
                used += consumption
            last_actual = read_on
        last_on, last_value = read_on, value
    if state is not None:
        _settle(state, last_on, last_value, first_on, last_actual, used)
    missing = [i for i, s in by_id.items() if s.previous_read_on is None]
    for reg_id, read_on, value in store.last_reading_rows(conn, missing):
        found = by_id[int(str(reg_id))]
        found.previous_value = milli(int(str(value)))
        found.previous_read_on = _as_date(read_on)


def _settle(state: RegisterState, last_on: object, last_value: int, first_on: object,
            last_actual: object, used: int) -> None:
    state.previous_value = milli(last_value)
    state.previous_read_on = _as_date(last_on)
    if first_on is not None and last_actual is not None and used > 0:
        days = (_as_date(last_actual) - _as_date(first_on)).days
        if days > 0:
            state.daily_average = Decimal(used) / _THOUSAND / days
