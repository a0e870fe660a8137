"""``ebs readings import``: a whole file checked first, then stored in one transaction.

Idempotent twice over: the file's SHA-256 is kept on its ``reading_batches`` row, so the
same bytes again add nothing; and a reading already stored for the same register, day and
value counts as a duplicate, so an overlapping file adds only what is new. Any error
refuses the whole file (:class:`ImportRefused` carries every problem); warnings are stored
as ``pending`` (billed only once confirmed), or ``confirmed`` with ``confirm=True``.

Reading sheets go through ``bulk`` (integer fast path, general rules for the rest); a
sheet over ``SMALL_BYTES`` is hashed and checked as it streams from disk, never held
whole. The batch row and the readings are written only once every line has passed; on
SQLite the readings go in as JSON windows (``rowstore``), on PostgreSQL through COPY.
Measured (``python -m tools.bench readings-import --meters 1000000``, SQLite, shared 2-core VM):
65.5 s and 2.3 GB before, about 16-18 s and 380 MB now.
"""

from __future__ import annotations

import codecs
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from ebs_desktop.devices.meters.inspect import detect_kind, inspect_bytes
from ebs_desktop.errors import EbsError, ValidationError
from ebs_desktop.persistence.bulk import timestamp_text
from ebs_desktop.persistence.engine import Database, use_bulk_cache
from ebs_desktop.persistence.stores import readings as store
from ebs_desktop.persistence.tx import Connection, Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.gc_pause import pausing_gc
from ebs_desktop.services.guard import require
from ebs_desktop.services.progress import TaskState
from ebs_desktop.services.readings.bulk import check_sheet
from ebs_desktop.services.readings.sheet import Parsed, parse_sheet
from ebs_desktop.services.readings.sources import parse_handheld_export, readout_candidates
from ebs_desktop.services.readings.state import load_history, load_registers
from ebs_desktop.services.readings.validate import LocatedProblem, Policy, check_candidates
from ebs_desktop.services.settings import get_settings

MAX_BYTES = 512 << 20


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


SMALL_BYTES = 4 << 20  # a sheet up to this size is held in memory; a bigger one streams


@pausing_gc
def import_file(db: Database, actor: Actor, path: Path, *, confirm: bool = False,
                today: date | None = None, task: TaskState | None = None) -> ImportSummary:
    """Check and store one file's readings, all or nothing (see :func:`import_bytes`)."""
    require(actor, "reading.import")  # before the file is looked at
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValidationError(f"larger than {MAX_BYTES >> 20} MB", location=str(path))
        if size <= SMALL_BYTES:
            return import_bytes(db, actor, path.read_bytes(), path.name, confirm=confirm,
                                today=today, task=task)
        digest, head, bad = _scan(path)
        if file_kind(head) != "csv":
            return import_bytes(db, actor, path.read_bytes(), path.name, confirm=confirm,
                                today=today, task=task)
    except OSError as exc:
        raise ValidationError(f"cannot read: {exc.strerror}", location=str(path)) from exc
    if bad is not None:
        return _import(db, actor, digest, "csv", path.name, confirm, today, bad, task=task)
    with path.open(encoding="utf-8-sig", newline="") as lines:
        return _import(db, actor, digest, "csv", path.name, confirm, today, lines, stream=True,
                       task=task)


