"""``ebs bill-run`` and ``ebs bill ...`` end to end through click, on both backends."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from ebs_desktop.cli.main import cli
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.services.demo import build_demo

# the demo's billing officer: on PostgreSQL a command needs --user (issue 17, point 9)
BILLING = {"EBS_USER": "billing", "EBS_PASSWORD": "billing-demo"}


def _ebs(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", url, *args], env=BILLING)
    return result.exit_code, result.output


def test_bill_commands(db_url: str, tmp_path: Path) -> None:
    db = open_database(db_url)
    build_demo(db, customers=12, months=3, until="2026-06", seed=3)
    db.dispose()
    code, out = _ebs(db_url, "bill-run", "--period", "2026-06", "--dry-run",
                     "--issue-date", "2026-07-01", "--json")
    assert code == 0, out
    dry = json.loads(out)
    assert dry["dry_run"] and dry["bills"] == 12 and dry["run_id"] is None
    code, out = _ebs(db_url, "bill-run", "--period", "2026-06", "--issue-date", "2026-07-01",
                     "--json")
    run = json.loads(out)
    assert code == 0 and run["bills"] == 12 and run["total"] == dry["total"]
    code, out = _ebs(db_url, "bill-run", "--period", "2026-06")
    assert code == 0 and "0 accounts due, 0 bills" in out
    number = run["first_bill"]
    code, out = _ebs(db_url, "bill", "show", number, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["bill_number"] == number and shown["lines"]
    assert all(" = " in line["description"] for line in shown["lines"])  # explained
    code, out = _ebs(db_url, "bill", "rebill", number)
    assert code == 1 and "not cancelled" in out
    code, out = _ebs(db_url, "bill", "cancel", number, "--reason", "misread meter")
    assert code == 0 and f"cancels bill {number}" in out
    code, out = _ebs(db_url, "bill", "cancel", number, "--reason", "again")
    assert code == 1 and "already cancelled" in out
    code, out = _ebs(db_url, "bill", "rebill", number)
    assert code == 0 and f"replaces {number}" in out and "revision 1" in out
    target = tmp_path / "june.csv"
    code, out = _ebs(db_url, "bill", "export", "--period", "2026-06", "--out", str(target))
    assert code == 0 and "13 bills written" in out
    with target.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["status"] for r in rows].count("cancelled") == 1
    assert rows[-1]["kind"] == "rebill" and rows[-1]["revision"] == "1"
    assert sum(int(r["total"].replace(".", "")) for r in rows if r["status"] != "cancelled") \
        == sum(int(r["total"].replace(".", "")) for r in rows[:12])
