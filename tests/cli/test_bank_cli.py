"""``ebs bank``: foreign-currency lines shown in their currency, assigned with a rate; a bad
file refused in one line (issue 17, points 1 and 3), on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ebs_desktop.cli.main import cli
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.database import set_local_operator
from tests.books_check import books_problems
from tests.support.counter_scratch import Scratch, seed_counter_scratch

OPERATOR: dict[str, str | None] = {"EBS_USER": None, "EBS_PASSWORD": None}  # every role


@pytest.fixture
def setup(db: Database, db_url: str) -> tuple[Scratch, str]:
    scratch = seed_counter_scratch(db, 2)  # the utility books USD
    # OPERATOR (no --user): on PostgreSQL only once an administrator allowed it (point 9)
    set_local_operator(db, system_actor("test-admin"), True)
    return scratch, db_url


def ebs(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args], env=OPERATOR, catch_exceptions=False)


def kwd_statement(path: Path, reference: str, *, amount: str = "45,500",
                  closing: str = "145,500") -> Path:
    """A KWD account's statement (three decimals) with one credit."""
    path.write_text(
        ":20:KWD1\r\n:25:KW81CBKU0000000000001234560101\r\n:28C:1/1\r\n"
        f":60F:C250301KWD100,000\r\n:61:2503020302C{amount}NTRFREF1//B1\r\n"
        f":86:Payment {reference}\r\n:62F:C250302KWD{closing}\r\n-\r\n")
    return path


def test_foreign_line_shown_in_its_currency_and_assigned_with_a_rate(
        db: Database, setup: tuple[Scratch, str], tmp_path: Path) -> None:
    scratch, url = setup
    acct = scratch.account_numbers[0]
    statement = kwd_statement(tmp_path / "kwd.sta", acct)
    imported = ebs(url, "bank", "import", str(statement))
    assert imported.exit_code == 0, imported.output
    review = ebs(url, "bank", "review")
    assert "KWD         45.500" in review.output  # was "455.00" (read as USD cents)
    assert "1 to review, 1 of them in another currency" in imported.output
    assert "in KWD, not the utility's USD" in review.output
    (line,) = json.loads(ebs(url, "bank", "review", "--json").output)
    assert (line["amount"], line["currency"], line["foreign"]) == ("45.500", "KWD", True)
    refused = ebs(url, "bank", "assign", str(line["line"]), "--account", acct)
    assert refused.exit_code != 0
    assert "give the amount received in USD and the rate" in refused.output
    assert "Traceback" not in refused.output
    done = ebs(url, "bank", "assign", str(line["line"]), "--account", acct,
               "--amount", "148.03", "--rate", "3.2535")
    assert done.exit_code == 0, done.output
    assert f"USD 148.03 on {acct}" in done.output
    assert books_problems(db) == []


def test_amount_longer_than_the_field_is_one_clear_line(
        setup: tuple[Scratch, str], tmp_path: Path) -> None:
    _, url = setup
    statement = kwd_statement(tmp_path / "long.sta", "-", amount="99999999999999999999,999")
    assert "99999999999999999999,999" in statement.read_text().splitlines()[4]
    result = ebs(url, "bank", "import", str(statement))
    assert result.exit_code != 0
    assert result.output.count("\n") == 1 and "long.sta:5" in result.output
    assert "is 24 characters long" in result.output and "Traceback" not in result.output


def test_unbalanced_statement_is_refused_with_the_way_out_then_imported_on_the_override(
        db: Database, setup: tuple[Scratch, str], tmp_path: Path) -> None:
    scratch, url = setup
    statement = kwd_statement(tmp_path / "unbalanced.sta", scratch.account_numbers[0],
                              closing="150,000")  # 100.000 + 45.500 is 145.500
    refused = ebs(url, "bank", "import", str(statement))
    assert refused.exit_code != 0 and refused.output.count("\n") == 1
    assert "unbalanced.sta:1" in refused.output and "balances do not add up" in refused.output
    assert "--accept-unbalanced" in refused.output and "Traceback" not in refused.output
    assert "0 lines to review" in ebs(url, "bank", "review").output
    done = ebs(url, "bank", "import", str(statement), "--accept-unbalanced")
    assert done.exit_code == 0, done.output
    assert "1 statement imported although their balances do not add up" in done.output
    (line,) = json.loads(ebs(url, "bank", "review", "--json").output)
    assert "the statement's balances do not add up (closing: expected KWD 145.500, stated " \
           "KWD 150.000)" in line["reason"]
    assert books_problems(db) == []


def test_import_help_names_the_override(setup: tuple[Scratch, str]) -> None:
    _, url = setup
    text = ebs(url, "bank", "import", "--help").output
    assert "--accept-unbalanced" in text and "review" in text
