"""``ebs readings``: inspect meter files, write reading sheets, import readings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ebs_desktop.cli.context import CliContext, echo_json, line_progress
from ebs_desktop.cli.meter_output import echo_readout
from ebs_desktop.cli.params import OUTPUT_FILE
from ebs_desktop.cli.text import count
from ebs_desktop.devices.meters.inspect import inspect_file

if TYPE_CHECKING:
    from ebs_desktop.services.readings import ImportSummary


@click.group("readings")
def readings_group() -> None:
    """Meter readings: inspect telegram and readout files, reading sheets, imports."""


@readings_group.command("inspect")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the readout as JSON.")
def inspect_command(file: Path, as_json: bool) -> None:
    """Show what a P1 telegram or IEC 62056-21 readout FILE holds (CRC/BCC checked)."""
    echo_readout(inspect_file(file), as_json)


@readings_group.command("template")
@click.option("--period", required=True, metavar="YYYY-MM", help="Month to be read.")
@click.option("--route", default=None, help="Only this route (default: every route).")
@click.option("--out", "out", required=True, type=OUTPUT_FILE)
@click.pass_obj
def template_command(obj: CliContext, period: str, route: str | None, out: Path) -> None:
    """Write the reading sheet (CSV) of the meters due in PERIOD for a contractor to fill."""
    text, registers = obj.staff.readings.sheet_text(period, route)
    out.write_text(text, encoding="utf-8", newline="")  # the sheet's own CR LF, as written
    click.echo(f"{count(registers, 'register')} to read written to {out}")


@readings_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--confirm", is_flag=True,
              help="Store readings with warnings as confirmed (needs reading.confirm).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def import_command(obj: CliContext, file: Path, confirm: bool, as_json: bool) -> None:
    """Import FILE: a filled reading sheet, a handheld export, a P1 telegram or an IEC
    62056-21 readout. All or nothing; the same file twice adds nothing."""
    # imported here: the readings services bring the database library, which
    # 'ebs readings inspect' and every --help do without
    from ebs_desktop.services.readings import ImportRefused

    try:
        summary = obj.staff.readings.import_file(file, confirm=confirm,
                                                 task=line_progress(f"importing {file.name}"))
    except ImportRefused as refused:
        _report(refused.summary, as_json)
        raise click.exceptions.Exit(1) from None
    _report(summary, as_json)


def _report(summary: ImportSummary, as_json: bool) -> None:
    if as_json:
        echo_json(summary.to_dict())
        return
    for p in summary.problems:
        click.echo(f"{p.severity}: {p.text()}", err=p.severity == "error")
    if summary.already_imported:
        click.echo(f"{summary.file_name} was already imported (batch {summary.batch_id}); "
                   "nothing added")
        return
    refused = summary.rejected > 0 or summary.batch_id is None
    click.echo(f"{summary.file_name} ({summary.kind}): {summary.accepted:,} accepted, "
               f"{count(summary.warnings, 'warning')}, {summary.rejected:,} rejected, "
               f"{summary.duplicates:,} already stored, {summary.skipped:,} not read"
               + ("; nothing was stored" if refused else ""))


commands: list[click.Command] = [readings_group]


@readings_group.command("held")
@click.option("--account", default=None, help="Only this account.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_obj
def held_command(obj: CliContext, account: str | None, as_json: bool) -> None:
    """List readings customers sent from the portal that wait for review (outside the
    expected range); accept one with 'ebs readings confirm ID'."""
    held = obj.staff.readings.held_self_reads(account)
    if as_json:
        echo_json([{"reading_id": h.reading_id, "account": h.account_number,
                    "meter": h.meter, "register": h.register,
                    "read_on": h.read_on.isoformat(), "value": str(h.value),
                    "flags": h.flags, "submitted_at": h.submitted_at.isoformat(),
                    "photo": h.has_photo} for h in held])
        return
    if not held:
        click.echo("No customer readings wait for review.")
        return
    for h in held:
        photo = "  (photo)" if h.has_photo else ""
        click.echo(f"{h.reading_id:>8}  {h.account_number}  {h.meter}/{h.register}  "
                   f"{h.read_on.isoformat()}  {h.value:f}  {h.flags or '-'}{photo}")
    click.echo(f"{count(len(held), 'reading')} to review")


@readings_group.command("confirm")
@click.argument("reading_id", type=int)
@click.pass_obj
def confirm_command(obj: CliContext, reading_id: int) -> None:
    """Accept a reading held for review (a device's or a customer's): it becomes billable."""
    obj.staff.readings.confirm_reading(reading_id)
    click.echo(f"reading {reading_id} confirmed")
