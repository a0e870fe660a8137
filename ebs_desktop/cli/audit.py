"""``ebs audit verify``: check the whole hash chain of the audit log."""

from __future__ import annotations

import click

from ebs_desktop.cli.context import CliContext, echo_json
from ebs_desktop.services import audit


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit log."""


@audit_group.command("verify")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def verify(obj: CliContext, as_json: bool) -> None:
    """Verify the chain; exit 1 and name the first bad entry if it is broken."""
    result = audit.verify(obj.database())
    if as_json:
        echo_json({"ok": result.ok, "entries": result.entries, "head_hash": result.head_hash,
                   "problem": result.problem, "bad_entry_id": result.bad_entry_id})
    elif result.ok:
        click.echo(f"audit chain intact: {result.entries} entries, head {result.head_hash}")
    else:
        click.echo(f"AUDIT CHAIN BROKEN: {result.problem}", err=True)
    if not result.ok:
        raise SystemExit(1)


commands = [audit_group]
