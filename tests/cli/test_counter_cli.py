"""``ebs pay``, ``ebs receipt``, ``ebs shift`` and ``ebs bank`` end to end, on both backends."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ebs_desktop.cli.main import cli
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.counter.checks import books_problems
from ebs_desktop.services.counter.scratch import CLERK, SUPERVISOR, Scratch, seed_counter_scratch
from ebs_desktop.services.database import set_local_operator

ENV: dict[str, str | None] = {"EBS_USER": CLERK[0], "EBS_PASSWORD": CLERK[1],
                              "EBS_COUNTER": "C01"}
OPERATOR: dict[str, str | None] = {"EBS_USER": None, "EBS_PASSWORD": None}  # every role


@pytest.fixture
def setup(db: Database, db_url: str, tmp_path: Path) -> tuple[Scratch, Path, str]:
    out = tmp_path / "receipts.bin"
    return seed_counter_scratch(db, 2, printer_target=str(out)), out, db_url


def ebs(url: str, *args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args], env=env or ENV, catch_exceptions=False)


def test_pay_opens_a_shift_posts_once_and_prints(db: Database,
                                                 setup: tuple[Scratch, Path, str]) -> None:
    scratch, out, url = setup
    acct = scratch.account_numbers[0]
    args = ("pay", "--account", acct, "--amount", "45.50", "--tender", "cash", "--tendered",
            "50", "--key", "cli-1", "--float", "20", "--json")
    first = ebs(url, *args)
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert data["balance"] == "45.50" and data["change"] == "4.50"
    assert data["receipt_number"] == f"C01-{datetime.now(UTC).year}-000001"
    again = json.loads(ebs(url, *args).output)
    assert again["payment_id"] == data["payment_id"] and again["replayed"] is True
    assert data["receipt_number"].encode() in out.read_bytes()
    card = ebs(url, "pay", "--account", acct, "--amount", "10", "--tender", "card",
               "--card-last4", "4242", "--approval", "AB12CD", "--json")
    cheque = ebs(url, "pay", "--account", acct, "--amount", "5", "--tender", "cheque",
                 "--cheque-number", "1001", "--cheque-bank", "First Bank", "--json")
    transfer = ebs(url, "pay", "--account", acct, "--amount", "1.25", "--tender", "transfer",
                   "--reference", "MPESA-77", "--json")
    assert [json.loads(r.output)["balance"] for r in (card, cheque, transfer)] == [
        "35.50", "30.50", "29.25"]
    refused = ebs(url, "pay", "--account", acct, "--amount", "10", "--tender", "card",
                  "--card-last4", "4111111111111111", "--approval", "AB12CD")
    assert refused.exit_code == 1 and "last4" in refused.output
    assert books_problems(db) == []


def test_reprint_export_close_and_report(db: Database, setup: tuple[Scratch, Path, str],
                                         tmp_path: Path) -> None:
    scratch, out, url = setup
    paid = json.loads(ebs(url, "pay", "--account", scratch.account_numbers[1], "--amount",
                          "20", "--float", "100", "--json").output)
    assert ebs(url, "shift", "open").exit_code == 1  # already open: one clear error
    reprint = ebs(url, "receipt", "reprint", paid["receipt_number"])
    assert "duplicate 1" in reprint.output
    assert b"DUPLICATE - reprint 1" in out.read_bytes()
    today = datetime.now(UTC).date().isoformat()
    csv_path = tmp_path / "receipts.csv"
    assert ebs(url, "receipt", "export", "--from", today, "--to", today, "--out",
               str(csv_path)).exit_code == 0
    rows = list(csv.DictReader(csv_path.open()))
    assert [(r["receipt_number"], r["amount"], r["tenders"]) for r in rows] == [
        (paid["receipt_number"], "20.00", "cash:20.00")]
    closed = ebs(url, "shift", "close", "--count", "100=1", "--count", "10=1", "--json",
                 env={**ENV, "EBS_SUPERVISOR_PASSWORD": SUPERVISOR[1]})
    result = json.loads(closed.output)
    assert result["tenders"]["cash"] == {"expected": "120.00", "counted": "110.00",
                                         "over_short": "-10.00"}
    assert result["needs_approval"] is True
    report = ebs(url, "shift", "report")
    assert "Z-REPORT" in report.output and "-10.00" in report.output
    day = ebs(url, "shift", "report", "--day", today)
    assert "DAY " + today in day.output


def test_bank_import_review_assign(db: Database, setup: tuple[Scratch, Path, str],
                                   tmp_path: Path) -> None:
    scratch, _, url = setup
    # OPERATOR (no --user): on PostgreSQL only once an administrator allowed it (point 9)
    set_local_operator(db, system_actor("test-admin"), True)
    acct = scratch.account_numbers[0]
    mt940 = tmp_path / "stmt.sta"
    mt940.write_text(
        ":20:STMT1\r\n:25:NL71RABO0123456789\r\n:28C:1/1\r\n:60F:C250301USD100,00\r\n"
        ":61:2503020302C45,50NTRFREF1//B1\r\n:86:Payment " + acct + "\r\n"
        ":61:2503020302C9,00NTRFREF2//B2\r\n:86:unknown payer\r\n"
        ":62F:C250302USD154,50\r\n-\r\n")
    first = ebs(url, "bank", "import", str(mt940), "--json", env=OPERATOR)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output)
    assert (summary["matched"], summary["review"]) == (1, 1)
    assert json.loads(ebs(url, "bank", "import", str(mt940), "--json", env=OPERATOR).output)[
        "lines_new"] == 0
    review = json.loads(ebs(url, "bank", "review", "--json", env=OPERATOR).output)
    assert [r["amount"] for r in review] == ["9.00"]
    assigned = ebs(url, "bank", "assign", str(review[0]["line"]), "--account",
                   scratch.account_numbers[1], "--json", env=OPERATOR)
    assert json.loads(assigned.output)["balance"] == "82.00"
    assert books_problems(db) == []
