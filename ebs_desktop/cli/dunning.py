"""``ebs dunning``: the collection path (issue 20, point 9).

``ebs dunning run [--dry-run] [--as-of D] [--json]`` plans (and unless ``--dry-run``
carries out) reminders, overdue and final notices, disconnection and reconnection orders;
holds, arrangements, the crews' order lists (PDF and CSV) and the rules (``settings``).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from ebs_desktop.cli.context import CliContext, echo_json
from ebs_desktop.errors import ValidationError

_DAY = click.DateTime(["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return None if value is None else value.date()


@click.group("dunning")
def dunning_group() -> None:
    """Collections: reminders, notices, holds, arrangements, disconnection orders."""


@dunning_group.command("run")
@click.option("--dry-run", is_flag=True, help="Show what a run would do; change nothing.")
@click.option("--as-of", "as_of", type=_DAY, default=None,
              help="The day the run acts as (YYYY-MM-DD; default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.pass_obj
def run(obj: CliContext, dry_run: bool, as_of: datetime | None, as_json: bool) -> None:
    """Take every account one step along its collection path (idempotent per day)."""
    result = obj.staff.dunning.run(_day(as_of), dry_run)
    if as_json:
        echo_json(result.as_json())
        return
    for step in result.steps:
        held = f"  HELD ({step.held_by})" if step.held_by else ""
        extra = f" disconnect on {step.disconnect_on}" if step.disconnect_on else ""
        click.echo(f"{step.action:<22} {step.account_number}  {step.bill_number or '-':<16}"
                   f" arrears {step.arrears}{extra}{held}")
    counts = ", ".join(f"{k} {v}" for k, v in result.counts().items()) or "nothing to do"
    verb = "would do" if dry_run else "done"
    click.echo(f"{result.as_of}: {verb}: {counts}")
    if not dry_run:
        click.echo(f"notices queued {result.notices}, orders {len(result.orders)}, "
                   f"fees {result.fees}")


@dunning_group.command("settings")
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.pass_obj
def settings_cmd(obj: CliContext, key: str | None, value: str | None) -> None:
    """List the dunning rules, show one (KEY) or set one (KEY VALUE)."""
    if key is not None and value is not None:
        done = obj.staff.dunning.set_setting(key, value)
        click.echo(f"{done.key} = {done.value!r}")
        return
    for s in obj.staff.dunning.settings():
        if key is None or s.key == key:
            click.echo(f"{s.key:<26} {s.value!r:<16} {s.meaning}")


@dunning_group.command("hold")
@click.argument("account")
@click.option("--kind", required=True, type=click.Choice(["dispute", "medical", "moratorium"]))
@click.option("--from", "starts", type=_DAY, default=None, help="First day (default today).")
@click.option("--until", "ends", type=_DAY, default=None, help="Last day (default open).")
@click.option("--reference", default="", help="Dispute or certificate reference.")
@click.option("--note", default="")
@click.pass_obj
def hold(obj: CliContext, account: str, kind: str, starts: datetime | None,
         ends: datetime | None, reference: str, note: str) -> None:
    """Hold ACCOUNT's collection path: a dispute, a medical certificate, a moratorium."""
    hold_id = obj.staff.dunning.place_hold(account, kind, _day(starts) or date.today(),
                                           _day(ends), reference, note)
    click.echo(f"hold {hold_id} ({kind}) on {account}")


@dunning_group.command("release")
@click.argument("hold_id", type=int)
@click.option("--reason", required=True)
@click.pass_obj
def release(obj: CliContext, hold_id: int, reason: str) -> None:
    """Release hold HOLD_ID before its end date."""
    obj.staff.dunning.release_hold(hold_id, reason)
    click.echo(f"hold {hold_id} released")


@dunning_group.command("arrange")
@click.argument("account")
@click.option("--instalments", required=True, type=int)
@click.option("--first-due", required=True, type=_DAY)
@click.option("--every-days", default=30, show_default=True, type=int)
@click.option("--reference", default="")
@click.pass_obj
def arrange(obj: CliContext, account: str, instalments: int, first_due: datetime,
            every_days: int, reference: str) -> None:
    """Agree a payment arrangement spreading ACCOUNT's arrears over instalments."""
    arrangement_id = obj.staff.dunning.agree_arrangement(
        account, instalments, first_due.date(), every_days, reference)
    click.echo(f"arrangement {arrangement_id} agreed for {account}")


@dunning_group.command("orders")
@click.option("--kind", default="disconnect", show_default=True,
              type=click.Choice(["disconnect", "reconnect"]))
@click.option("--status", default="open", show_default=True,
              type=click.Choice(["open", "done", "cancelled", "all"]))
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Write the crews' list: a .pdf or .csv file.")
@click.pass_obj
def orders(obj: CliContext, kind: str, status: str, out: Path | None) -> None:
    """List field orders by route in walk order, or write them for the crews (--out)."""
    wanted = None if status == "all" else status
    if out is None:
        for r in obj.staff.dunning.field_orders(kind, wanted):
            click.echo(f"{r.number:<20} {r.status:<9} {r.route:<8} {r.walk_order:>5} "
                       f"{r.account_number} {r.name}  {r.arrears}")
        return
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".csv"):
        raise ValidationError(f"{out.name}: give a .pdf or a .csv file", location="--out")
    report = obj.staff.dunning.field_order_report(kind, wanted)
    if suffix == ".pdf":
        from ebs_desktop.reports.tabular_pdf import render_table_pdf
        render_table_pdf(report, out)
    else:
        from ebs_desktop.reports.tabular_export import write_csv
        write_csv(report, out)
    click.echo(f"{report.title} written to {out}")


@dunning_group.command("done")
@click.argument("number")
@click.option("--on", "on", type=_DAY, default=None, help="Day the crew did it.")
@click.pass_obj
def done(obj: CliContext, number: str, on: datetime | None) -> None:
    """Record field order NUMBER as done by the crew (the account's status follows)."""
    obj.staff.dunning.complete_order(number, _day(on))
    click.echo(f"order {number} done")


commands = [dunning_group]
