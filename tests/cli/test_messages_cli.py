"""Issue 19, point 5: what the command line says when something is wrong or absent.

"no account found" is a failure (exit 1); an account number with a wrong check digit says
so; a message does not repeat its option ("--to: --to ..."); with ``--json`` an error about
an option names it as ``field``; counted words read right ("1 bill, 2 pages")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ebs_desktop.cli.main import cli
from ebs_desktop.cli.text import count
from ebs_desktop.domain.account_number import make_account_number
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.demo import build_demo

OPERATOR = {"EBS_USER": None, "EBS_PASSWORD": None}


@pytest.fixture
def demo_url(sqlite_db: Database) -> str:
    build_demo(sqlite_db, customers=8, months=3, until="2026-04")
    return sqlite_db.url_text


def ebs(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args], env=OPERATOR)


def _wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def test_account_find_without_a_match_exits_non_zero(demo_url: str) -> None:
    result = ebs(demo_url, "account", "find", "zzzz-nobody")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: no account found for 'zzzz-nobody'"
    result = ebs(demo_url, "account", "find", "zzzz-nobody", "--json")
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(result.stderr)["error"] == "no account found for 'zzzz-nobody'"
    assert ebs(demo_url, "account", "find", make_account_number(10000001)).exit_code == 0


def test_a_wrong_check_digit_is_named(demo_url: str) -> None:
    typo = _wrong_check_digit(make_account_number(10000001))
    for args in (("account", "show", typo), ("account", "find", typo)):
        result = ebs(demo_url, *args)
        assert result.exit_code == 1
        assert f"{typo} is not a valid account number: its check digit" in result.stderr
        assert f"({make_account_number(10000001)} would)" in result.stderr
    result = ebs(demo_url, "account", "show", "1234")
    assert "an account number has 9 digits, 1234 has 4" in result.stderr


def test_a_message_does_not_repeat_its_option(demo_url: str, tmp_path: Path) -> None:
    result = ebs(demo_url, "report", "revenue", "--from", "2026-02-01", "--to", "2026-01-31",
                 "--out", str(tmp_path / "r.csv"))
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: --to 2026-01-31 is before --from 2026-02-01"
    result = ebs(demo_url, "bill", "export", "--period", "2026-5", "--out",
                 str(tmp_path / "b.csv"))
    assert result.stderr.strip() == "error: --period: expected YYYY-MM, got '2026-5'"


def test_json_errors_name_the_field(demo_url: str, tmp_path: Path) -> None:
    result = ebs(demo_url, "pay", "--account", make_account_number(10000001), "--amount", "-5",
                 "--tender", "cash", "--json")
    error = json.loads(result.stderr)
    assert result.exit_code == 2
    assert error["field"] == "--amount" and error["where"] == "--amount"
    assert "must not be negative" in error["error"]
    result = ebs(demo_url, "bill-run", "--period", "2026-13", "--dry-run", "--json")
    error = json.loads(result.stderr)
    assert result.exit_code == 1
    assert error == {"error": "expected YYYY-MM, got '2026-13'", "where": "--period",
                     "field": "--period"}
    # Not about a field: no "field" key.
    result = ebs(demo_url, "account", "show", "zzz", "--json")
    assert "field" not in json.loads(result.stderr)


def test_counted_words_read_right() -> None:
    assert count(1, "bill") == "1 bill"
    assert count(0, "bill") == "0 bills"
    assert count(2000, "page") == "2,000 pages"
    assert count(1, "entry") == "1 entry" and count(3, "entry") == "3 entries"
    assert count(2, "new statement") == "2 new statements"
