"""``ebs report arrears-aging`` is as of one day: --to alone, through the real ``ebs``
script; a report over days still asks for its first one, in words."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.demo import build_demo

EBS = Path(sys.executable).parent / "ebs"


@pytest.fixture
def demo_url(sqlite_db: Database) -> str:
    build_demo(sqlite_db, customers=20, months=3, until="2026-06")
    return sqlite_db.url_text


def _ebs(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EBS), "--db", url, *args], capture_output=True, text=True,
                          timeout=120, check=False)


def test_arrears_as_of_a_day_without_from(demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "arrears.csv"
    done = _ebs(demo_url, "report", "arrears-aging", "--to", "2026-06-30", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "as of 2026-06-30" in done.stdout
    text = out.read_text(encoding="utf-8")
    assert "All accounts" in text and len(list(csv.reader(text.splitlines()))) > 3


def test_a_report_over_days_asks_for_its_first_day(demo_url: str, tmp_path: Path) -> None:
    done = _ebs(demo_url, "report", "revenue", "--to", "2026-06-30", "--out",
                str(tmp_path / "r.csv"))
    assert done.returncode != 0
    message = done.stdout + done.stderr
    assert "revenue covers days: give the first one (YYYY-MM-DD)" in message
    assert "Traceback" not in message
