"""``ebs db``: create/upgrade the schema, show what is in the database, back it up and
restore a backup into a new database, store a password, and allow or refuse the local
operator on a PostgreSQL server."""

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


def _size(n: int) -> str:
    """A file size for people (a float is fine here: it is never summed or stored)."""
    if n < 1024:
        return f"{n:,} bytes"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            break
    return f"{value:,.1f} {unit}"


@db_group.command("backup")
@click.option("--to", "to_dir", default=None, type=click.Path(file_okay=False),
              help="Folder for the backup file (default: backups/ in the data folder).")
@click.pass_obj
def backup(obj: CliContext, to_dir: str | None) -> None:
    """Back up the whole database while it is in use (administrators).

    SQLite: the online backup API; PostgreSQL: pg_dump --format=custom. The file is
    readable by this OS user only; the backup is recorded for the dashboard.
    """
    taken = obj.staff.database.backup_database(to_dir)
    click.echo(f"backup written: {taken.path} ({_size(taken.size_bytes)}; "
               f"database {_size(taken.database_bytes)})")


@db_group.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False))
@click.option("--to", "to", default=None,
              help="The NEW database to restore into: a SQLite file or a PostgreSQL URL "
                   "(default: --db). An existing non-empty database is refused.")
@click.pass_obj
def restore(obj: CliContext, backup_file: str, to: str | None) -> None:
    """Restore a backup into a new database, then check its schema and books."""
    result = obj.services(check_schema=False).database.restore_database(backup_file,
                                                                        to or obj.url)
    click.echo(f"restored into {result.target} (schema {result.schema_version})")
    if result.books_ok:
        click.echo("books check: the books balance")
        return
    for problem in result.problems:
        click.echo(f"  {problem}", err=True)
    raise click.ClickException("books check: the restored database does not balance")


commands = [db_group]
