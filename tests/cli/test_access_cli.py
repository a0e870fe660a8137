"""Who may run what from the command line (issue 17, points 8 and 9), on both backends.

- ``--user X`` with a wrong password stops every command, before it does anything.
- Commands that once ran unchecked (bill-calc, tariff list/export, receipt show/print,
  audit verify, db info/upgrade) refuse a user whose roles do not allow them.
- Without ``--user``: a SQLite file acts as the local operator; a PostgreSQL server
  refuses unless it has no users yet or an administrator turned the local operator on.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select, text

from ebs_desktop.cli.main import cli
from ebs_desktop.domain.permissions import PERMISSION_WORDS
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import AuditEntry, Base
from ebs_desktop.services import auth, users
from ebs_desktop.services.actor import system_actor

REPO = Path(__file__).resolve().parents[2]
RES1 = REPO / "resources" / "tariffs" / "res-1.toml"
SETUP = system_actor("test-setup")
ROOT = {"EBS_USER": "root", "EBS_PASSWORD": "root-password"}
NO_USER: dict[str, str | None] = {"EBS_USER": None, "EBS_PASSWORD": None}


def ebs(url: str, *args: str, env: dict[str, str | None]) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args], env=env)


def _leaf_commands() -> list[tuple[str, ...]]:
    ctx = click.Context(cli)
    out: list[tuple[str, ...]] = []

    def walk(group: click.Group, path: tuple[str, ...]) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if isinstance(command, click.Group):
                walk(command, (*path, name))
            elif command is not None:
                out.append((*path, name))

    walk(cli, ())
    return out


def _rows(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {t.name: int(s.scalar(select(func.count()).select_from(t)) or 0)
                for t in Base.metadata.sorted_tables}


def test_a_wrong_password_stops_every_command(db: Database, db_url: str) -> None:
    users.add_user(db, SETUP, "root", "Root", "root-password", ["admin"])
    commands = _leaf_commands()
    assert len(commands) > 40 and ("readings", "inspect") in commands
    before = _rows(db)
    for path in commands:
        done = ebs(db_url, *path, env={"EBS_USER": "root", "EBS_PASSWORD": "not-it"})
        assert (done.exit_code, done.stderr) == (3, f"error: {auth.REFUSED}\n"), path
    after = _rows(db)
    # nothing happened but the audited failures: one each, and the lock after five
    with db.read() as s:
        actions = s.execute(text("SELECT action, COUNT(*) FROM audit_log WHERE id > 1 "
                                 "GROUP BY action")).all()
    assert dict(actions) == {"user.login_failed": len(commands), "user.locked": 1}
    assert after.pop("audit_log") - before.pop("audit_log") == len(commands) + 1
    assert after == before


def test_help_needs_no_password(db_url: str) -> None:
    for args in (("pay", "--help"), ("db",), ("audit", "verify", "--help")):
        done = CliRunner().invoke(cli, ["--db", db_url, "--user", "root", *args],
                                  env={"EBS_PASSWORD": None}, input="")
        assert "Usage:" in done.output and "Password" not in done.output, args
        assert done.exit_code in (0, 2) and "wrong username" not in done.output, args


@pytest.mark.parametrize(("args", "permission"), [
    (("bill-calc", "--tariff", str(RES1), "--from", "2024-03-01", "--to", "2024-03-31",
      "--kwh", "350"), "bill.calc"),
    (("tariff", "list"), "tariff.view"),
    (("tariff", "export", "RES-1"), "tariff.view"),
    (("receipt", "show", "C01-2026-000001"), "receipt.print"),
    (("receipt", "print"), "receipt.print"),
    (("audit", "verify"), "audit.verify"),
    (("audit", "anchor"), "audit.view"),
    (("db", "info"), "db.manage"),
    (("db", "upgrade"), "db.manage"),
    (("db", "local-operator", "on"), "db.manage"),
])
def test_unchecked_commands_now_check(db: Database, db_url: str, args: tuple[str, ...],
                                      permission: str) -> None:
    users.add_user(db, SETUP, "rita", "Rita Reader", "reader-password", ["reader"])
    done = ebs(db_url, *args, env={"EBS_USER": "rita", "EBS_PASSWORD": "reader-password"})
    assert done.exit_code == 3, done.output
    words = PERMISSION_WORDS[permission]
    assert done.stderr == f"error: rita (Meter reader) may not {words} ({permission})\n"


def test_without_user_a_sqlite_file_acts_and_a_server_asks(db: Database, db_url: str) -> None:
    on_server = db.backend == "postgresql"
    # no users yet: anybody may set the database up, on either backend
    first = ebs(db_url, "user", "add", "root", "--role", "admin",
                env={**NO_USER, "EBS_NEW_PASSWORD": "root-password"})
    assert first.exit_code == 0, first.output
    listed = ebs(db_url, "user", "list", env=NO_USER)
    if on_server:
        assert listed.exit_code == 3
        assert listed.stderr.startswith("error: on a PostgreSQL server every command needs "
                                        "--user NAME")
    else:
        assert listed.exit_code == 0 and "root" in listed.stdout
    # an administrator allows the local operator (audited), and can take it back
    users.add_user(db, SETUP, "carl", "Carl", "clerk-password", ["clerk"])
    refused = ebs(db_url, "db", "local-operator", "on",
                  env={"EBS_USER": "carl", "EBS_PASSWORD": "clerk-password"})
    assert refused.exit_code == 3 and "(db.manage)" in refused.stderr
    assert ebs(db_url, "db", "local-operator", "on", env=ROOT).exit_code == 0
    status = ebs(db_url, "db", "local-operator", env=NO_USER)
    assert "commands without --user are allowed" in status.stdout
    listed = ebs(db_url, "user", "list", env=NO_USER)
    assert listed.exit_code == 0 and "carl" in listed.stdout
    assert ebs(db_url, "db", "local-operator", "off", env=ROOT).exit_code == 0
    listed = ebs(db_url, "user", "list", env=NO_USER)
    assert listed.exit_code == (3 if on_server else 0)
    with db.read() as s:
        changes = s.execute(select(AuditEntry.actor, AuditEntry.after)
                            .where(AuditEntry.action == "settings.local_operator")
                            .order_by(AuditEntry.id)).all()
        who = s.execute(text("SELECT actor FROM audit_log WHERE action = 'user.add' "
                             "ORDER BY id")).scalars().first()
    assert [tuple(c) for c in changes] == [("root", '{"on":true}'), ("root", '{"on":false}')]
    assert who is not None and who.startswith("cli:")  # the local operator is named
