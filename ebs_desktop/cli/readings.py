"""``ebs readings``: inspect meter files, write reading sheets, import readings."""

from __future__ import annotations

from pathlib import Path

import click

from ebs_desktop.cli.bench import bench_group
from ebs_desktop.cli.context import CliContext, echo_json
from ebs_desktop.cli.meter_output import echo_readout
from ebs_desktop.cli.params import OUTPUT_FILE
from ebs_desktop.cli.text import count
from ebs_desktop.devices.meters.inspect import inspect_file
from ebs_desktop.services import readings


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
    text, registers = readings.sheet_text(obj.database(), obj.actor(), period, route)
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
    try:
        summary = readings.import_file(obj.database(), obj.actor(), file, confirm=confirm)
    except readings.ImportRefused as refused:
        _report(refused.summary, as_json)
        raise click.exceptions.Exit(1) from None
    _report(summary, as_json)


def _report(summary: readings.ImportSummary, as_json: bool) -> None:
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


@bench_group.command("readings-import")
@click.option("--meters", default=200_000, show_default=True, type=click.IntRange(1),
              help="Meters (one reading each) in the sheet; the target is 1,000,000 in "
                   "15 s and 500 MB.")
@click.option("--db", "db_url", default=None,
              help="Database to fill (default: a scratch SQLite file, deleted afterwards).")
@click.option("--keep", is_flag=True, help="Keep the scratch folder and print its path.")
def bench_readings_import(meters: int, db_url: str | None, keep: bool) -> None:
    """Import a filled reading sheet for N meters; time, rows/s and peak memory (RSS).

    The import runs in a child process (``ebs readings import``), so its peak memory is
    its own, not the set-up's; its time includes the process start, the validation and
    the idempotency check.
    """
    import os
    import subprocess
    import tempfile
    import time
    from datetime import date

    from ebs_desktop.persistence import migrate
    from ebs_desktop.persistence.engine import open_database
    from ebs_desktop.services.peak_memory import ebs_command_reporting_peak, reported_peak
    from ebs_desktop.services.readings.bench import build_bench_utility

    folder = Path(tempfile.mkdtemp(prefix="ebs-bench-readings-"))
    url = db_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    db = open_database(url)
    migrate.upgrade(db)
    started = time.perf_counter()
    sheet = folder / "sheet.csv"
    build_bench_utility(db, meters, sheet, date.today())
    db.dispose()
    if hasattr(os, "sync"):
        os.sync()  # the set-up's writes reach the disk now, not during the timed import
    click.echo(f"set-up: {meters:,} meters with two readings each and their sheet in "
               f"{time.perf_counter() - started:.1f} s", err=True)
    started = time.perf_counter()
    done = subprocess.run(ebs_command_reporting_peak(["--db", url, "readings", "import",
                                                      str(sheet)]),
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak_mb = reported_peak(done.stderr) or 0
    click.echo(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr)
    click.echo(f"readings import: {meters:,} readings in {elapsed:.1f} s, "
               f"{meters / elapsed:,.0f} rows/s (process start included), "
               f"peak RSS {peak_mb:,.0f} MB")
    if keep:
        click.echo(f"kept {folder}")
    else:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    if done.returncode:
        raise click.exceptions.Exit(done.returncode)


commands: list[click.Command] = [readings_group]
