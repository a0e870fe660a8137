"""Issue 19, points 4 and 5, through the real ``ebs`` script (each command a fresh process,
so nothing an earlier test imported can hide a command the lazy loader misses).

Point 4: ``ebs bill pdf --bill NUMBER --out F.pdf`` prints that one bill. Point 5: with
``--json`` an error is one JSON object on standard error with ``error`` (and ``field`` when
an option is at fault); "no account found" exits non-zero; a wrong check digit is named;
no message repeats its option; counted words read right.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from ebs_desktop.domain.account_number import make_account_number
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.bill_documents import bill_documents
from ebs_desktop.services.demo import build_demo

EBS = Path(sys.executable).parent / "ebs"
FIRST = make_account_number(10000001)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("entry") / "demo.sqlite3"
    url = f"sqlite:///{path}"
    assert ebs(url, "db", "upgrade").returncode == 0
    db = open_database(url)
    try:
        build_demo(db, customers=12, months=3, until="2026-04")
    finally:
        db.dispose()
    return url


def ebs(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EBS), "--db", url, *args], capture_output=True, text=True,
                          timeout=120, check=False,
                          env={**os.environ, "EBS_USER": "", "EBS_PASSWORD": ""})


def json_error(done: subprocess.CompletedProcess[str]) -> dict[str, str]:
    assert done.stdout == "", done.stdout  # results only on standard output
    data = json.loads(done.stderr)
    assert isinstance(data, dict) and isinstance(data["error"], str)
    return data


def test_no_account_found_exits_non_zero(demo_url: str) -> None:
    done = ebs(demo_url, "account", "find", "zzzz-nobody")
    assert done.returncode == 1
    assert done.stderr == "error: no account found for 'zzzz-nobody'\n"
    done = ebs(demo_url, "account", "find", "zzzz-nobody", "--json")
    assert done.returncode == 1
    assert json_error(done)["error"] == "no account found for 'zzzz-nobody'"
    assert ebs(demo_url, "account", "find", FIRST).returncode == 0


def test_a_wrong_check_digit_says_so(demo_url: str) -> None:
    typo = FIRST[:-1] + str((int(FIRST[-1]) + 1) % 10)
    for command in ("show", "find"):
        done = ebs(demo_url, "account", command, typo)
        assert done.returncode == 1
        assert f"{typo} is not a valid account number: its check digit" in done.stderr
        assert f"({FIRST} would)" in done.stderr
        error = json_error(ebs(demo_url, "account", command, typo, "--json"))
        assert "check digit" in error["error"]


def test_json_errors_carry_error_and_field(demo_url: str) -> None:
    done = ebs(demo_url, "pay", "--account", FIRST, "--amount", "-5", "--tender", "cash",
               "--json")
    assert done.returncode == 2
    error = json_error(done)
    assert error["field"] == "--amount" and "must not be negative" in error["error"]
    done = ebs(demo_url, "bill-run", "--period", "2026-13", "--dry-run", "--json")
    assert done.returncode == 1
    assert json_error(done) == {"error": "expected YYYY-MM, got '2026-13'", "where": "--period",
                                "field": "--period"}
    done = ebs(demo_url, "bill-run", "--json")  # a missing option is a usage error
    assert done.returncode == 2
    error = json_error(done)
    assert error["field"] == "--period" and "--period" in error["error"]


def test_messages_do_not_repeat_their_option(demo_url: str, tmp_path: Path) -> None:
    done = ebs(demo_url, "report", "revenue", "--from", "2026-02-01", "--to", "2026-01-31",
               "--out", str(tmp_path / "r.csv"))
    assert done.returncode == 1
    assert done.stderr == "error: --to 2026-01-31 is before --from 2026-02-01\n"
    done = ebs(demo_url, "bill", "export", "--period", "2026-5", "--out",
               str(tmp_path / "b.csv"))
    assert done.returncode == 1
    assert done.stderr == "error: --period: expected YYYY-MM, got '2026-5'\n"
    done = ebs(demo_url, "pay", "--account", FIRST, "--amount", "-5", "--tender", "cash")
    assert done.returncode == 2 and done.stderr.count("--amount") == 1, done.stderr


def test_bill_pdf_of_one_bill_through_the_ebs_script(demo_url: str, tmp_path: Path) -> None:
    db: Database = open_database(demo_url)
    try:
        one = bill_documents(db, system_actor("t"), "2026-03")[0]
    finally:
        db.dispose()
    out = tmp_path / "one.pdf"
    done = ebs(demo_url, "bill", "pdf", "--bill", one.bill_number, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"1 bill, 1 page written to {out} in "), done.stdout
    pages = PdfReader(out).pages
    assert len(pages) == 1
    text = pages[0].extract_text()
    assert one.bill_number in text and one.account_number in text
    done = ebs(demo_url, "bill", "pdf", "--bill", "B1999-x", "--out", str(tmp_path / "x.pdf"))
    assert done.returncode == 1 and "no bill 'B1999-x'" in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_message_naming_its_options_gets_no_prefix(demo_url: str, tmp_path: Path) -> None:
    """``--period/--bill: give --period ... or --bill ...`` said the options twice."""
    out = str(tmp_path / "x.pdf")
    assert ebs(demo_url, "bill", "pdf", "--out", out).stderr == (
        "error: give --period YYYY-MM (all its bills) or --bill NUMBER (one bill)\n")
    assert ebs(demo_url, "bill", "pdf", "--period", "2026-03").stderr == (
        "error: give exactly one of --out FILE.pdf or --split DIR\n")
    done = ebs(demo_url, "pay", "--account", FIRST, "--amount", "5", "--tender", "cash")
    assert done.returncode != 0
    assert done.stderr.startswith("error: a counter payment goes into the clerk's own shift")
    assert done.stderr.count("--user") == 1
    # an option the message does not name keeps its prefix
    assert ebs(demo_url, "report", "revenue", "--from", "2026-01-01", "--to", "2026-01-31",
               "--out", str(tmp_path / "r.txt")).stderr == (
        "error: --out: r.txt: use a .pdf, .csv or .xlsx file name\n")


def test_counted_words_read_right_in_listings(demo_url: str) -> None:
    done = ebs(demo_url, "tariff", "list")
    assert done.returncode == 0 and "(s)" not in done.stdout
    counts = {line.split()[0]: line.rsplit(None, 2)[-2:] for line in done.stdout.splitlines()}
    assert all(word == ("version" if n == "1" else "versions") for n, word in counts.values())
    assert "1" in {n for n, _ in counts.values()}
    done = ebs(demo_url, "bank", "review")
    assert done.returncode == 0 and done.stdout.splitlines()[-1] == "0 lines to review"
