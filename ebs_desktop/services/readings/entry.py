"""Readings one at a time: keyed in on the entry screen, read from a meter, or uploaded
from a handheld.

Keyed-in readings are refused on an error and, on a warning (rollover, high, low, zero),
refused with :class:`NeedsConfirmation` unless the reader confirms (then ``confirmed``).
Device readings have nobody to ask: a warning stores them ``pending`` for the billing
office, and a handheld reading with an error is kept as ``rejected`` (never lost) when the
register's day is free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from ebs_desktop.devices.handheld.records import HandheldReading
from ebs_desktop.devices.meters.readout import MeterReadout
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence.bulk import READING_COLUMNS, bulk_insert
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import readings as store
from ebs_desktop.persistence.tx import Connection, Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.readings.sources import (
    NO_METER,
    handheld_candidate,
    readout_candidates,
)
from ebs_desktop.services.readings.state import load_history, load_registers
from ebs_desktop.services.readings.validate import Candidate, Checked, check_candidates
from ebs_desktop.services.settings import get_settings


class NeedsConfirmation(ConflictError):
    """The reading is plausible only after a second look; save again with confirm=True."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings
        super().__init__("needs confirmation: " + "; ".join(warnings))


@dataclass(frozen=True)
class SavedReading:
    meter_serial: str
    register: str
    read_on: date
    status: str  # valid, confirmed, pending, rejected; "duplicate" when already stored
    consumption: Decimal | None
    flags: tuple[str, ...]
    warnings: tuple[str, ...]


def _check(conn: Connection, candidates: list[Candidate], *, source: str, where: str,
           today: date, confirm: bool) -> Checked:
    with Session(bind=conn) as session:
        settings = get_settings(session)
    states = load_registers(conn, {c.meter_serial for c in candidates})
    load_history(conn, list(states.values()), today)
    return check_candidates(candidates, states, file_name=where, source=source, today=today,
                            high_factor=settings.decimal("high_consumption_factor"),
                            low_factor=settings.decimal("low_consumption_factor"),
                            confirm=confirm)


def check_in(conn: Connection, candidate: Candidate, *, source: str, today: date) -> Checked:
    """Check one candidate by the rules every reading passes, within the caller's
    transaction (a warning makes its row ``pending``); the caller stores ``rows``."""
    return _check(conn, [candidate], source=source,
                  where=f"{candidate.meter_serial}/{candidate.register}", today=today,
                  confirm=False)


def _saved(c: Candidate, row: tuple[object, ...] | None, checked: Checked) -> SavedReading:
    warnings = tuple(p.text() for p in checked.problems if p.severity == "warning")
    if row is None:
        return SavedReading(c.meter_serial, c.register, c.read_on, "duplicate", None, (),
                            warnings)
    milli = row[3]
    consumption = None if milli is None else Decimal(int(str(milli))) / 1000
    flags = tuple(f for f in str(row[7]).split(",") if f)
    return SavedReading(c.meter_serial, c.register, c.read_on, str(row[5]), consumption, flags,
                        warnings)


def save_reading(db: Database, actor: Actor, meter_serial: str, register: str, read_on: date,
                 value: Decimal | None, *, reading_code: str | None = None,
                 confirm: bool = False, source: str = "manual",
                 today: date | None = None) -> SavedReading:
    """Validate and store one keyed-in reading (see the module docstring)."""
    require(actor, "reading.enter")
    c = Candidate(1, meter_serial, register, read_on, value, reading_code, actor.user_id)
    with db.write_connection() as conn:
        checked = _check(conn, [c], source=source, where=f"{meter_serial}/{register}",
                         today=today or date.today(), confirm=confirm)
        if checked.errors:
            # in words, the register named once: "EBS1000001/kwh: 7000 is lower than the
            # previous reading 7,123 of 1 Oct 2026, and not a rollover of the 6-dial meter"
            raise ValidationError("; ".join(p.sentence() for p in checked.errors),
                                  location=f"{meter_serial}/{register}")
        warnings = [p.sentence() for p in checked.problems if p.severity == "warning"]
        if warnings and not confirm:
            raise NeedsConfirmation(warnings)
        bulk_insert(conn, "readings", READING_COLUMNS, checked.rows)
        with Session(bind=conn) as session:
            audit.record(session, actor, "reading.enter", "register",
                         f"{meter_serial}/{register}",
                         after={"read_on": read_on.isoformat(), "value": str(value),
                                "code": reading_code, "confirmed": bool(warnings)})
            session.flush()
    return _saved(c, checked.rows[0] if checked.rows else None, checked)


