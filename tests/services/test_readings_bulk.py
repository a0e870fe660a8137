"""The fast sheet import gives the same verdicts as the general path, on both backends.

The same mixed sheet (plain readings, rollovers, zero/high/low use, duplicates, a register
read twice, bad values, dates and codes, unknown meters) is checked by ``bulk.check_sheet``
(keyed load and full scan) and by ``parse_sheet`` + ``check_candidates`` over
``RegisterState`` records: problems, counts and rows must be identical.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Reading
from ebs_desktop.services import readings
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.readings import history_scan, imports
from ebs_desktop.services.readings.bulk import check_sheet
from ebs_desktop.services.readings.sheet import parse_sheet
from ebs_desktop.services.readings.state import load_history, load_registers
from ebs_desktop.services.readings.table import load_table
from ebs_desktop.services.readings.validate import Policy, check_candidates
from tools.bench.readings import build_bench_utility

TODAY = date(2026, 6, 15)
READ_ON = (TODAY - timedelta(days=1)).isoformat()
ACTOR = system_actor("test")
HEADER = "meter_serial,register,read_at,value,reading_code,previous_value,previous_read_at"


def _mixed_sheet(sheet: Path) -> str:
    rows = list(csv.reader(sheet.read_text().splitlines()))[1:]
    prev = {r[0]: (Decimal(r[5]), r[6]) for r in rows}
    out = [HEADER]

    def add(serial: str, value: str, *, on: str = READ_ON, code: str = "",
            register: str = "kwh") -> None:
        out.append(f"{serial},{register},{on},{value},{code},,")

    serials = sorted(prev)
    for n, serial in enumerate(serials):
        p, p_on = prev[serial]
        step = n % 24
        plain = str(p + 150 + n)
        variants = {
            0: [plain], 1: [str(p)], 2: [str(p + 90_000)], 3: [str(p + Decimal("0.001"))],
            4: ["1"], 5: [f"{p + 12}.5"], 6: [f"{p + 12}.1234"], 7: ["1e3", "٣٣"],
            8: ["-5"], 9: ["abc"], 10: [plain + ".000"], 11: [str(p)],
        }
        if step in variants:
            for value in variants[step]:
                add(serial, value, on=p_on if step == 11 else READ_ON)
        elif step == 12:
            add(serial, "", code="no_access")
        elif step == 13:
            add(serial, plain, code="bogus")
        elif step == 14:
            add(serial, plain, on=(TODAY + timedelta(days=3)).isoformat())
        elif step == 15:
            add(serial, plain, on=(date.fromisoformat(p_on) - timedelta(days=2)).isoformat())
        elif step == 16:
            add(serial, str(p + 7), on=p_on)
        elif step == 17:
            add(serial, str(p + 100), on=(TODAY - timedelta(days=10)).isoformat())
            add(serial, str(p + 180))
        elif step == 18:
            add(serial, plain, register="kvah")
        elif step == 19:
            add(serial, plain, on="15/06/2026")
        elif step == 20:
            out.append(f"{serial},kwh,{READ_ON},{plain}")
        elif step == 21:
            add(serial, plain, on=f"{READ_ON}T08:30:00")
        elif step == 22:
            add(serial, f" {plain} ")
        else:
            add(serial, "")
    add("NOPE0001", "12")
    add("X" * 70, "12")
    return "\n".join(out) + "\n"


def _policy(file_name: str = "mixed.csv") -> Policy:
    return Policy(file_name, "file", TODAY, Decimal(3), Decimal("0.3"))


def _general(db: Database, text: str) -> tuple[object, ...]:
    policy = _policy()
    with db.write_connection() as conn:
        parsed = parse_sheet(text, policy.file_name, {}, None)
        states = load_registers(conn, {c.meter_serial for c in parsed.candidates})
        load_history(conn, list(states.values()), TODAY)
        checked = check_candidates(parsed.candidates, states, file_name=policy.file_name,
                                   source="file", today=TODAY, high_factor=policy.high_factor,
                                   low_factor=policy.low_factor)
        conn.rollback()
    rows = sorted((r[0], r[1].isoformat(), *r[2:9])  # type: ignore[attr-defined]
                  for r in checked.rows)
    rejected = checked.rejected + len({p.location for p in parsed.problems})
    return (parsed.problems + checked.problems, rejected, checked.accepted, checked.warnings,
            checked.duplicates, checked.skipped, rows)


def _fast(db: Database, text: str, stream: bool, helper: bool = False) -> tuple[object, ...]:
    with db.write_connection() as conn:
        sheet = check_sheet(conn, io.StringIO(text, newline=""), _policy(), {}, None,
                            stream=stream, helper_url=db.url_text if helper else None)
        conn.rollback()
    c = sheet.checked
    rows = sorted(r[:9] for r in sheet.store.rows("file", 0, ""))
    return (sheet.parse_problems + c.problems, sheet.rejected, c.accepted, c.warnings,
            c.duplicates, c.skipped, rows)


def test_fast_path_agrees_with_the_general_rules(db: Database, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    build_bench_utility(db, 96, sheet, TODAY)
    text = _mixed_sheet(sheet)
    general = _general(db, text)
    problems, rejected, accepted, warnings, duplicates, skipped, rows = general
    assert isinstance(problems, list) and isinstance(rows, list)
    codes = {p.message.split(":")[0] for p in problems}
    assert {"high", "low", "zero consumption since the previous reading"} <= codes
    assert any("rollover" in p.message for p in problems)
    assert accepted and warnings and duplicates and skipped and rejected
    assert _fast(db, text, stream=False) == general
    assert _fast(db, text, stream=True) == general
    assert _fast(db, text, stream=True, helper=True) == general


def test_history_scanned_by_the_helper_equals_the_one_done_here(db: Database,
                                                                tmp_path: Path) -> None:
    build_bench_utility(db, 300, tmp_path / "sheet.csv", TODAY)
    with db.write_connection() as conn:  # the import's own transaction, as in use
        # a register read before the history window (the helper's second query)
        conn.exec_driver_sql("DELETE FROM readings WHERE register_id = 7")
        conn.exec_driver_sql(
            "INSERT INTO readings (register_id, read_on, value, consumption, source, status,"
            " flags, created_at) VALUES (7, '2024-01-31', 5000, NULL, 'manual', 'valid', '',"
            " '2024-01-31 00:00:00')")
    with db.write_connection() as conn:
        here = load_table(conn, None, TODAY)
        scan = history_scan.HistoryScan(db.url_text, TODAY)
        helped = load_table(conn, None, TODAY, history=False)
        assert not any(helped.prev_day)
        assert scan.fill(helped)
    for column in ("register_id", "prev_value", "prev_day", "used", "used_days"):
        assert getattr(helped, column) == getattr(here, column), column
    assert here.prev_value[here.find("BM00000007", "kwh")] == 5000
    assert sum(1 for days in here.used_days if days) > 250


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Reading)) or 0)


def test_big_sheet_streams_all_or_nothing_and_once(db: Database, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "SMALL_BYTES", 100)  # every file takes the streaming path
    sheet = tmp_path / "sheet.csv"
    build_bench_utility(db, 250, sheet, TODAY)
    before = _count(db)
    bad = tmp_path / "bad.csv"
    lines = sheet.read_text().splitlines()
    lines[200] = lines[200].replace(READ_ON, "2026-13-01")
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(readings.ImportRefused) as refused:
        readings.import_file(db, ACTOR, bad, today=TODAY)
    assert [(p.location, p.field, p.value) for p in refused.value.summary.problems
            if p.severity == "error"] == [("bad.csv:201", "read_at", "2026-13-01")]
    assert _count(db) == before
    latin = tmp_path / "latin.csv"
    latin.write_bytes(sheet.read_bytes().replace(b"BM00000007", b"BM0000000\xe9", 1))
    with pytest.raises(readings.ImportRefused) as refused:
        readings.import_file(db, ACTOR, latin, today=TODAY)
    assert refused.value.summary.problems[0].location == "latin.csv:8"
    started = datetime.now(UTC).replace(tzinfo=None)
    summary = readings.import_file(db, ACTOR, sheet, today=TODAY)
    assert (summary.accepted + summary.warnings, summary.rejected) == (250, 0)
    assert _count(db) == before + 250
    assert readings.import_file(db, ACTOR, sheet, today=TODAY).already_imported
    copy = tmp_path / "copy.csv"
    copy.write_text(sheet.read_text() + "\n")
    assert readings.import_file(db, ACTOR, copy, today=TODAY).duplicates == 250
    assert _count(db) == before + 250
    with db.read() as s:
        stored = [(r.batch_id, r.source, r.created_at, r.consumption) for r in s.scalars(
            select(Reading).where(Reading.read_on == date.fromisoformat(READ_ON)))]
    assert len(stored) == 250
    assert all(batch == summary.batch_id and source == "file" for batch, source, _c, _u
               in stored)
    assert all(created.replace(tzinfo=None) >= started - timedelta(seconds=5)
               for _b, _s, created, _u in stored)
    assert all(used is not None and used > 0 for _b, _s, _c, used in stored)



def test_an_abandoned_history_helper_is_gone(db: Database, tmp_path: Path) -> None:
    """An import that fails while the helper scans leaves no process behind."""
    build_bench_utility(db, 50, tmp_path / "sheet.csv", TODAY)
    scan = history_scan.HistoryScan(db.url_text, TODAY)
    proc = scan._proc
    scan.abandon()
    assert not proc.is_alive()
