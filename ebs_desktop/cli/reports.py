"""``ebs bill pdf``, ``ebs bill mail-export`` and ``ebs report NAME``: paper from the
database.

The bill command prints through ``staff.billing.print_bills``
(:func:`ebs_desktop.services.bill_documents.print_bills`): a large run is read a chunk at a
time while both cores render, a small selection is rendered in this process.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

import click

from ebs_desktop.cli.context import CliContext, progress_enabled
from ebs_desktop.cli.params import OUTPUT_FILE, ROW_ID
from ebs_desktop.cli.text import count
from ebs_desktop.errors import ValidationError
from ebs_desktop.services.progress import Progress, TaskState

# reportlab and openpyxl are imported inside the commands that use them: importing them
# here would cost every `ebs` command half a second of start-up. So is the reports'
# registry (:mod:`ebs_desktop.services.reports` loads every report's queries and the
# database library): this area is loaded for every ``ebs bill ...`` (it adds ``pdf``), and
# ``ebs report --help`` needs only the names, which a test holds equal to the registry's.
REPORT_NAMES = ("arrears-aging", "billing-exceptions", "consumption-trends",
                "daily-collections", "ledger-reconciliation", "reading-completeness",
                "revenue", "shift-z")

@contextmanager
def _bill_progress(total_known: bool) -> Iterator[TaskState]:
    """A TaskState that draws a progress bar on stderr (when one is wanted)."""
    if not (total_known and progress_enabled()):
        yield TaskState()
        return
    bar_file: TextIO = sys.stderr
    with click.progressbar(length=1, label="Rendering bills", file=bar_file) as bar:
        done = [0]

        def progress(p: Progress) -> None:
            bar.length = max(p.total, 1)
            bar.update(p.done - done[0])
            done[0] = p.done

        yield TaskState(on_progress=progress)


@click.command("pdf")
@click.option("--period", default=None, metavar="YYYY-MM", help="Billing period to print.")
@click.option("--account", default=None, help="Only this account's bill of --period.")
@click.option("--bill", "bill_ref", default=None, metavar="NUMBER",
              help="Only this bill (instead of --period).")
@click.option("--out", "out", type=OUTPUT_FILE,
              help="One PDF with every bill (a page or more each).")
@click.option("--split", "split_dir", type=click.Path(file_okay=False, path_type=Path),
              help="A folder with one PDF per bill, named <account>_<bill number>.pdf.")
@click.pass_obj
def bill_pdf(obj: CliContext, period: str | None, account: str | None, bill_ref: str | None,
             out: Path | None, split_dir: Path | None) -> None:
    """Print the bills of --period (or the one --bill) as PDF, for the print shop (--out)
    or for email (--split)."""
    if (out is None) == (split_dir is None):
        raise ValidationError("give exactly one of --out FILE.pdf or --split DIR",
                              location="--out/--split")
    target = out if out is not None else split_dir
    assert target is not None
    with _bill_progress(bill_ref is None) as task:
        result = obj.staff.billing.print_bills(target, period=period, account=account,
                                               bill=bill_ref, split=split_dir is not None,
                                               task=task)
    where = target if out is not None else f"{count(len(result.files), 'file')} in {target}"
    click.echo(f"{count(result.bills, 'bill')}, {count(result.pages, 'page')} written to "
               f"{where} in {result.seconds:.1f} s ({result.bills_per_second:,.0f} bills/s)")


@click.command("mail-export")
@click.option("--period", required=True, metavar="YYYY-MM", help="Billing period.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for one PDF per route and manifest.csv (made if missing).")
@click.pass_obj
def mail_export(obj: CliContext, period: str, out: Path) -> None:
    """Write the bills of --period that go by post: one PDF per route in walk order and a
    CSV manifest (address block, page count, bill number); paperless accounts left out."""
    result = obj.staff.billing.mail_export(period, out)
    for route in result.routes:
        click.echo(f"{route.file.name}: {count(route.bills, 'bill')}, "
                   f"{count(route.pages, 'page')}")
    click.echo(f"{count(result.bills, 'bill')} on {count(len(result.routes), 'route')}, "
               f"{count(result.pages, 'page')}; manifest {result.manifest}; "
               f"{count(result.paperless_left_out, 'paperless bill')} left out")


def _attach_to_bill_group() -> None:
    """Put ``pdf`` and ``mail-export`` under ``ebs bill`` (the billing area's group) once
    that group exists."""
    try:
        from ebs_desktop.cli.billing import bill_group
    except ImportError:
        return
    bill_group.add_command(bill_pdf)
    bill_group.add_command(mail_export)


_attach_to_bill_group()


def write_report_file(report_obj: object, out: Path) -> None:
    from ebs_desktop.reports.tabular import TableReport
    from ebs_desktop.reports.tabular_export import write_csv, write_xlsx
    from ebs_desktop.reports.tabular_pdf import render_table_pdf

    assert isinstance(report_obj, TableReport)
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        render_table_pdf(report_obj, out)
    elif suffix == ".csv":
        write_csv(report_obj, out)
    elif suffix == ".xlsx":
        write_xlsx(report_obj, out)
    else:
        raise ValidationError(f"{out.name}: the format comes from the extension: .pdf, .csv "
                              "or .xlsx", location="--out")


@click.command("report")
@click.argument("name", type=click.Choice(REPORT_NAMES))
@click.option("--from", "date_from", default=None, type=click.DateTime(["%Y-%m-%d"]),
              help="First day (YYYY-MM-DD); not for arrears-aging, which is as of --to.")
@click.option("--to", "date_to", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Last day, included (YYYY-MM-DD).")
@click.option("--out", "out", required=True, type=OUTPUT_FILE,
              help="FILE.pdf, FILE.csv or FILE.xlsx.")
@click.option("--shift", "shift_id", type=ROW_ID, default=None,
              help="shift-z: only this shift.")
@click.option("--run", "run_id", type=ROW_ID, default=None,
              help="billing-exceptions: only this billing run.")
@click.pass_obj
def report_command(obj: CliContext, name: str, date_from: object, date_to: object, out: Path,
                   shift_id: int | None, run_id: int | None) -> None:
    """Write the management report NAME for the days --from to --to into --out."""
    from ebs_desktop.services.reports import ReportRange

    if out.suffix.lower() not in (".pdf", ".csv", ".xlsx"):
        raise ValidationError(f"{out.name}: use a .pdf, .csv or .xlsx file name",
                              location="--out")
    from ebs_desktop.services.reports.common import AS_OF_REPORTS

    last = _day(date_to)
    if date_from is None and name not in AS_OF_REPORTS:
        raise ValidationError(f"{name} covers days: give the first one (YYYY-MM-DD)",
                              location="--from")
    first = last if name in AS_OF_REPORTS else _day(date_from)  # arrears: as of --to
    rng = ReportRange(first, last, shift_id=shift_id, run_id=run_id)
    report = obj.staff.reports.build_report(name, rng)
    write_report_file(report, out)
    label = report.subtitle if name in AS_OF_REPORTS else rng.label
    click.echo(f"{report.title} ({label}) written to {out}")


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    assert isinstance(value, date)
    return value


commands: list[click.Command] = [report_command]
