"""The reading sheet: a CSV of the meters due, which a reading contractor fills in.

The first seven columns are the contract (``meter_serial, register, read_at, value,
reading_code, previous_value, previous_read_at``); account, route, walk order and the
expected range follow to help the reader. On import only meter_serial, register, read_at,
value and reading_code count (``reader`` too, if present); a row with neither value nor
code is a meter not reached and is skipped. Parsing never stops at the first bad line:
every problem is collected with its line, field and value.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ebs_desktop.domain.money import parse_number
from ebs_desktop.domain.readings.rules import expected_range
from ebs_desktop.errors import ValidationError
from ebs_desktop.services.readings.state import RegisterState
from ebs_desktop.services.readings.validate import Candidate, LocatedProblem

COLUMNS = ("meter_serial", "register", "read_at", "value", "reading_code", "previous_value",
           "previous_read_at", "account_number", "route", "walk_order", "expected_low",
           "expected_high")
REQUIRED = ("meter_serial", "register", "read_at", "value")
MAX_FIELD = 64


def template_rows(states: list[RegisterState], read_on: date, high_factor: Decimal,
                  low_factor: Decimal) -> list[list[str]]:
    rows = []
    for s in states:
        low, high = expected_range(s.facts(high_factor, low_factor), read_on)
        rows.append([s.serial, s.code, read_on.isoformat(), "", "",
                     "" if s.previous_value is None else str(s.previous_value),
                     "" if s.previous_read_on is None else s.previous_read_on.isoformat(),
                     s.account_number or "", s.route or "",
                     "" if s.walk_order is None else str(s.walk_order), str(low), str(high)])
    return rows


def write_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


@dataclass(slots=True)
class Parsed:
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[LocatedProblem] = field(default_factory=list)


def parse_date(text: str) -> date:
    if len(text) == 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text).date()


@dataclass(frozen=True, slots=True)
class Columns:
    """Where the fields of a sheet are, from its header (-1: column absent)."""

    serial: int
    register: int
    read_at: int
    value: int
    code: int
    reader: int
    width: int


Problem = Callable[[int, str, str, str], None]


def open_sheet(reader: Iterator[list[str]], problem: Problem) -> Columns | None:
    """Read the header line of a sheet's csv reader; None (with the problem reported) when
    the file is not CSV, is empty or lacks a required column."""
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problem(1, "header", "", f"not CSV: {exc}")
        return None
    return read_header(header, problem)


def read_header(header: list[str] | None, problem: Problem) -> Columns | None:
    if not header:
        problem(1, "header", "", "the file is empty; expected a header with "
                + ", ".join(REQUIRED))
        return None
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        problem(1, "header", ",".join(header)[:80], f"missing column(s) {', '.join(missing)}")
        return None
    i_serial, i_reg, i_at, i_value = (names.index(c) for c in REQUIRED)
    return Columns(i_serial, i_reg, i_at, i_value,
                   names.index("reading_code") if "reading_code" in names else -1,
                   names.index("reader") if "reader" in names else -1, len(names))


def parse_row(row: list[str], line: int, cols: Columns, readers: dict[str, int],
              default_reader: int | None, problem: Problem) -> Candidate | None:
    """One data row: its candidate, or ``None`` (skipped, or problems reported)."""
    if not row or (len(row) == 1 and not row[0].strip()):
        return None
    if len(row) != cols.width:
        problem(line, "row", ",".join(row), f"has {len(row)} fields, the header "
                f"{cols.width}")
        return None
    serial, register = row[cols.serial].strip(), row[cols.register].strip()
    value_text = row[cols.value].strip()
    code = row[cols.code].strip() or None if cols.code >= 0 else None
    if not value_text and code is None:
        return None  # not reached by the reader
    bad = False
    for name, text_value in (("meter_serial", serial), ("register", register)):
        if not text_value or len(text_value) > MAX_FIELD:
            problem(line, name, text_value, "must be 1 to 64 characters")
            bad = True
    at_text = row[cols.read_at].strip()
    read_on = date.min
    try:
        read_on = parse_date(at_text)
    except ValueError:
        problem(line, "read_at", at_text, "is not a date (YYYY-MM-DD)")
        bad = True
    value: Decimal | None = None
    if value_text:
        try:
            value = parse_number(value_text, field="value")
        except ValidationError:
            problem(line, "value", value_text, "is not a number")
            bad = True
    reader_id = default_reader
    if cols.reader >= 0 and row[cols.reader].strip():
        name_text = row[cols.reader].strip()
        if name_text not in readers:
            problem(line, "reader", name_text, "is not a user name")
            bad = True
        reader_id = readers.get(name_text)
    if bad:
        return None
    return Candidate(line, serial, register, read_on, value, code, reader_id)


def problem_collector(out: list[LocatedProblem], file_name: str) -> Problem:
    def problem(line: int, name: str, value: str, message: str) -> None:
        out.append(LocatedProblem(f"{file_name}:{line}", name, value[:80], message, "error"))
    return problem


def parse_sheet(text: str, file_name: str, readers: dict[str, int],
                default_reader: int | None) -> Parsed:
    """Candidates from a filled sheet; problems for every line that cannot be read."""
    out = Parsed()
    problem = problem_collector(out.problems, file_name)
    reader = csv.reader(io.StringIO(text, newline=""))
    cols = open_sheet(reader, problem)
    if cols is None:
        return out
    append = out.candidates.append
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            candidate = parse_row(row, line, cols, readers, default_reader, problem)
            if candidate is not None:
                append(candidate)
    except csv.Error as exc:
        problem(line + 1, "row", "", f"not CSV: {exc}")
    return out