def confirm_reading(db: Database, actor: Actor, reading_id: int) -> None:
    """A billing officer accepts a pending reading: it becomes billable."""
    require(actor, "reading.confirm")
    with db.write() as session:
        reading = store.reading(session, reading_id)
        if reading is None:
            raise NotFound(f"no reading {reading_id}")
        if reading.status != "pending":
            raise ConflictError(f"reading {reading_id} is {reading.status}, not pending")
        store.set_reading_status(session, reading_id, "confirmed")
        audit.record(session, actor, "reading.confirm", "reading", reading_id,
                     before={"status": "pending"}, after={"status": "confirmed"})


def store_readout(db: Database, actor: Actor, readout: MeterReadout, source: str,
                  today: date | None = None) -> list[SavedReading]:
    """Save a direct readout (``optical`` or ``p1``) as readings of the meter it names."""
    require(actor, "reading.enter")
    today = today or date.today()
    if readout.meter_id is None:
        raise ValidationError(NO_METER, location=f"{readout.protocol} readout")
    where = f"meter {readout.meter_id}"
    with db.write_connection() as conn:
        registers = list(load_registers(conn, [readout.meter_id]).values())
        parsed = readout_candidates(readout, registers, where, today, actor.user_id)
        if parsed.problems:
            p = parsed.problems[0]
            raise ValidationError(f"{p.field} {p.value!r}: {p.message}", location=where)
        checked = _check(conn, parsed.candidates, source=source, where=where, today=today,
                         confirm=False)
        if checked.errors:
            raise ValidationError("; ".join(p.text() for p in checked.errors), location=where)
        bulk_insert(conn, "readings", READING_COLUMNS, checked.rows)
        with Session(bind=conn) as session:
            audit.record(session, actor, "reading.readout", "meter", readout.meter_id,
                         after={"source": source, "registers": len(checked.rows)})
            session.flush()
    by_register = {row[0]: row for row in checked.rows}
    ids = {s.code: s.register_id for s in registers}
    return [_saved(c, by_register.get(ids[c.register]), checked) for c in parsed.candidates]


class HandheldSink:
    """Stores each uploaded reading in its own transaction before the device is told so.

    Keyed by (meter serial, register, read_at): a reading sent again (retransmission,
    resumed upload, second sync) finds its register's day taken with the same value and
    adds nothing. ``problems`` lists readings that could not be stored at all.
    """

    def __init__(self, db: Database, actor: Actor, today: date | None = None) -> None:
        require(actor, "handheld.sync")
        self.db, self.actor, self.today = db, actor, today
        self.stored: list[SavedReading] = []
        self.duplicates = 0
        self.problems: list[str] = []
        with db.read() as session:
            self.readers = store.reader_ids(session)

    def __call__(self, reading: HandheldReading) -> None:
        c = handheld_candidate(reading, 1, self.readers, self.actor.user_id)
        where = f"handheld {reading.meter_serial}/{reading.register} {reading.read_at}"
        today = self.today or date.today()
        with self.db.write_connection() as conn:
            checked = _check(conn, [c], source="handheld", where=where, today=today,
                             confirm=False)
            if checked.duplicates:
                self.duplicates += 1
                return
            rows = checked.rows
            if checked.errors:
                if any(p.field in ("meter_serial", "register") or "same_day" in p.message
                       or "already has a reading" in p.message for p in checked.errors):
                    self.problems += [p.text() for p in checked.errors]
                    return
                rows = [_rejected_row(conn, c, checked)]
            bulk_insert(conn, "readings", READING_COLUMNS, rows)
        self.stored.append(_saved(c, rows[0], checked))


def _rejected_row(conn: Connection, c: Candidate, checked: Checked) -> tuple[object, ...]:
    """A reading the rules refuse, kept for review (never billed); flags name the fields."""
    states = load_registers(conn, [c.meter_serial])
    state = states[(c.meter_serial, c.register)]
    value = (c.value or Decimal(0)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    flags = ",".join(sorted({p.field for p in checked.errors}))[:200]
    return (state.register_id, c.read_on, int(value * 1000), None, "handheld", "rejected",
            None, flags, c.reader_id, None, datetime.now(UTC))
