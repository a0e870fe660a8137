"""Issue 19, point 3: the ``ebs`` command starts fast because it imports only what the
command needs.

Timing in a test would fail on a busy machine and pass on a slow change; what makes the
start slow is what gets imported, and that is exact. So these tests run the real ``ebs``
script in a fresh process, read its ``sys.modules`` when it exits, and hold the budget:
``ebs --help`` and ``ebs --version`` import no area of the command line and no database
library; ``ebs account show`` imports no printing (python-escpos, Pillow), no migrations
machinery (Alembic), no PDF or spreadsheet writer. The figures are in
docs/performance.md (``python -m tools.bench cli``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ebs_desktop.cli.main import AREA_MODULES, COMMAND_HELP, _load_areas, cli
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.demo import build_demo

EBS = Path(sys.executable).parent / "ebs"
OPERATOR = {"EBS_USER": "", "EBS_PASSWORD": ""}

# Libraries that only some commands need: printing a receipt, migrating, writing a PDF or
# a spreadsheet, reading a bank statement or a serial port, formatting by locale, Qt.
HEAVY = ("escpos", "PIL", "alembic", "reportlab", "openpyxl", "pypdf", "mt940", "lxml",
         "serial", "usb", "babel", "PySide6", "argon2", "keyring", "psycopg")


# Runs the ebs script as its shebang would, and writes the names in sys.modules at exit.
# (Not ``python -X importtime``: it does not list what importlib.import_module imports,
# which is how the command line loads its areas.)
_RUN_EBS = """
import atexit, os, runpy, sys
sys.argv = sys.argv[1:]  # [ebs, *args]
out = os.environ["EBS_TEST_MODULE_LIST"]
atexit.register(lambda: open(out, "w").write("\\n".join(sorted(sys.modules))))
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def imported_by(*args: str, tmp: Path
                ) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run the ``ebs`` script with ARGS in a fresh process; its result and every module
    it imported."""
    listing = tmp / "modules.txt"
    listing.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-c", _RUN_EBS, str(EBS), *args],
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, **OPERATOR, "EBS_TEST_MODULE_LIST": str(listing)})
    modules = set(listing.read_text(encoding="utf-8").split())
    assert "click" in modules and "ebs_desktop.cli.main" in modules, done.stderr
    return done, modules


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def areas_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.startswith("ebs_desktop.cli.")
                  and m.removeprefix("ebs_desktop.cli.") in AREA_MODULES)


def output(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout + done.stderr


def test_the_help_table_is_the_commands_own_help() -> None:
    """``ebs --help`` lists COMMAND_HELP without importing the areas: it must name every
    top-level command, and nothing else, with the first sentence of its own help."""
    _load_areas(AREA_MODULES)
    real = {name: command.get_short_help_str(limit=10_000)
            for name, command in cli.commands.items() if not command.hidden}
    assert real == COMMAND_HELP
    assert sorted(name for names in AREA_MODULES.values() for name in names
                  ) == sorted([*real, "bill"])  # 'bill' is in billing and in reports


def test_ebs_help_imports_no_area_and_lists_every_command(tmp_path: Path) -> None:
    done, modules = imported_by("--help", tmp=tmp_path)
    assert done.returncode == 0, output(done)
    assert areas_in(modules) == [] and heavy_in(modules) == []
    assert not any(m.startswith(("sqlalchemy", "ebs_desktop.persistence",
                                 "ebs_desktop.services")) for m in modules)
    text = " ".join(output(done).split())
    for name, help_text in COMMAND_HELP.items():
        assert f" {name} {help_text}" in text, name
    assert "..." not in text.split("Commands:")[1]


def test_ebs_version_imports_nothing_of_the_core(tmp_path: Path) -> None:
    done, modules = imported_by("--version", tmp=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("ebs, version ")
    assert areas_in(modules) == [] and heavy_in(modules) == []
    assert not any(m.startswith("sqlalchemy") for m in modules)


def test_a_group_help_imports_its_area_only(tmp_path: Path) -> None:
    done, modules = imported_by("account", "--help", tmp=tmp_path)
    assert done.returncode == 0 and "show" in done.stdout
    assert areas_in(modules) == ["ebs_desktop.cli.accounts"]
    assert heavy_in(modules) == []


@pytest.mark.parametrize("name", sorted(set(COMMAND_HELP) - {"db"}))
def test_each_command_help_imports_no_heavy_library(name: str, tmp_path: Path) -> None:
    """``ebs NAME --help`` (each in a fresh process) loads its area, not the database
    library nor any printing, PDF or migrations machinery. (``ebs db`` is the database's
    own area: it imports the database library for its commands.)"""
    done, modules = imported_by(name, "--help", tmp=tmp_path)
    assert done.returncode == 0 and "Usage: ebs" in done.stdout, output(done)
    assert heavy_in(modules) == []
    assert [m for m in modules if m.startswith("sqlalchemy")] == []


def test_the_report_names_are_the_registrys() -> None:
    from ebs_desktop.cli.reports import REPORT_NAMES
    from ebs_desktop.services.reports import REPORTS

    assert tuple(sorted(REPORTS)) == REPORT_NAMES


@pytest.fixture
def demo_url(sqlite_db: Database) -> str:
    build_demo(sqlite_db, customers=8, months=3, until="2026-04")
    return sqlite_db.url_text


def test_account_show_imports_no_printing_migrations_or_documents(demo_url: str,
                                                                 tmp_path: Path) -> None:
    from ebs_desktop.domain.account_number import make_account_number

    number = make_account_number(10000001)
    done, modules = imported_by("--db", demo_url, "account", "show", number, "--json",
                                 tmp=tmp_path)
    assert done.returncode == 0, output(done)
    assert f'"account_number": "{number}"' in done.stdout
    assert heavy_in(modules) == []
    # the payment code parser (account search takes a scanned bill code) is all of
    # reports/ it needs
    assert [m for m in modules if m.startswith((
        "ebs_desktop.reports.", "ebs_desktop.devices.printers.",
        "ebs_desktop.services.counter.printing"))] == ["ebs_desktop.reports.payment_code"]
    assert areas_in(modules) == ["ebs_desktop.cli.accounts"]


def test_the_schema_is_still_checked_without_alembic(demo_url: str, tmp_path: Path) -> None:
    """The cheap check refuses an old schema as the Alembic one did (and says what to do)."""
    from ebs_desktop.persistence.engine import open_database

    db = open_database(demo_url)
    try:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0006'")
    finally:
        db.dispose()
    from ebs_desktop.domain.account_number import make_account_number

    done, modules = imported_by("--db", demo_url, "account", "show",
                                make_account_number(10000001), tmp=tmp_path)
    assert done.returncode == 1
    assert "is older than this program's" in output(done)
    assert "run 'ebs db upgrade'" in output(done)
    assert heavy_in(modules) == []



def test_bank_review_imports_no_statement_parser(demo_url: str, tmp_path: Path) -> None:
    """The review list reads stored lines: no MT940 or camt.053 parser (mt940, lxml)."""
    done, modules = imported_by("--db", demo_url, "bank", "review", tmp=tmp_path)
    assert done.returncode == 0, output(done)
    assert done.stdout.splitlines()[-1] == "0 lines to review"
    assert [m for m in modules if m.split(".")[0] in ("mt940", "lxml", "reportlab",
                                                      "escpos", "alembic")] == []
