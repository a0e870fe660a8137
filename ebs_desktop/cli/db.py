"""``ebs db``: create/upgrade the schema, show what is in the database, store a password."""

from __future__ import annotations

import getpass

import click
from sqlalchemy import func, select

from ebs_desktop.cli.context import CliContext, echo_json
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.models import Base


@click.group("db")
def db_group() -> None:
    """Database schema and connection."""


@db_group.command("upgrade")
@click.pass_obj
def upgrade(obj: CliContext) -> None:
    """Create the database or upgrade it to this program's schema."""
    db = obj.database(check_schema=False)
    before = migrate.current_revision(db)
    migrate.upgrade(db)
    after = migrate.current_revision(db)
    if before == after:
        click.echo(f"{db.display_name}: schema is up to date ({after})")
    else:
        click.echo(f"{db.display_name}: schema {before or 'empty'} -> {after}")


@db_group.command("info")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def info(obj: CliContext, as_json: bool) -> None:
    """Backend, schema version and row counts."""
    db = obj.database(check_schema=False)
    current = migrate.current_revision(db)
    head = migrate.head_revision()
    counts: dict[str, int] = {}
    if current is not None:
        with db.read() as session:
            for table in Base.metadata.sorted_tables:
                counts[table.name] = int(
                    session.scalar(select(func.count()).select_from(table)) or 0)
    data = {"backend": db.backend, "url": db.display_name, "schema_version": current,
            "program_schema": head, "up_to_date": current == head, "row_counts": counts}
    if as_json:
        echo_json(data)
        return
    click.echo(f"backend:        {db.backend}")
    click.echo(f"database:       {db.display_name}")
    click.echo(f"schema version: {current or '(empty)'}"
               + ("" if current == head else f"  (this program: {head})"))
    for name, count in sorted(counts.items()):
        click.echo(f"  {name:<24} {count:>12,}")


@db_group.command("password")
@click.option("--url", "url", default=None, help="PostgreSQL URL (default: --db).")
@click.pass_obj
def password(obj: CliContext, url: str | None) -> None:
    """Store the PostgreSQL password for a server in the OS keyring."""
    from sqlalchemy.engine import make_url

    from ebs_desktop.persistence.secrets import keyring_entry, store_password

    target = url or obj.url
    if not target.startswith("postgresql"):
        raise click.UsageError("a PostgreSQL URL is needed (--url or --db)")
    secret = getpass.getpass(f"Password for {keyring_entry(make_url(target))}: ")
    store_password(target, secret)
    click.echo("password stored in the OS keyring")


commands = [db_group]
