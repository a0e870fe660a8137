"""Checking a whole set of candidate readings against the registers, before any is stored.

Every import path (sheet, handheld export or link, meter readout, route entry) turns its
input into :class:`Candidate` records and passes them here; the result is the rows to
insert plus every problem located as ``file:line field value``. Candidates for the same
register are checked in order, each against the one before, so a file may carry several
readings of a meter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from ebs_desktop.domain.readings import check_reading
from ebs_desktop.domain.readings.rules import sentence
from ebs_desktop.persistence.models.codes import READING_CODES
from ebs_desktop.services.readings.state import RegisterKey, RegisterState, milli

_CODES = frozenset(READING_CODES)


@dataclass(frozen=True, slots=True)
class Candidate:
    line: int
    meter_serial: str
    register: str
    read_on: date
    value: Decimal | None
    reading_code: str | None = None
    reader_id: int | None = None


@dataclass(frozen=True, slots=True)
class LocatedProblem:
    location: str  # file:line
    field: str
    value: str
    message: str
    severity: str

    def text(self) -> str:
        return f"{self.location} {self.field} {self.value!r}: {self.message}"

    def sentence(self) -> str:
        """Without the place, for the entry screen that shows the meter already."""
        return sentence(self.field, self.value, self.message)


@dataclass(slots=True)
class Checked:
    """Rows ready for ``readings`` (without batch id) and what was found on the way."""

    rows: list[tuple[object, ...]] = field(default_factory=list)
    problems: list[LocatedProblem] = field(default_factory=list)
    accepted: int = 0
    warnings: int = 0
    rejected: int = 0
    duplicates: int = 0
    skipped: int = 0
    rejected_lines: set[int] = field(default_factory=set)

    @property
    def errors(self) -> list[LocatedProblem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass(frozen=True, slots=True)
class Policy:
    """What every reading of one import is checked and stored with."""

    file_name: str
    source: str
    today: date
    high_factor: Decimal
    low_factor: Decimal
    confirm: bool = False
    batch_id: int | None = None


def check_candidates(candidates: list[Candidate], states: dict[RegisterKey, RegisterState],
                     *, file_name: str, source: str, today: date, high_factor: Decimal,
                     low_factor: Decimal, confirm: bool = False,
                     batch_id: int | None = None) -> Checked:
    """Check every candidate; the rows are only meant to be stored if ``errors`` is empty."""
    out = Checked()
    now = datetime.now(UTC)
    policy = Policy(file_name, source, today, high_factor, low_factor, confirm, batch_id)
    serials = {serial for serial, _code in states}
    for c in candidates:
        state = states.get((c.meter_serial, c.register))
        row = check_one(out, policy, c, state, c.meter_serial in serials)
        if row is not None:
            reg_id, value, consumption, status, code, flags, reader_id = row
            out.rows.append((reg_id, c.read_on, value, consumption, source, status, code,
                             flags, reader_id, batch_id, now))
    return out


Accepted = tuple[int, int, int | None, str, str | None, str, int | None]
"""(register id, value, consumption, status, reading code, flags, reader id); thousandths."""


def check_one(out: Checked, policy: Policy, c: Candidate, state: RegisterState | None,
              serial_known: bool) -> Accepted | None:
    """Check one candidate, counting it in ``out``; the row to store if it is accepted.

    ``state`` moves on to the accepted reading, so the next one of the register follows it.
    """
    where = f"{policy.file_name}:{c.line}"
    early = _lookup_problem(c, state, serial_known)
    if early is not None:
        out.problems.append(LocatedProblem(where, early[0], early[1], early[2], "error"))
        out.rejected += 1
        return None
    assert state is not None
    check = check_reading(state.facts(policy.high_factor, policy.low_factor), c.read_on,
                          c.value, policy.today, c.reading_code)
    for p in check.problems:
        out.problems.append(LocatedProblem(where, p.field, p.value, p.message, p.severity))
    if check.errors:
        out.rejected += 1
        out.rejected_lines.add(c.line)
        return None
    if check.duplicate:
        out.duplicates += 1
        return None
    if check.skipped or c.value is None:
        out.skipped += 1
        return None
    status = "valid"
    if check.warnings:
        out.warnings += 1
        status = "confirmed" if policy.confirm else "pending"
    else:
        out.accepted += 1
    consumption = None if check.consumption is None else int(check.consumption * 1000)
    value = int(c.value * 1000)
    # as a stored reading reads back (1E+3 -> 1000.000), whichever path checks the next one
    state.previous_value, state.previous_read_on = milli(value), c.read_on
    return (state.register_id, value, consumption, status, c.reading_code,
            ",".join(check.flags), c.reader_id)


def _lookup_problem(c: Candidate, state: RegisterState | None,
                    serial_known: bool) -> tuple[str, str, str] | None:
    if c.reading_code is not None and c.reading_code not in _CODES:
        return ("reading_code", c.reading_code,
                f"is not a reading code (one of {', '.join(READING_CODES)})")
    if state is None:
        if serial_known:
            return ("register", c.register, f"meter {c.meter_serial} has no such register")
        return ("meter_serial", c.meter_serial, "no meter with this serial")
    if state.account_id is None:
        return ("meter_serial", c.meter_serial, "the meter is not installed on any premise")
    if state.installed_on is not None and c.read_on < state.installed_on:
        return ("read_at", c.read_on.isoformat(),
                f"is before the meter was installed ({state.installed_on.isoformat()})")
    return None
