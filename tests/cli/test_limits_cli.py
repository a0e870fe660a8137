"""Issue 17 from the command line, on both backends: amounts beyond the ceiling are refused
where they are typed and post nothing (point 2); every error a user can cause is one line,
JSON with ``--json``, never a traceback (point 14)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from ebs_desktop.cli.main import cli
from ebs_desktop.domain.money import MAX_TOTAL_MINOR
from ebs_desktop.persistence.engine import Database
from tests.support.counter_scratch import CLERK, SUPERVISOR, Scratch, seed_counter_scratch

CLERK_ENV: dict[str, str | None] = {"EBS_USER": CLERK[0], "EBS_PASSWORD": CLERK[1],
                                    "EBS_COUNTER": "C01"}
MANAGER_ENV: dict[str, str | None] = {"EBS_USER": SUPERVISOR[0], "EBS_PASSWORD": SUPERVISOR[1]}
OPERATOR_ENV: dict[str, str | None] = {"EBS_USER": None, "EBS_PASSWORD": None}
ISSUE_AMOUNTS = ["92233720368547758.07", "1e309", "99999999999999999999", "1e999999999"]


@pytest.fixture
def scratch(db: Database) -> Scratch:
    return seed_counter_scratch(db, 2)


def ebs(url: str, *args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args], env=env or CLERK_ENV)


def one_line_error(result: Result) -> str:
    """The result is a refusal: non-zero exit, no exception, one line on stderr."""
    assert result.exit_code not in (0, None), result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def money_state(db: Database) -> tuple[object, ...]:
    """Row counts and balances of the money tables, and the type each balance is stored as."""
    kind = "typeof(balance_minor)" if db.backend == "sqlite" else "pg_typeof(balance_minor)"
    with db.engine.connect() as conn:
        counts = tuple(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                       for t in ("payments", "ledger_entries", "safe_drops", "shift_counts",
                                 "receipts"))
        balances = tuple(tuple(r) for r in conn.execute(text(
            f"SELECT account_number, balance_minor, {kind} FROM accounts ORDER BY id")))
    for _number, balance, stored in balances:
        assert isinstance(balance, int) and str(stored) in ("integer", "bigint")
    return counts, balances


def test_amounts_beyond_the_ceiling_are_refused_and_post_nothing(
        db: Database, db_url: str, scratch: Scratch) -> None:
    account = scratch.account_numbers[0]
    assert ebs(db_url, "shift", "open", "--float", "10").exit_code == 0
    before = money_state(db)
    for amount in ISSUE_AMOUNTS:
        line = one_line_error(ebs(db_url, "pay", "--account", account, "--amount", amount))
        assert "--amount" in line and "ceiling" in line
    # the issue's follow-up payment commits and crashes when the first one was taken
    for args in (("pay", "--account", account, "--amount", "5", "--tendered", "1e30"),
                 ("shift", "drop", "--amount", "1e30"),
                 ("shift", "close", "--count", "20=99999999999999999999"),
                 ("shift", "close", "--count", "1e30=1"),
                 ("shift", "close", "--card", "1e309")):
        line = one_line_error(ebs(db_url, *args))
        assert "ceiling" in line or "beyond" in line, line
    assert money_state(db) == before
    # the ceiling itself is accepted (a credit that large needs the flag and a supervisor)
    paid = ebs(db_url, "pay", "--account", account, "--amount", "9999999999.99",
               "--allow-credit", "--supervisor", SUPERVISOR[0], "--json",
               env={**CLERK_ENV, "EBS_SUPERVISOR_PASSWORD": SUPERVISOR[1]})
    assert paid.exit_code == 0, paid.output
    assert json.loads(paid.stdout)["balance"] == "-9999999908.99"


@pytest.mark.books_broken  # sets a balance by SQL
def test_a_balance_beyond_the_total_ceiling_is_refused_whole(
        db: Database, db_url: str, scratch: Scratch) -> None:
    account = scratch.account_numbers[0]
    assert ebs(db_url, "shift", "open").exit_code == 0
    with db.engine.begin() as conn:  # an account at the bottom of the range (a test's doing)
        conn.execute(text("UPDATE accounts SET balance_minor = :b WHERE account_number = :n"),
                     {"b": -MAX_TOTAL_MINOR + 10, "n": account})
    before = money_state(db)
    # in credit already: the credit is confirmed, so the refusal is the balance's (the
    # posting moves the balance with its journal, after the credit check)
    line = one_line_error(ebs(db_url, "pay", "--account", account, "--amount", "1.00",
                              "--allow-credit"))
    assert "accounts.balance_minor" in line and "nothing was saved" in line
    assert money_state(db) == before


def test_errors_a_user_can_cause_are_one_line(db: Database, db_url: str, scratch: Scratch,
                                              tmp_path: Path) -> None:
    cases = [
        (("account", "list", "--offset", "99999999999999999999"), CLERK_ENV, "--offset"),
        (("bill", "show", "99999999999999999999999"), MANAGER_ENV, "no bill"),
        (("bill", "show", "\u0661\u0662"), MANAGER_ENV, "no bill"),
        (("report", "revenue", "--from", "2025-01-01", "--to", "2025-12-31", "--out",
          "/nonexistent/dir/x.csv"), MANAGER_ENV, "/nonexistent/dir"),
        (("bill", "export", "--period", "2025-01", "--out", "/nonexistent/dir/x.csv"),
         MANAGER_ENV, "/nonexistent/dir"),
        (("bill-calc", "--tariff", "RES-1", "--from", "2025-01-01", "--to", "2025-01-31",
          "--kwh", "1e999999999"), MANAGER_ENV, "--kwh"),
    ]
    for args, env, expected in cases:
        assert expected in one_line_error(ebs(db_url, *args, env=env)), args
    truncated = tmp_path / "cut.sta"
    truncated.write_text(":20:STMT1\r\n:25:NL71RABO0123456789\r\n:28C:1/1\r\n"
                         ":60F:C250301USD100,00\r\n:61:2503")
    line = one_line_error(ebs(db_url, "bank", "import", str(truncated), env=OPERATOR_ENV))
    assert line.startswith("error: ")


def test_with_json_an_error_is_json(db: Database, db_url: str, scratch: Scratch) -> None:
    account = scratch.account_numbers[0]
    refused = ebs(db_url, "pay", "--account", account, "--amount", "1e30", "--json")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert json.loads(refused.stderr) == {
        "error": "Invalid value for '--amount': '1e30' is beyond the ceiling on a single "
                 "amount (999,999,999,999 minor units)", "where": "--amount",
        "field": "--amount"}
    unknown = ebs(db_url, "account", "show", "999999999", "--json")
    assert unknown.exit_code == 1
    assert json.loads(unknown.stderr) == {"error": "no account '999999999'",
                                          "where": "ebs account show"}
    offset = ebs(db_url, "account", "list", "--offset", "99999999999999999999", "--json")
    assert offset.exit_code == 2 and json.loads(offset.stderr)["where"] == "--offset"


def test_the_real_command_refuses_bytes_that_are_not_utf8(db_url: str,
                                                          scratch: Scratch) -> None:
    """Through the installed entry point: argv bytes reach Python as lone surrogates."""
    env = {**os.environ, "EBS_USER": CLERK[0], "EBS_PASSWORD": CLERK[1], "LC_ALL": "C.UTF-8"}
    script = "import sys; from ebs_desktop.cli.main import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", script, "--db", db_url, "account", "find",
                           b"\xff\xfeab"], capture_output=True, env=env, timeout=120)
    assert done.returncode == 2, done.stderr
    err = done.stderr.decode("utf-8", "replace").strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert "not valid UTF-8" in err
