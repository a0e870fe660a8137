"""Fuzzing the sheet importer: every malformed file is refused with a located error and
the database is left exactly as it was."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from ebs_desktop.persistence.engine import Database
from ebs_desktop.services import readings
from ebs_desktop.services.actor import system_actor
from tools.bench.readings import build_bench_utility

TODAY = date(2026, 6, 15)
ACTOR = system_actor("fuzz")


def _fingerprint(db: Database) -> str:
    with db.read() as s:
        rows = s.execute(text("SELECT register_id, read_on, value, status FROM readings "
                              "ORDER BY id")).all()
        batches = s.execute(text("SELECT COUNT(*) FROM reading_batches")).scalar_one()
    return hashlib.sha256(repr((rows, batches)).encode()).hexdigest()


def _break(lines: list[str], how: str, where: int, junk: str) -> list[str]:
    out = list(lines)
    i = 1 + where % (len(out) - 1)
    fields = out[i].split(",")
    fields += [""] * (5 - len(fields))
    if how == "value":
        fields[3] = "x" + junk
    elif how == "date":
        fields[2] = junk or "2026-13-01"
    elif how == "serial":
        fields[0] = "?" + junk
    elif how == "columns":
        fields = fields[:3]
    elif how == "header":
        out[0] = out[0].replace("read_at", junk or "when")
    elif how == "code":
        fields[4] = "code-" + junk
    elif how == "future":
        fields[2] = "2099-01-01"
    elif how == "bytes":
        return [*out[:i], out[i] + "\udcff", *out[i + 1:]]
    if how != "header":
        out[i] = ",".join(fields)
    return out


@pytest.mark.timeout(600)
def test_malformed_sheets_are_refused_and_change_nothing(sqlite_db: Database,
                                                         tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    build_bench_utility(sqlite_db, 4, sheet, TODAY)
    lines = sheet.read_text().splitlines()
    before = _fingerprint(sqlite_db)
    seen = [0]

    @settings(max_examples=1000, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(st.lists(st.tuples(
        st.sampled_from(["value", "date", "serial", "columns", "header", "code", "future",
                         "bytes"]),
        st.integers(0, 100), st.text(alphabet="abc-_/. 9e", max_size=6)), min_size=1,
        max_size=3))
    def fuzz(damage: list[tuple[str, int, str]]) -> None:
        broken = lines
        for how, where, junk in damage:
            broken = _break(broken, how, where, junk)
        data = "\n".join(broken).encode("utf-8", "surrogateescape")
        with pytest.raises(readings.ImportRefused) as info:
            readings.import_bytes(sqlite_db, ACTOR, data, "fuzz.csv", today=TODAY)
        errors = [p for p in info.value.summary.problems if p.severity == "error"]
        assert errors and all(p.location.startswith("fuzz.csv:") and p.field
                              for p in errors)
        assert info.value.location and info.value.location.startswith("fuzz.csv:")
        seen[0] += 1

    fuzz()
    assert seen[0] >= 1000
    assert _fingerprint(sqlite_db) == before
