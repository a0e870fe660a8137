"""Checking a reading sheet of any size: an integer fast path, the domain rules for the rest.

A plain reading (a value with at most three decimals, read after the previous one, above
it, with an ordinary daily use) is checked here on integer thousandths and day ordinals:
no Decimal, no date objects, no record per row. Anything else (a reading code, a
rollover, zero or high/low use, a duplicate, an error of any kind, a demand register, a
use ratio within a hair of the high/low limit) leaves the fast path and is parsed and
checked by ``sheet.parse_row`` and ``validate.check_one`` exactly as a small file is, so
both paths give the same verdicts and messages (a test imports the same files both ways).

Accepted readings are kept in a :class:`RowStore` (about 25 bytes a reading) until the
whole file has been checked; only then are they written.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ebs_desktop.domain.money import MAX_QUANTITY
from ebs_desktop.persistence.tx import Connection
from ebs_desktop.reports.spreadsheet_cells import restore
from ebs_desktop.services.progress import TaskState
from ebs_desktop.services.readings import history_scan
from ebs_desktop.services.readings.rowstore import WINDOW, RowStore
from ebs_desktop.services.readings.sheet import (
    Columns,
    Problem,
    open_sheet,
    parse_date,
    parse_row,
    problem_collector,
)
from ebs_desktop.services.readings.table import DayCache, RegisterTable, load_history, load_table
from ebs_desktop.services.readings.validate import Checked, LocatedProblem, Policy, check_one

ALL_REGISTERS_FROM = 20_000  # above this many meters, one scan of all beats a keyed query
_MARGIN = 10**12  # high/low ratios this close to a limit go to the exact Decimal rules
_MAX_DIGITS = 15
_MAX_USED = int(MAX_QUANTITY * 1000)  # thousandths; more is refused by the domain rules
_SCALE = (1000, 100, 10, 1)


@dataclass(slots=True)
class SheetChecked:
    parse_problems: list[LocatedProblem] = field(default_factory=list)
    checked: Checked = field(default_factory=Checked)
    store: RowStore = field(default_factory=RowStore)

    @property
    def rejected(self) -> int:
        return self.checked.rejected + len({p.location for p in self.parse_problems})


def check_sheet(conn: Connection, lines: Iterable[str], policy: Policy,
                readers: dict[str, int], default_reader: int | None, *,
                stream: bool, helper_url: str | None = None,
                task: TaskState | None = None) -> SheetChecked:
    """Check a whole sheet. ``stream``: the file is big, so scan every register up front
    and read the rows as they come; otherwise hold the rows and load only their meters.
    ``helper_url``: the database's URL, for a helper process that scans the history of a
    big sheet's registers meanwhile (see ``history_scan``). ``task`` hears how many lines
    are checked and may cancel once the registers are loaded and at each full window of
    accepted readings (never per row)."""
    out = SheetChecked()
    problem = problem_collector(out.parse_problems, policy.file_name)
    reader = csv.reader(lines)
    cols = open_sheet(reader, problem)
    if cols is None:
        return out
    if stream:
        scan = history_scan.start(helper_url, policy.today) if helper_url else None
        try:
            table = load_table(conn, None, policy.today, history=scan is None)
        except BaseException:
            if scan is not None:
                scan.abandon()  # no helper left blocked on a pipe nobody reads
            raise
        if scan is not None and not scan.fill(table):
            load_history(conn, table, True, policy.today, DayCache())
        _loaded(task, policy, 0)
        _check_rows(out, reader, cols, table, policy, readers, default_reader, task, 0)
        return out
    held = _Held()
    try:
        for row in reader:
            held.rows.append((reader.line_num, row))
    except csv.Error as exc:
        held.error = exc
    serials = {restore(row[cols.serial].strip()) for _line, row in held.rows
               if len(row) == cols.width}
    table = load_table(conn, None if len(serials) > ALL_REGISTERS_FROM else serials,
                       policy.today)
    total = held.rows[-1][0] if held.rows else 0
    _loaded(task, policy, total)
    _check_rows(out, held, cols, table, policy, readers, default_reader, task, total)
    return out


def _loaded(task: TaskState | None, policy: Policy, total: int) -> None:
    """The first checkpoint: the registers and their history are loaded."""
    if task is not None:
        task.report(1, total, f"{policy.file_name}: checking")
        task.check_cancelled()


class _Held:
    """The rows of a small sheet, replayed like a ``csv.reader`` (with ``line_num``)."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, list[str]]] = []
        self.error: csv.Error | None = None
        self.line_num = 1

    def __iter__(self) -> Iterator[list[str]]:
        for line, row in self.rows:
            self.line_num = line
            yield row
        if self.error is not None:
            raise self.error


