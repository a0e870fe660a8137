"""``ebs db``: create/upgrade the schema, show what is in the database, store a password,
and allow or refuse the local operator on a PostgreSQL server."""

from __future__ import annotations

import getpass

import click

from ebs_desktop.cli.context import CliContext, echo_json
from ebs_desktop.services import database as database_service


@click.group("db")
def db_group() -> None:
    """Database schema and connection."""


@db_group.command("upgrade")
@click.pass_obj
def upgrade(obj: CliContext) -> None:
    """Create the database or upgrade it to this program's schema."""
    staff = obj.services(check_schema=False)
    db = staff.db
    before, after = staff.database.upgrade_database()
    if before == after:
        click.echo(f"{db.display_name}: schema is up to date ({after})")
    else:
        click.echo(f"{db.display_name}: schema {before or 'empty'} -> {after}")


@db_group.command("info")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def info(obj: CliContext, as_json: bool) -> None:
    """Backend, schema version and row counts."""
    info_ = obj.services(check_schema=False).database.database_info()
    current, head = info_.schema_version, info_.program_schema
    data = {"backend": info_.backend, "url": info_.url, "schema_version": current,
            "program_schema": head, "up_to_date": info_.up_to_date,
            "row_counts": info_.row_counts}
    if as_json:
        echo_json(data)
        return
    click.echo(f"backend:        {info_.backend}")
    click.echo(f"database:       {info_.url}")
    click.echo(f"schema version: {current or '(empty)'}"
               + ("" if current == head else f"  (this program: {head})"))
    for name, count in sorted(info_.row_counts.items()):
        click.echo(f"  {name:<24} {count:>12,}")


@db_group.command("password")
@click.option("--url", "url", default=None, help="PostgreSQL URL (default: --db).")
@click.pass_obj
def password(obj: CliContext, url: str | None) -> None:
    """Store the PostgreSQL password for a server in the OS keyring."""
    target = url or obj.url
    if not target.startswith("postgresql"):
        raise click.UsageError("a PostgreSQL URL is needed (--url or --db)")
    secret = getpass.getpass(f"Password for {database_service.server_password_entry(target)}: ")
    database_service.store_server_password(target, secret)
    click.echo("password stored in the OS keyring")


@db_group.command("local-operator")
@click.argument("state", type=click.Choice(["on", "off", "status"]), default="status")
@click.pass_obj
def local_operator(obj: CliContext, state: str) -> None:
    """On PostgreSQL: allow commands without --user (on), require --user again (off).

    Administrators only, audited. Without --user a command then acts as
    cli:<os user> with every role; SQLite files always allow it.
    """
    db = obj.database()
    if state == "status":
        allowed = database_service.local_operator_allowed(db)
        click.echo(f"{db.display_name}: commands without --user are "
                   f"{'allowed' if allowed else 'refused (use --user)'}")
        return
    before = obj.staff.database.set_local_operator(state == "on")
    note = "" if db.backend != "sqlite" else " (a SQLite file allows it whatever this says)"
    click.echo(f"local operator {'on' if state == 'on' else 'off'} "
               f"(was {'on' if before else 'off'}){note}")


commands = [db_group]
