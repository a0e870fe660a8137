"""``ebs bill mail-export`` end to end over a demo database (SQLite), through ``ebs``."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from ebs_desktop.cli.main import cli
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.demo import build_demo


def test_mail_export_over_the_demo(sqlite_db: Database, tmp_path: Path) -> None:
    build_demo(sqlite_db, customers=30, months=3, until="2026-06")
    out = tmp_path / "post"
    result = CliRunner().invoke(cli, ["--db", sqlite_db.url_text, "bill", "mail-export",
                                      "--period", "2026-05", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / "manifest.csv").open(encoding="utf-8")))
    assert rows and f"{len(rows)} bills on" in result.output
    files = sorted({r["file"] for r in rows})
    assert sorted(p.name for p in out.glob("*.pdf")) == files
    for name in files:
        mine = [r for r in rows if r["file"] == name]
        assert len(PdfReader(out / name).pages) == sum(int(r["pages"]) for r in mine)
        assert [int(r["sequence"]) for r in mine] == list(range(1, len(mine) + 1))
    assert all(r["address_1"] and r["bill_number"] for r in rows)

    again = CliRunner().invoke(cli, ["--db", sqlite_db.url_text, "bill", "mail-export",
                                     "--period", "1999-01", "--out", str(out)])
    assert again.exit_code == 1
    assert "no bill of 1999-01 goes by post" in again.output
