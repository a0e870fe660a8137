"""Reading sheets (``ebs readings import`` CSV) under fuzz, on both backends.

Extends ``tests/services/test_readings_fuzz.py`` (damaged lines of a good sheet) with the
values themselves: each line's value is a valid reading, a boundary quantity (the
``MAX_QUANTITY`` ceiling and beyond, 1e309, NaN, negative, too many decimals), a
number-shaped text or junk; files may carry bytes that are not UTF-8 or be cut off at any
byte. Property: the import stores exactly the values written (each finite, within the
ceiling), or refuses with errors located ``file:line`` and leaves the database unchanged.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from ebs_desktop.domain.money import MAX_QUANTITY
from ebs_desktop.errors import EbsError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services import readings
from ebs_desktop.services.actor import system_actor
from tests.fuzz.checksum import changes, snapshot
from tests.fuzz.profiles import cases_for, fuzz_settings
from tests.fuzz.strategies import exact, number_like, quantity_texts
from tools.bench.readings import build_bench_utility

TODAY = date(2026, 6, 15)
ACTOR = system_actor("fuzz")
NAME = "fuzz.csv"
METERS = 6

line_values = st.one_of(st.just("valid"), st.just("valid"), quantity_texts, number_like)
damage = st.one_of(st.none(), st.tuples(st.just("cut"), st.integers(0, 2000)),
                   st.tuples(st.just("bytes"), st.integers(0, 2000)),
                   st.tuples(st.just("bom"), st.just(0)))


def _sheet(lines: list[str], values: list[str]) -> bytes:
    out = [lines[0]]
    for line, value in zip(lines[1:], values, strict=True):
        fields = line.split(",")
        if value != "valid":
            fields[3] = value.replace(",", ".").replace("\n", " ").replace("\r", " ")
        out.append(",".join(fields))
    return ("\n".join(out) + "\n").encode("utf-8", "surrogateescape")


def _damaged(data: bytes, how: tuple[str, int] | None) -> bytes:
    if how is None:
        return data
    kind, at = how
    at %= len(data)
    if kind == "cut":
        return data[:at]
    if kind == "bytes":
        return data[:at] + b"\xff\xfe" + data[at:]
    return b"\xef\xbb\xbf" + data


def _written(data: bytes) -> dict[str, set[str]]:
    """The value texts the file gives each meter (as a CSV reader sees them)."""
    out: dict[str, set[str]] = {}
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig", "replace"), newline=""))
    for row in list(rows)[1:]:
        if len(row) > 3:
            out.setdefault(row[0].strip(), set()).add(row[3].strip())
    return out


@pytest.mark.timeout(900)
def test_sheet_values_are_stored_exactly_or_refused(fuzz_db: Database,
                                                    tmp_path: Path) -> None:
    db = fuzz_db
    sheet = tmp_path / "sheet.csv"
    build_bench_utility(db, METERS, sheet, TODAY)
    lines = sheet.read_text().splitlines()
    state = {"before": snapshot(db), "cases": 0, "stored": 0}

    @fuzz_settings(db.backend)
    @given(values=st.lists(line_values, min_size=METERS, max_size=METERS), how=damage)
    def case(values: list[str], how: tuple[str, int] | None) -> None:
        state["cases"] += 1
        data = _damaged(_sheet(lines, values), how)
        try:
            summary = readings.import_bytes(db, ACTOR, data, NAME, today=TODAY)
        except EbsError as exc:
            location = getattr(exc, "location", None) or ""
            assert location.startswith(f"{NAME}:"), f"{exc} is not located ({location!r})"
            moved = changes(state["before"], snapshot(db))
            assert not moved, f"refused ({exc}) but changed {moved}"
            return
        if summary.already_imported:
            return
        written = _written(data)
        with db.read() as s:
            stored = s.execute(text(
                "SELECT m.serial, r.value FROM readings r JOIN meter_registers g"
                " ON g.id = r.register_id JOIN meters m ON m.id = g.meter_id"
                " WHERE r.batch_id = :b"), {"b": summary.batch_id}).all()
        assert len(stored) == summary.accepted + summary.warnings
        for serial, milli in stored:  # the column holds thousandths
            value = Decimal(int(milli)).scaleb(-3)
            typed = {exact(t) for t in written.get(serial, set())}
            assert value in typed, f"{serial}: stored {value}, the file says {typed}"
            assert 0 <= value <= MAX_QUANTITY, f"{serial}: stored {value}"
        state["stored"] += 1
        state["before"] = snapshot(db)

    case()
    assert state["cases"] >= cases_for(db.backend)
    assert state["stored"], "no sheet was ever stored"
