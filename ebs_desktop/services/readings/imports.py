"""``ebs readings import``: a whole file checked first, then stored in one transaction.

Idempotent twice over: the file's SHA-256 is kept on its ``reading_batches`` row, so the
same bytes again add nothing; and a reading already stored for the same register, day and
value counts as a duplicate, so an overlapping file adds only what is new. Any error
refuses the whole file (:class:`ImportRefused` carries every problem); warnings are stored
as ``pending`` (billed only once confirmed), or ``confirmed`` with ``confirm=True``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from ebs_desktop.devices.meters.inspect import detect_kind, inspect_bytes
from ebs_desktop.errors import EbsError, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import ReadingBatch, User
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.billing.writer import READING_COLUMNS, bulk_insert
from ebs_desktop.services.guard import require
from ebs_desktop.services.readings.sheet import Parsed, parse_sheet
from ebs_desktop.services.readings.sources import parse_handheld_export, readout_candidates
from ebs_desktop.services.readings.state import load_history, load_registers
from ebs_desktop.services.readings.validate import LocatedProblem, check_candidates
from ebs_desktop.services.settings import get_settings

MAX_BYTES = 512 << 20
ALL_REGISTERS_FROM = 20_000  # above this many meters, one scan of all beats IN lists


@dataclass(frozen=True)
class ImportSummary:
    file_name: str
    kind: str  # csv, handheld, dsmr, iec62056-21
    accepted: int
    warnings: int
    rejected: int
    duplicates: int
    skipped: int
    problems: tuple[LocatedProblem, ...]
    already_imported: bool = False
    batch_id: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file_name, "kind": self.kind, "accepted": self.accepted,
                "warnings": self.warnings, "rejected": self.rejected,
                "duplicates": self.duplicates, "skipped": self.skipped,
                "already_imported": self.already_imported, "batch_id": self.batch_id,
                "problems": [{"location": p.location, "field": p.field, "value": p.value,
                              "message": p.message, "severity": p.severity}
                             for p in self.problems]}


class ImportRefused(ValidationError):
    """The file has errors; nothing was stored. ``summary.problems`` lists them all."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary
        errors = [p for p in summary.problems if p.severity == "error"]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        first = errors[0]
        super().__init__(f"{first.field} {first.value!r}: {first.message}{more}; nothing "
                         "was stored", location=first.location)


SOURCES = {"csv": "file", "handheld": "handheld", "dsmr": "p1", "iec62056-21": "optical"}


def file_kind(data: bytes) -> str:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{":
        return "handheld"
    try:
        return detect_kind(data)
    except ValidationError:
        return "csv"


def import_file(db: Database, actor: Actor, path: Path, *, confirm: bool = False,
                today: date | None = None) -> ImportSummary:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValidationError(f"larger than {MAX_BYTES >> 20} MB", location=str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"cannot read: {exc.strerror}", location=str(path)) from exc
    return import_bytes(db, actor, data, path.name, confirm=confirm, today=today)


def import_bytes(db: Database, actor: Actor, data: bytes, file_name: str, *,
                 confirm: bool = False, today: date | None = None) -> ImportSummary:
    """Check and store one file's readings, all or nothing."""
    require(actor, "reading.import")
    if confirm:
        require(actor, "reading.confirm")
    today = today or date.today()
    digest = hashlib.sha256(data).hexdigest()
    kind = file_kind(data)
    with db.write_connection() as conn:
        existing = conn.execute(select(ReadingBatch.id).where(
            ReadingBatch.content_sha256 == digest)).scalar_one_or_none()
        if existing is not None:
            return ImportSummary(file_name, kind, 0, 0, 0, 0, 0, (), True, existing)
        with Session(bind=conn) as session:
            settings = get_settings(session)
        readers = {str(u): int(i) for u, i in conn.execute(select(User.username, User.id))}
        parsed = _parse(conn, data, kind, file_name, readers, actor.user_id, today)
        serials = {c.meter_serial for c in parsed.candidates}
        states = load_registers(
            conn, None if len(serials) > ALL_REGISTERS_FROM else serials)
        wanted = [states[k] for k in {(c.meter_serial, c.register) for c in parsed.candidates}
                  if k in states]
        load_history(conn, wanted, today)
        batch_id = int(conn.execute(insert(ReadingBatch).values(
            source=SOURCES[kind], file_name=file_name[:400], content_sha256=digest,
            user_id=actor.user_id).returning(ReadingBatch.id)).scalar_one())
        checked = check_candidates(parsed.candidates, states, file_name=file_name,
                                   source=SOURCES[kind], today=today,
                                   high_factor=settings.decimal("high_consumption_factor"),
                                   low_factor=settings.decimal("low_consumption_factor"),
                                   confirm=confirm, batch_id=batch_id)
        problems = tuple(parsed.problems + checked.problems)
        rejected = checked.rejected + len({p.location for p in parsed.problems})
        summary = ImportSummary(file_name, kind, checked.accepted, checked.warnings, rejected,
                                checked.duplicates, checked.skipped, problems, False, batch_id)
        if rejected or not (parsed.candidates or parsed.problems):
            if not problems:
                problems = (LocatedProblem(f"{file_name}:1", "file", "", "holds no readings",
                                           "error"),)
                summary = ImportSummary(file_name, kind, 0, 0, 1, 0, 0, problems)
            raise ImportRefused(summary)
        bulk_insert(conn, "readings", READING_COLUMNS, checked.rows)
        conn.execute(update(ReadingBatch).where(ReadingBatch.id == batch_id).values(
            accepted=checked.accepted, warnings=checked.warnings))
        with Session(bind=conn) as session:
            audit.record(session, actor, "reading.import", "reading_batch", batch_id,
                         after={"file": file_name, "sha256": digest,
                                "accepted": checked.accepted, "warnings": checked.warnings,
                                "duplicates": checked.duplicates})
            session.flush()
    return summary


def _parse(conn: Connection, data: bytes, kind: str, file_name: str, readers: dict[str, int],
           reader_id: int | None, today: date) -> Parsed:
    if kind in ("dsmr", "iec62056-21"):
        try:
            readout = inspect_bytes(data, file_name)
        except EbsError as exc:
            location = getattr(exc, "location", None) or f"{file_name}:1"
            out = Parsed()
            out.problems.append(LocatedProblem(location, kind, "",
                                               str(exc).removeprefix(f"{location}: "),
                                               "error"))
            return out
        registers = list(load_registers(conn, [readout.meter_id]).values())
        return readout_candidates(readout, registers, file_name, today, reader_id)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        out = Parsed()
        out.problems.append(LocatedProblem(f"{file_name}:{line}", "encoding",
                                           repr(data[exc.start:exc.start + 4]),
                                           "is not UTF-8 text", "error"))
        return out
    if kind == "handheld":
        return parse_handheld_export(text, file_name, readers, reader_id)
    return parse_sheet(text, file_name, readers, reader_id)
