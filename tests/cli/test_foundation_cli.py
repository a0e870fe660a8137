"""The `ebs` command line over a real database: db, user, account, audit, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from ebs_desktop.cli.main import cli
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.demo import build_demo


def run(url: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", url, *args], env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_db_upgrade_and_info_on_a_new_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    code, out, _ = run(url, "db", "upgrade")
    assert code == 0 and "schema empty -> " in out
    code, out, _ = run(url, "db", "upgrade")
    assert code == 0 and "up to date" in out
    code, out, _ = run(url, "db", "info", "--json")
    info = json.loads(out)
    assert info["backend"] == "sqlite" and info["up_to_date"] is True
    assert info["row_counts"]["accounts"] == 0


def test_commands_refuse_a_database_without_schema(tmp_path: Path) -> None:
    code, _, err = run(f"sqlite:///{tmp_path / 'empty.sqlite3'}", "account", "list")
    assert code == 1
    assert err.strip() == (f"error: sqlite:///{tmp_path / 'empty.sqlite3'} has no EBS "
                           "Desktop schema yet; run 'ebs db upgrade'")


def test_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "ebs_desktop.cli.main", "--db",
                           "mysql://x@y/z", "db", "info"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: unsupported")
    assert "Traceback" not in proc.stderr


def test_users_and_accounts_json(db: Database, db_url: str) -> None:
    build_demo(db, customers=12, months=3, until="2026-06", seed=7)
    admin = {"EBS_USER": "admin", "EBS_PASSWORD": "admin-demo"}  # PostgreSQL needs --user
    env = {**admin, "EBS_NEW_PASSWORD": "another-pass"}
    code, out, _ = run(db_url, "user", "add", "nina", "--name", "Nina", "--role", "clerk",
                       env=env)
    assert code == 0, out
    code, out, _ = run(db_url, "user", "list", "--json", env=admin)
    names = {u["username"]: u for u in json.loads(out)}
    assert names["nina"]["roles"] == ["clerk"] and names["admin"]["roles"] == ["admin"]

    code, out, _ = run(db_url, "account", "list", "--limit", "5", "--json", env=admin)
    rows = json.loads(out)
    assert code == 0 and len(rows) == 5
    number = rows[0]["account_number"]
    code, out, _ = run(db_url, "account", "show", number, "--json", env=admin)
    shown = json.loads(out)
    assert shown["account_number"] == number
    with db.read() as s:
        from sqlalchemy import text

        expected = s.execute(text(
            "SELECT COALESCE(SUM(e.amount_minor), 0) FROM ledger_entries e "
            "JOIN accounts a ON a.id = e.account_id WHERE a.account_number = :n"),
            {"n": number}).scalar_one()
    from ebs_desktop.domain.money import Money

    assert shown["balance"] == str(Money(int(expected), "USD"))
    code, out, _ = run(db_url, "audit", "verify", "--json", env=admin)
    assert code == 0 and json.loads(out)["ok"] is True


def test_signing_in_as_a_user_applies_their_roles(db: Database, db_url: str) -> None:
    build_demo(db, customers=3, months=2, until="2026-06", seed=1)
    env = {"EBS_PASSWORD": "clerk-demo"}
    code, _, err = run(db_url, "--user", "clerk", "user", "list", env=env)
    assert code == 3 and "(user.manage)" in err
    code, _, err = run(db_url, "--user", "clerk", "account", "list",
                       env={"EBS_PASSWORD": "wrong-password"})
    assert code == 3 and "wrong username or password" in err


def test_area_table_names_every_top_level_command() -> None:
    """Areas load on demand by the names in AREA_MODULES: a command missing there would
    be found by ``ebs --help`` but not by ``ebs COMMAND``."""
    import importlib

    from ebs_desktop.cli.main import AREA_MODULES

    for area, names in AREA_MODULES.items():
        module = importlib.import_module(f"ebs_desktop.cli.{area}")
        own = tuple(c.name for c in module.commands)
        assert names[:len(own)] == own, area
        # After its own: the groups of other areas it adds a subcommand to (bill pdf).
        for extra in names[len(own):]:
            assert any(extra in others for other, others in AREA_MODULES.items()
                       if other != area), (area, extra)
    for name in (n for names in AREA_MODULES.values() for n in names):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)


def test_a_fresh_process_imports_no_area_it_does_not_run() -> None:
    code = ("import sys; from ebs_desktop.cli.main import main; "
            "sys.argv = ['ebs', 'readings', '--help']\n"
            "try: main(sys.argv[1:])\n"
            "except SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('ebs_desktop.cli.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()[-1]
    assert "ebs_desktop.cli.readings" in out
    assert "ebs_desktop.cli.billing" not in out and "ebs_desktop.cli.reports" not in out