def _scan(path: Path) -> tuple[str, bytes, bytes | None]:
    """SHA-256, first bytes, and (if the file is not UTF-8) the whole file for the
    located encoding error; read in blocks, so a big sheet is never held whole."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    head = b""
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            head = head or block[:4096]
            digest.update(block)
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return digest.hexdigest(), head, path.read_bytes()
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return digest.hexdigest(), head, path.read_bytes()
    return digest.hexdigest(), head, None


def import_bytes(db: Database, actor: Actor, data: bytes, file_name: str, *,
                 confirm: bool = False, today: date | None = None,
                 task: TaskState | None = None) -> ImportSummary:
    """Check and store one file's readings, all or nothing.

    ``task`` hears the progress of the check (lines) and of the writing (windows of
    readings) and may cancel at those checkpoints: the file is one transaction, so a
    cancel (:class:`~ebs_desktop.services.progress.TaskCancelled`) stores nothing of it."""
    require(actor, "reading.import")
    kind = file_kind(data)
    digest = hashlib.sha256(data).hexdigest()
    if kind != "csv":
        return _import(db, actor, digest, kind, file_name, confirm, today, data, task=task)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _import(db, actor, digest, kind, file_name, confirm, today, data, task=task)
    return _import(db, actor, digest, kind, file_name, confirm, today,
                   io.StringIO(text, newline=""), task=task)


@dataclass
class _Outcome:
    """What checking produced, whichever path: counts, problems and how to write."""

    problems: tuple[LocatedProblem, ...]
    accepted: int
    warnings: int
    rejected: int
    duplicates: int
    skipped: int
    anything: bool  # the file held at least one reading or problem
    write: Callable[[int, str, TaskState | None], None]
    """Store the checked readings under a batch id and created-at text; checkpoints
    between windows of readings."""


def _import(db: Database, actor: Actor, digest: str, kind: str, file_name: str,
            confirm: bool, today: date | None, content: bytes | Iterable[str], *,
            stream: bool = False, task: TaskState | None = None) -> ImportSummary:
    require(actor, "reading.import")
    if confirm:
        require(actor, "reading.confirm")
    today = today or date.today()
    with db.write_connection() as conn:
        existing = store.batch_with_digest(conn, digest)
        if existing is not None:
            return ImportSummary(file_name, kind, 0, 0, 0, 0, 0, (), True, existing)
        use_bulk_cache(conn)
        with Session(bind=conn) as session:
            settings = get_settings(session)
        readers = store.reader_ids(conn)
        policy = Policy(file_name, SOURCES[kind], today,
                        settings.decimal("high_consumption_factor"),
                        settings.decimal("low_consumption_factor"), confirm)
        if isinstance(content, bytes):
            outcome = _check_file(conn, content, kind, policy, readers, actor.user_id)
        else:
            outcome = _check_lines(conn, content, policy, readers, actor.user_id, stream,
                                   db.url_text, task)
        summary = ImportSummary(file_name, kind, outcome.accepted, outcome.warnings,
                                outcome.rejected, outcome.duplicates, outcome.skipped,
                                outcome.problems, False, None)
        if outcome.rejected or not outcome.anything:
            if not outcome.problems:
                problems = (LocatedProblem(f"{file_name}:1", "file", "", "holds no readings",
                                           "error"),)
                summary = ImportSummary(file_name, kind, 0, 0, 1, 0, 0, problems)
            raise ImportRefused(summary)
        if task is not None:  # checked: the last moment before anything is written
            task.check_cancelled()
        batch_id = store.insert_batch(
            conn, source=SOURCES[kind], file_name=file_name[:400], digest=digest,
            user_id=actor.user_id, accepted=outcome.accepted, warnings=outcome.warnings)
        outcome.write(batch_id, timestamp_text(conn, datetime.now(UTC)), task)
        with Session(bind=conn) as session:
            audit.record(session, actor, "reading.import", "reading_batch", batch_id,
                         after={"file": file_name, "sha256": digest,
                                "accepted": outcome.accepted, "warnings": outcome.warnings,
                                "duplicates": outcome.duplicates})
            session.flush()
    if task is not None:
        task.report(1, 1, f"{file_name}: stored")
    return replace(summary, batch_id=batch_id)


def _check_lines(conn: Connection, lines: Iterable[str], policy: Policy,
                 readers: dict[str, int], reader_id: int | None, stream: bool,
                 url: str, task: TaskState | None) -> _Outcome:
    sheet = check_sheet(conn, lines, policy, readers, reader_id, stream=stream,
                        helper_url=url if stream else None, task=task)
    c = sheet.checked

    def write(batch_id: int, created: str, task: TaskState | None) -> None:
        """The accepted readings a window at a time (see ``rowstore``): a checkpoint
        between windows, never per reading."""
        windows = list(sheet.store.windows())
        for number, (day, extra, rows) in enumerate(windows):
            if task is not None:
                task.report(number, len(windows), f"{policy.file_name}: storing")
                task.check_cancelled()
            store.insert_reading_window(conn, day, extra, rows, policy.source, batch_id,
                                        created)

    found = c.accepted + c.warnings + c.rejected + c.duplicates + c.skipped
    return _Outcome(tuple(sheet.parse_problems + c.problems), c.accepted, c.warnings,
                    sheet.rejected, c.duplicates, c.skipped,
                    bool(found or sheet.parse_problems), write)


def _check_file(conn: Connection, data: bytes, kind: str, policy: Policy,
                readers: dict[str, int], reader_id: int | None) -> _Outcome:
    """Telegrams, readouts, handheld exports and undecodable files: small, general path."""
    parsed = _parse(conn, data, kind, policy.file_name, readers, reader_id, policy.today)
    serials = {c.meter_serial for c in parsed.candidates}
    states = load_registers(conn, serials)
    wanted = [states[k] for k in {(c.meter_serial, c.register) for c in parsed.candidates}
              if k in states]
    load_history(conn, wanted, policy.today)
    checked = check_candidates(parsed.candidates, states, file_name=policy.file_name,
                               source=policy.source, today=policy.today,
                               high_factor=policy.high_factor, low_factor=policy.low_factor,
                               confirm=policy.confirm)

    def write(batch_id: int, created: str, task: TaskState | None) -> None:
        store.insert_readings(conn, ((*row[:9], batch_id, created) for row in checked.rows))

    rejected = checked.rejected + len({p.location for p in parsed.problems})
    return _Outcome(tuple(parsed.problems + checked.problems), checked.accepted,
                    checked.warnings, rejected, checked.duplicates, checked.skipped,
                    bool(parsed.candidates or parsed.problems), write)


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
        registers = (list(load_registers(conn, [readout.meter_id]).values())
                     if readout.meter_id is not None else [])
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
