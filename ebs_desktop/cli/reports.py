"""``ebs bill pdf`` and ``ebs report NAME``: paper from the database.

Why the bill command reads bills as a generator: a run of a million bills is read a
thousand at a time while both cores render (``render_batch``), so memory stays bounded
and the database reads overlap the rendering. A small selection (one account) is rendered
in this process, where starting workers would cost more than the bill.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from ebs_desktop.cli.context import CliContext, progress_enabled
from ebs_desktop.cli.params import OUTPUT_FILE, ROW_ID
from ebs_desktop.cli.text import count
from ebs_desktop.errors import ValidationError
from ebs_desktop.services.progress import Progress, TaskState
from ebs_desktop.services.reports import REPORTS, ReportRange

if TYPE_CHECKING:
    from ebs_desktop.reports.bill_batch import BatchResult, ChunkLoader
    from ebs_desktop.reports.bill_document import BillDocument

# reportlab and openpyxl are imported inside the commands that use them: importing them
# here would cost every `ebs` command half a second of start-up.

IN_PROCESS_UP_TO = 400  # bills; more go to the worker processes


def print_bills(docs: Iterable[BillDocument], total: int, out: Path, split: bool,
                show_progress: bool, chunks: Sequence[ChunkLoader] | None = None) -> BatchResult:
    """Render the bills; with ``chunks`` (and enough bills) each worker reads its own."""
    from ebs_desktop.reports.bill_batch import render_batch

    if total <= IN_PROCESS_UP_TO:
        docs, chunks = list(docs), None
    elif chunks is not None:
        docs = ()
    if not show_progress:
        return render_batch(docs, out, split=split, total=total, chunks=chunks,
                            task=TaskState())
    bar_file: TextIO = sys.stderr
    with click.progressbar(length=total, label="Rendering bills", file=bar_file) as bar:
        done = [0]

        def progress(p: Progress) -> None:
            bar.update(p.done - done[0])
            done[0] = p.done

        return render_batch(docs, out, split=split, total=total, chunks=chunks,
                            task=TaskState(on_progress=progress))


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
    if (period is None) == (bill_ref is None):
        raise ValidationError("give --period YYYY-MM (all its bills) or --bill NUMBER "
                              "(one bill)", location="--period/--bill")
    if bill_ref is not None and account is not None:
        raise ValidationError("--account selects within --period; --bill is already one "
                              "bill", location="--account")
    target = out if out is not None else split_dir
    assert target is not None
    billing = obj.staff.billing
    if bill_ref is not None:
        result = print_bills([billing.bill_document(bill_ref)], 1, target,
                             split_dir is not None, False)
    else:
        assert period is not None
        total = billing.count_bill_documents(period, account)
        if total == 0:
            what = f"account {account} in {period}" if account else period
            raise ValidationError(f"no printable bill for {what}", location="--period")
        result = print_bills(billing.iter_bill_documents(period, account), total, target,
                             split_dir is not None, progress_enabled(),
                             billing.document_chunks(period, account))
    where = target if out is not None else f"{count(len(result.files), 'file')} in {target}"
    click.echo(f"{count(result.bills, 'bill')}, {count(result.pages, 'page')} written to "
               f"{where} in {result.seconds:.1f} s ({result.bills_per_second:,.0f} bills/s)")


def _attach_to_bill_group() -> None:
    """Put ``pdf`` under ``ebs bill`` (the billing area's group) once that group exists."""
    try:
        from ebs_desktop.cli.billing import bill_group
    except ImportError:
        return
    bill_group.add_command(bill_pdf)


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
@click.argument("name", type=click.Choice(sorted(REPORTS)))
@click.option("--from", "date_from", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First day (YYYY-MM-DD).")
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
    if out.suffix.lower() not in (".pdf", ".csv", ".xlsx"):
        raise ValidationError(f"{out.name}: use a .pdf, .csv or .xlsx file name",
                              location="--out")
    rng = ReportRange(_day(date_from), _day(date_to), shift_id=shift_id, run_id=run_id)
    report = obj.staff.reports.build_report(name, rng)
    write_report_file(report, out)
    click.echo(f"{report.title} ({rng.label}) written to {out}")


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    assert isinstance(value, date)
    return value


commands: list[click.Command] = [report_command]