def _check_rows(out: SheetChecked, reader: Any, cols: Columns,
                table: RegisterTable, policy: Policy, readers: dict[str, int],
                default_reader: int | None, task: TaskState | None, total: int) -> None:
    """The hot loop: every local lookup hoisted; see the module docstring for the rules."""
    checked, store = out.checked, out.store
    problem = problem_collector(out.parse_problems, policy.file_name)
    find = table.find
    energy, installed, installed_on = table.energy, table.installed, table.installed_on
    dials, multiplier, register_id = table.dials, table.multiplier, table.register_id
    prev_value, prev_day = table.prev_value, table.prev_day
    used_hist, used_days = table.used, table.used_days
    group_day = group_extra = -1
    fragments: list[str] = []
    i_serial, i_reg, i_at, i_value = cols.serial, cols.register, cols.read_at, cols.value
    i_code, i_reader, width = cols.code, cols.reader, cols.width
    spans = [10**d * 1000 for d in range(0, 40)]
    high_n, high_d = policy.high_factor.as_integer_ratio()
    low_n, low_d = policy.low_factor.as_integer_ratio()
    # use/day against the average, scaled to integers, a hair inside each limit
    high_mine, high_usual = high_d * _MARGIN, high_n * (_MARGIN - 1)
    low_mine, low_usual = low_d * _MARGIN, low_n * (_MARGIN + 1)
    today = policy.today.toordinal()
    days: dict[str, tuple[int, int]] = {}
    plain: dict[int | None, int] = {}
    accepted = duplicates = 0
    by_serial_get, codes = table.by_serial.get, table.codes
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            # fields as they stand: one with spaces around misses the lookups below and
            # takes the general path, which strips it
            if len(row) == width and (i_code < 0 or not row[i_code]):
                value_text = row[i_value]
                if not value_text:
                    continue  # not reached by the reader
                serial, register, at_text = row[i_serial], row[i_reg], row[i_at]
                reader_id = default_reader
                if i_reader >= 0 and row[i_reader]:
                    reader_id = readers.get(row[i_reader], -1)
                day = days.get(at_text)
                if day is None:
                    day = _day(at_text, store)
                    if day[0]:
                        days[at_text] = day
                if (value_text.isdigit() and value_text.isascii()
                        and len(value_text) <= _MAX_DIGITS):
                    value = int(value_text) * 1000
                else:
                    value = _milli(value_text)
                i = by_serial_get(serial, -1) if 0 < len(serial) <= 64 else -1
                if type(i) is not int or (i >= 0 and codes[i] != register):
                    i = find(serial, register)
                d = day[0]
                if (i >= 0 and value >= 0 and d and reader_id != -1 and energy[i]
                        and installed[i] and d <= today and d >= installed_on[i]
                        and value < spans[dials[i]]):
                    pd = prev_day[i]
                    used = -1
                    if pd:
                        raw = value - prev_value[i]
                        if d == pd and not raw:  # already stored: a file imported again
                            duplicates += 1
                            continue
                        used = (raw * multiplier[i] + 500) // 1000 if raw > 0 and d > pd else 0
                        hu, hd = used_hist[i], used_days[i]
                        if used > 0 and hu > 0 and hd > 0:
                            mine, usual = used * hd, hu * (d - pd)
                            if mine * high_mine >= usual * high_usual or (
                                    mine * low_mine <= usual * low_usual):
                                used = 0
                    if used and used <= _MAX_USED:  # else the rules say why (or warn)
                        extra = plain.get(reader_id)
                        if extra is None:
                            extra = plain[reader_id] = store.extra_index("valid", None, "",
                                                                         reader_id)
                        if day[1] != group_day or extra != group_extra:
                            group_day, group_extra = day[1], extra
                            fragments = store.group(group_day, group_extra)
                        fragments.append(
                            f"[{register_id[i]},{value},{'null' if used < 0 else used}]")
                        if len(fragments) >= WINDOW:
                            fragments = store.full(group_day, group_extra)
                            if task is not None:  # a checkpoint per window, not per row
                                task.report(line, total,
                                            f"{policy.file_name}: line {line} checked")
                                task.check_cancelled()
                        prev_value[i], prev_day[i] = value, d
                        accepted += 1
                        continue
            _slow(out, line, row, cols, table, policy, readers, default_reader, problem)
    except csv.Error as exc:
        problem(line + 1, "row", "", f"not CSV: {exc}")
    checked.accepted += accepted
    checked.duplicates += duplicates


def _slow(out: SheetChecked, line: int, row: list[str], cols: Columns, table: RegisterTable,
          policy: Policy, readers: dict[str, int], default_reader: int | None,
          problem: Problem) -> None:
    """One row through the general parser and the domain rules."""
    candidate = parse_row(row, line, cols, readers, default_reader, problem)
    if candidate is None:
        return
    i = table.find(candidate.meter_serial, candidate.register)
    state = table.state(i, candidate.meter_serial) if i >= 0 else None
    accepted = check_one(out.checked, policy, candidate, state, i != -1)
    if accepted is None:
        return
    _reg, value, used, status, code, flags, reader_id = accepted
    store = out.store
    store.add(table.register_id[i], store.day_index(candidate.read_on.isoformat()), value,
              used, store.extra_index(status, code, flags, reader_id))
    table.prev_value[i], table.prev_day[i] = value, candidate.read_on.toordinal()


def _day(text: str, store: RowStore) -> tuple[int, int]:
    """(ordinal, index in the store's day texts) of a read_at text; (0, 0) if not a date."""
    try:
        on = parse_date(text)
    except ValueError:
        return 0, 0
    return on.toordinal(), store.day_index(on.isoformat())


def _milli(text: str) -> int:
    """Thousandths of a plain ASCII decimal (``123``, ``123.4``); -1 for anything else."""
    if text.isdigit():
        return int(text) * 1000 if text.isascii() and len(text) <= _MAX_DIGITS else -1
    whole, dot, part = text.partition(".")
    if (dot and whole.isdigit() and part.isdigit() and len(part) <= 3 and text.isascii()
            and len(whole) <= _MAX_DIGITS):
        return int(whole) * 1000 + int(part) * _SCALE[len(part)]
    return -1

