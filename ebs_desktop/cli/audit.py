"""``ebs audit``: verify the hash chain, anchor its head outside the database, resume it.

See :mod:`ebs_desktop.services.audit` for what each proves and what it cannot.
"""

from __future__ import annotations

import click

from ebs_desktop.cli.context import CliContext, echo_json
from ebs_desktop.cli.text import count


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit log."""


@audit_group.command("verify")
@click.option("--anchor", "anchor_text", default=None, metavar="N:HASH",
              help="Also prove that the first N entries are those of this anchor "
                   "(printed by 'ebs audit anchor').")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def verify(obj: CliContext, anchor_text: str | None, as_json: bool) -> None:
    """Verify the chain; exit 1 and name the first bad entry if it is broken."""
    from ebs_desktop.services.audit import parse_anchor

    anchor = None if anchor_text is None else parse_anchor(anchor_text)
    result = obj.staff.audit.verify(anchor=anchor)
    if as_json:
        echo_json({"ok": result.ok, "entries": result.entries, "head_hash": result.head_hash,
                   "problem": result.problem, "bad_entry_id": result.bad_entry_id,
                   "anchor": None if anchor is None else anchor.text,
                   "anchor_entry": result.anchor_entry,
                   "resumed_at": list(result.resumed_at)})
    elif result.ok:
        click.echo(f"audit chain intact: {count(result.entries, 'entry')}, head {result.head_hash}")
        if anchor is not None:
            click.echo(f"anchor {anchor.text} holds: entries 1 to {result.anchor_entry} are "
                       "unchanged")
        for entry in result.resumed_at:
            click.echo(f"note: recording was resumed after a break at entry {entry} "
                       "(see that entry)")
    else:
        click.echo(f"AUDIT CHAIN BROKEN: {result.problem}", err=True)
    if not result.ok:
        raise SystemExit(1)


@audit_group.command("anchor")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def anchor(obj: CliContext, as_json: bool) -> None:
    """Verify the chain and print its head (N:HASH) to keep outside the database.

    File it on paper or send it out of the building; 'ebs audit verify --anchor N:HASH'
    later proves that nothing up to it was rewritten or removed. Recorded in the log.
    """
    result = obj.staff.audit.anchor()
    if as_json:
        echo_json({"entries": result.entries, "hash": result.hash, "anchor": result.text})
        return
    click.echo(f"audit anchor: {result.text}")
    click.echo(f"  {count(result.entries or 0, 'entry')}; keep this line outside the database "
               "and check it later with 'ebs audit verify --anchor'")


@audit_group.command("resume")
@click.option("--reason", required=True, help="Why (e.g. the incident report number).")
@click.pass_obj
def resume(obj: CliContext, reason: str) -> None:
    """After the head was broken: continue the chain after the last surviving entry.

    Business actions are refused while the head is broken. The new 'audit.resume' entry
    records what was found and why; 'ebs audit verify' keeps mentioning it, and an
    anchor taken before the break still proves what was lost.
    """
    result = obj.staff.audit.resume(reason)
    click.echo(f"audit chain resumed at entry {result.entries}: head {result.text}")


commands = [audit_group]
