"""Every register an import may touch, with its last reading, held in flat arrays.

A million :class:`RegisterState` objects (Decimals, dates, strings) cost over 1 GB and
seconds to build; an import only needs a handful of integers per register to check a
plain reading. So registers get a dense index (in register id order), serials map to it,
and the facts live in ``array`` columns: values and consumption as integer thousandths,
days as ordinals. Readings that need more than the integer fast path (rollover, warnings,
errors, demand registers) ask for a full :meth:`RegisterTable.state` and go through the
domain rules unchanged.

Two ways to fill it: for a few serials, one query keyed by a JSON list of them; for a big
file, one scan of every register and of the recent readings, both in register id order,
merged as they stream (no dict keyed by register id).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from ebs_desktop.persistence.stores import readings as store
from ebs_desktop.persistence.tx import Connection
from ebs_desktop.services.readings.state import HISTORY_DAYS, RegisterState, milli

_THOUSAND = Decimal(1000)


class DayCache:
    """Date text (SQLite) or date (PostgreSQL) -> ordinal, remembered: few distinct days."""

    def __init__(self) -> None:
        self.known: dict[object, int] = {}

    def __call__(self, value: object) -> int:
        day = self.known.get(value)
        if day is None:
            as_date = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
            day = self.known[value] = as_date.toordinal()
        return day


class RegisterTable:
    """Column arrays indexed by a dense register index; see the module docstring."""

    def __init__(self) -> None:
        self.by_serial: dict[str, int | list[int]] = {}
        self.codes: list[str] = []
        self.register_id = array("q")
        self.energy = array("b")
        self.dials = array("b")
        self.multiplier = array("q")  # thousandths
        self.installed = array("b")  # on a premise with an account
        self.installed_on = array("i")  # ordinal, 0 = unknown
        self.prev_value = array("q")  # thousandths
        self.prev_day = array("i")  # ordinal, 0 = no reading yet
        self.used = array("q")  # thousandths used over the history window
        self.used_days = array("i")  # days the history window spans, 0 = no average

    def find(self, serial: str, code: str) -> int:
        """Dense index of (serial, register code); -1 unknown serial, -2 unknown code."""
        found = self.by_serial.get(serial)
        if found is None:
            return -1
        if isinstance(found, int):
            return found if self.codes[found] == code else -2
        for i in found:
            if self.codes[i] == code:
                return i
        return -2

    def state(self, i: int, serial: str) -> RegisterState:
        """The full record the domain rules take, for a reading off the fast path."""
        used, days = self.used[i], self.used_days[i]
        state = RegisterState(
            self.register_id[i], 0, serial, self.codes[i], None,
            "energy" if self.energy[i] else "demand", self.dials[i], milli(self.multiplier[i]),
            1 if self.installed[i] else None, None, None, None,
            date.fromordinal(self.installed_on[i]) if self.installed_on[i] else None,
            None, True)
        if self.prev_day[i]:
            state.previous_value = milli(self.prev_value[i])
            state.previous_read_on = date.fromordinal(self.prev_day[i])
        if used > 0 and days > 0:
            state.daily_average = Decimal(used) / _THOUSAND / days
        return state


def load_table(conn: Connection, serials: Iterable[str] | None, today: date, *,
               history: bool = True) -> RegisterTable:
    """Registers of ``serials`` (or all, for ``None``) with their last reading (unless
    ``history`` is False: then the history columns are zero for the caller to fill, see
    ``history_scan``)."""
    table = RegisterTable()
    day = DayCache()
    codes: dict[str, str] = {}
    rows = store.stream_table_registers(conn, serials)
    by_serial, codes_of, known_days = table.by_serial, table.codes, day.known.get
    add_code, add_id, add_energy = codes_of.append, table.register_id.append, table.energy.append
    add_dials, add_mult = table.dials.append, table.multiplier.append
    add_installed, add_on = table.installed.append, table.installed_on.append
    last_code = ""
    for i, (reg_id, serial, code, kind, dials, mult, premise_id, installed_on) in enumerate(
            rows):
        if code != last_code:  # one string per distinct code, not one per register
            last_code = codes.setdefault(code, code)
        add_code(last_code)
        add_id(reg_id)
        add_energy(kind == "energy")
        add_dials(dials)
        add_mult(mult)
        add_installed(premise_id is not None)
        add_on(0 if installed_on is None else known_days(installed_on) or day(installed_on))
        known = by_serial.setdefault(serial, i)
        if known != i:
            if isinstance(known, int):
                by_serial[serial] = [known, i]
            else:
                known.append(i)
    n = len(table.register_id)
    for column in (table.prev_value, table.used, table.prev_day, table.used_days):
        column.frombytes(bytes(column.itemsize * n))
    if n and history:
        load_history(conn, table, serials is None, today, day)
    return table


def load_history(conn: Connection, table: RegisterTable, everything: bool, today: date,
                  day: DayCache) -> None:
    since = today - timedelta(days=HISTORY_DAYS)
    rows = store.stream_recent_readings(conn, since,
                                        None if everything else table.register_id.tolist())
    ids = table.register_id
    used_hist, used_days = table.used, table.used_days
    prev_value, prev_day = table.prev_value, table.prev_day
    days = day.known
    n = len(ids)
    j = -1  # merge position in ``ids`` (both in register id order)
    at = -1  # dense index of the current register, -1 when not in the table
    current = -1
    first = last_actual = used = 0
    for reg_id, read_on, value, consumption, status in rows:
        if reg_id != current:
            if at >= 0 and used > 0 and last_actual > first > 0:  # as in _settle
                used_hist[at], used_days[at] = used, last_actual - first
            current, first, last_actual, used = reg_id, 0, 0, 0
            while j + 1 < n and ids[j + 1] <= reg_id:
                j += 1
            at = j if j >= 0 and ids[j] == reg_id else -1
        if at < 0:
            continue
        on = days.get(read_on) or day(read_on)
        if status != "pending":
            if not first:
                first = on
            elif consumption is not None:
                used += consumption
            last_actual = on
        prev_value[at], prev_day[at] = value, on
    if at >= 0:
        _settle(table, at, first, last_actual, used)
    _older_readings(conn, table, day)


def _settle(table: RegisterTable, j: int, first: int, last_actual: int, used: int) -> None:
    if first and last_actual and used > 0 and last_actual > first:
        table.used[j], table.used_days[j] = used, last_actual - first


def _older_readings(conn: Connection, table: RegisterTable, day: DayCache) -> None:
    """The last reading of registers read before the history window, if any."""
    missing = [i for i, on in enumerate(table.prev_day) if not on]
    for start in range(0, len(missing), 5000):
        chunk = {table.register_id[i]: i for i in missing[start:start + 5000]}
        for reg_id, read_on, value in store.stream_last_readings(conn, chunk):
            i = chunk[reg_id]
            table.prev_value[i], table.prev_day[i] = value, day(read_on)
