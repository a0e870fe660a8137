"""``ebs dunning`` through the real ``ebs`` script: the dry run's JSON equals the real
run's plan, a second run does nothing, the crews' list as PDF and CSV, bad input in words."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ebs_desktop.persistence.engine import Database
from tests.support.counter_scratch import seed_counter_scratch

EBS = Path(sys.executable).parent / "ebs"


@pytest.fixture
def url(sqlite_db: Database) -> str:
    seed_counter_scratch(sqlite_db, 3, with_users=False)
    return sqlite_db.url_text


def _ebs(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EBS), "--db", url, "dunning", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def _json(url: str, *args: str) -> dict[str, object]:
    done = _ebs(url, "run", "--json", *args)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_run_dry_then_real_then_again(url: str, tmp_path: Path) -> None:
    dry = _json(url, "--dry-run", "--as-of", "2025-02-20")
    real = _json(url, "--as-of", "2025-02-20")
    assert dry["steps"] == real["steps"] and dry["counts"] == {"overdue": 3}
    assert real["notices"] == 3 and dry["notices"] == 0
    assert _json(url, "--as-of", "2025-02-20")["steps"] == []
    for day in ("2025-03-06", "2025-03-16"):
        assert _ebs(url, "run", "--as-of", day).returncode == 0
    listed = _ebs(url, "orders")
    assert listed.returncode == 0 and listed.stdout.count("D-B") == 3
    pdf, sheet = tmp_path / "orders.pdf", tmp_path / "orders.csv"
    assert _ebs(url, "orders", "--out", str(pdf)).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert _ebs(url, "orders", "--out", str(sheet)).returncode == 0
    rows = list(csv.reader(sheet.read_text(encoding="utf-8").splitlines()))
    assert rows[0][:3] == ["Section", "Order", "Account"]
    assert sum(1 for r in rows if r[1].startswith("D-B")) == 3


def test_bad_input_in_words(url: str, tmp_path: Path) -> None:
    done = _ebs(url, "settings", "dunning.min_final", "lots")
    assert done.returncode != 0 and "dunning.min_final" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    done = _ebs(url, "hold", "999999999", "--kind", "dispute")
    assert done.returncode != 0 and "no account '999999999'" in done.stdout + done.stderr
    done = _ebs(url, "orders", "--out", str(tmp_path / "x.txt"))
    assert done.returncode != 0 and "give a .pdf or a .csv" in done.stdout + done.stderr
    assert _ebs(url, "settings", "dunning.final_days", "21").returncode == 0
    assert "'21'" in _ebs(url, "settings", "dunning.final_days").stdout
