"""``ebs pay``, ``ebs receipt``, ``ebs shift`` and ``ebs bank`` end to end, on both backends."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from ebs_desktop.cli.main import cli
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.database import set_local_operator
from tests.books_check import books_problems
from tests.support.counter_scratch import (
    CLERK,
    CLERK2,
    SUPERVISOR,
    Scratch,
    seed_counter_scratch,
)

ENV: dict[str, str | None] = {"EBS_USER": CLERK[0], "EBS_PASSWORD": CLERK[1],
                              "EBS_COUNTER": "C01"}
OPERATOR: dict[str, str | None] = {"EBS_USER": None, "EBS_PASSWORD": None}  # every role


@pytest.fixture
def setup(db: Database, db_url: str, tmp_path: Path) -> tuple[Scratch, Path, str]:
    out = tmp_path / "receipts.bin"
    return seed_counter_scratch(db, 2, printer_target=str(out)), out, db_url


def ebs(url: str, *args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args], env=env or ENV, catch_exceptions=False)


def count_rows(db: Database, table: str) -> int:
    with db.read() as s:
        return int(s.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def test_pay_needs_the_clerks_open_shift_posts_once_and_prints(
        db: Database, setup: tuple[Scratch, Path, str]) -> None:
    scratch, out, url = setup
    acct = scratch.account_numbers[0]
    args = ("pay", "--account", acct, "--amount", "45.50", "--tender", "cash", "--tendered",
            "50", "--key", "cli-1", "--json")
    refused = ebs(url, *args)  # never opens a shift silently: says how to open one
    assert refused.exit_code == 1
    assert "no open shift at counter C01" in refused.output
    assert "ebs --user clerk shift open --counter C01 --float AMOUNT" in refused.output
    assert books_problems(db) == [] and count_rows(db, "shifts") == 0
    assert ebs(url, "shift", "open", "--float", "20").exit_code == 0
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
    assert ebs(url, "shift", "open", "--float", "100").exit_code == 0
    paid = json.loads(ebs(url, "pay", "--account", scratch.account_numbers[1], "--amount",
                          "20", "--json").output)
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


CLERK2_ENV: dict[str, str | None] = {**ENV, "EBS_USER": CLERK2[0], "EBS_PASSWORD": CLERK2[1]}
SUPER_ENV: dict[str, str | None] = {**ENV, "EBS_USER": SUPERVISOR[0],
                                    "EBS_PASSWORD": SUPERVISOR[1]}


def test_shifts_are_opened_worked_and_closed_by_their_own_clerk(
        db: Database, setup: tuple[Scratch, Path, str]) -> None:
    scratch, _, url = setup
    acct = scratch.account_numbers[0]
    named = ebs(url, "shift", "open", "--clerk", "admin")  # never in someone else's name
    assert named.exit_code != 0 and count_rows(db, "shifts") == 0
    operator = ebs(url, "shift", "open", env={**OPERATOR, "EBS_COUNTER": "C01"})
    # the local operator has no drawer; on PostgreSQL it is refused before that (point 9)
    expected = ("sign in as the clerk (--user NAME" if db.backend == "sqlite"
                else "every command needs --user NAME")
    assert operator.exit_code != 0 and expected in operator.output, operator.output
    op_pay = ebs(url, "pay", "--account", acct, "--amount", "5",
                 env={**OPERATOR, "EBS_COUNTER": "C01"})
    assert op_pay.exit_code != 0 and expected in op_pay.output, op_pay.output
    assert count_rows(db, "shifts") == 0
    assert ebs(url, "shift", "open", "--float", "100").exit_code == 0
    pay = ebs(url, "pay", "--account", acct, "--amount", "5", env=CLERK2_ENV)
    assert pay.exit_code == 3 and "belongs to clerk: only clerk may post" in pay.output
    drop = ebs(url, "shift", "drop", "--amount", "50", env=CLERK2_ENV)
    assert drop.exit_code == 3 and "only clerk may take a safe drop" in drop.output
    close = ebs(url, "shift", "close", "--count", "100=1", env=CLERK2_ENV)
    assert close.exit_code == 3 and "only clerk may close" in close.output
    assert (count_rows(db, "payments"), count_rows(db, "safe_drops")) == (0, 0)
    # a supervisor force-closes with a reason; the Z-report says forced and by whom
    assert ebs(url, "shift", "close", "--count", "100=1", "--force-reason", " ",
               env=SUPER_ENV).exit_code == 1
    forced = ebs(url, "shift", "close", "--count", "100=1", "--force-reason",
                 "clerk went home ill", env=SUPER_ENV)
    assert forced.exit_code == 0, forced.output
    report = ebs(url, "shift", "report")
    assert "FORCED CLOSE by super" in report.output and "clerk went home ill" in report.output


def test_a_short_shift_blocks_the_counter_until_approved(
        db: Database, setup: tuple[Scratch, Path, str]) -> None:
    scratch, _, url = setup
    assert ebs(url, "shift", "open", "--float", "100").exit_code == 0
    assert ebs(url, "pay", "--account", scratch.account_numbers[0], "--amount",
               "40").exit_code == 0
    closed = ebs(url, "shift", "close", "--count", "100=1", "--json")
    shift = json.loads(closed.output)["shift"]
    assert json.loads(closed.output)["needs_approval"] is True
    blocked = ebs(url, "shift", "open")
    assert blocked.exit_code == 1
    assert f"ebs shift approve {shift}" in blocked.output and "-40.00" in blocked.output
    assert ebs(url, "shift", "approve", str(shift)).exit_code == 3  # a clerk cannot
    approved = ebs(url, "shift", "approve", str(shift), env=SUPER_ENV)
    assert approved.exit_code == 0 and "approved by super" in approved.output
    assert ebs(url, "shift", "open").exit_code == 0


def test_pay_asks_for_allow_credit_and_a_supervisor_above_the_limit(
        db: Database, setup: tuple[Scratch, Path, str]) -> None:
    from ebs_desktop.services.actor import system_actor
    from ebs_desktop.services.settings import update_settings

    scratch, _, url = setup
    acct = scratch.account_numbers[1]
    assert ebs(url, "shift", "open").exit_code == 0
    over = ebs(url, "pay", "--account", acct, "--amount", "100", "--tender", "transfer",
               "--reference", "R1")
    assert over.exit_code == 1 and "pass --allow-credit" in over.output
    update_settings(db, system_actor("admin"), {"payment_supervisor_limit": "60.00"})
    big = ebs(url, "pay", "--account", acct, "--amount", "91", "--key", "big")
    assert big.exit_code == 3 and "--supervisor NAME" in big.output
    assert count_rows(db, "payments") == 0
    approved = ebs(url, "pay", "--account", acct, "--amount", "91", "--key", "big",
                   "--supervisor", SUPERVISOR[0], "--json",
                   env={**ENV, "EBS_SUPERVISOR_PASSWORD": SUPERVISOR[1]})
    assert approved.exit_code == 0, approved.output
    assert json.loads(approved.output)["balance"] == "0.00"
    credit = ebs(url, "pay", "--account", acct, "--amount", "10", "--allow-credit", "--json")
    assert json.loads(credit.output)["credit"] == "10.00"
    assert books_problems(db) == []
