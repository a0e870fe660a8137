"""``ebs readings template`` / ``import`` end to end through the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from ebs_desktop.cli.main import cli
from ebs_desktop.persistence.engine import Database
from tools.bench.readings import build_bench_utility


def test_template_then_import(sqlite_db: Database, tmp_path: Path) -> None:
    build_bench_utility(sqlite_db, 3, tmp_path / "unused.csv", date.today())
    url = sqlite_db.url_text
    runner = CliRunner()
    period = date.today().strftime("%Y-%m")
    out = tmp_path / "sheet.csv"
    done = runner.invoke(cli, ["--db", url, "readings", "template", "--period", period,
                               "--route", "B00001", "--out", str(out)])
    assert done.exit_code == 0, done.output
    lines = out.read_text().splitlines()
    assert lines[0].startswith("meter_serial,register,read_at,value,reading_code,"
                               "previous_value,previous_read_at,account_number,route")
    assert len(lines) == 4
    bad = [lines[0]] + [",".join([*row.split(",")[:3], "oops", *row.split(",")[4:]])
                        for row in lines[1:]]
    (tmp_path / "bad.csv").write_text("\n".join(bad) + "\n")
    refused = runner.invoke(cli, ["--db", url, "readings", "import", str(tmp_path / "bad.csv"),
                                  "--json"])
    assert refused.exit_code == 1
    summary = json.loads(refused.output)
    assert summary["rejected"] == 3
    assert summary["problems"][0]["location"] == "bad.csv:2"
    assert summary["problems"][0]["value"] == "oops"
