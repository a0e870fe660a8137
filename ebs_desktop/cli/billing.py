"""``ebs bill-run`` and ``ebs bill ...``: billing from the command line.

The commands only parse options and print; the work is in ``ebs_desktop.services.billing``
(the same services the desktop app calls), reached through the staff facade.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ebs_desktop.cli.context import CliContext, echo_json, line_progress, progress_enabled
from ebs_desktop.cli.params import OUTPUT_FILE
from ebs_desktop.cli.text import count
from ebs_desktop.services.progress import Progress, TaskState

if TYPE_CHECKING:
    from ebs_desktop.services.billing.run import RunResult

_DAY = click.DateTime(["%Y-%m-%d"])


@contextmanager
def _progress_bar(label: str) -> Iterator[TaskState]:
    """A task state drawing a progress bar on stderr when it is a terminal (else silent)."""
    if not progress_enabled():
        yield TaskState()
        return
    state: dict[str, int] = {"done": 0}
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:
        def report(p: Progress) -> None:
            bar.length = max(p.total, 1)
            bar.update(p.done - state["done"])
            state["done"] = p.done

        yield TaskState(on_progress=report)


def _print_run(result: RunResult, limit: int = 50) -> None:
    what = "dry run" if result.dry_run else "billing run"
    click.echo(f"{what} {result.period}: {count(result.accounts, 'account')} due, "
               f"{count(result.bills, 'bill')}, total {result.total}"
               + (f", numbers {result.first_number} to {result.last_number}"
                  if result.first_number else "")
               + (" (cancelled)" if result.cancelled else ""))
    if not result.exceptions:
        click.echo("no exceptions")
        return
    counts: dict[str, int] = {}
    for e in result.exceptions:
        counts[e.code] = counts.get(e.code, 0) + 1
    click.echo("exceptions: " + ", ".join(f"{c} {n:,}" for c, n in sorted(counts.items())))
    shown = result.exceptions if result.dry_run else []
    for e in shown[:limit]:
        click.echo(f"  {e.account_number or e.account_id}  {e.code:<13} {e.detail}")
    if len(shown) > limit:
        click.echo(f"  ... and {len(shown) - limit:,} more (use --json for all)")


@click.command("bill-run")
@click.option("--period", required=True, metavar="YYYY-MM", help="The month to bill.")
@click.option("--cycle", default=None, help="Only this billing cycle (default: all).")
@click.option("--dry-run", is_flag=True, help="Write nothing; list the exceptions.")
@click.option("--issue-date", type=_DAY, default=None,
              help="Issue date of the bills (default: today, or a resumed run's date).")
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--workers", default=None, type=click.IntRange(0, 1),
              help="Helper processes pricing ahead (default: automatic).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def bill_run(obj: CliContext, period: str, cycle: str | None, dry_run: bool,
             issue_date: datetime | None, batch_size: int, workers: int | None,
             as_json: bool) -> None:
    """Bill every due account for a period (idempotent, resumable after a crash)."""
    staff = obj.staff
    with _progress_bar(f"billing {period}") as task:
        result = staff.billing.run_billing(period, cycle=cycle, dry_run=dry_run,
                                           issue_date=issue_date.date() if issue_date else None,
                                           batch_size=batch_size, task=task, workers=workers)
    if as_json:
        echo_json(result.to_json())
    else:
        _print_run(result)


@click.group("bill")
def bill_group() -> None:
    """Bills: show, cancel by credit note, rebill, export."""


@bill_group.command("show")
@click.argument("bill")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def bill_show(obj: CliContext, bill: str, as_json: bool) -> None:
    """Show a bill with its lines and their explanations."""
    view = obj.staff.desk.bill_by_number(bill)
    s = view.summary
    if as_json:
        echo_json({"bill_number": s.bill_number, "account_number": view.account_number,
                   "period": s.period, "revision": s.revision, "kind": s.kind,
                   "period_start": view.period_start, "period_end": view.period_end,
                   "issue_date": s.issue_date, "due_date": s.due_date,
                   "kwh": f"{s.consumption_kwh:f}", "estimated": s.estimated,
                   "lines": [{"seq": x.seq, "code": x.code, "description": x.description,
                              "quantity": f"{x.quantity:f}", "rate": f"{x.rate:f}",
                              "amount": str(x.amount)} for x in view.lines],
                   "total": str(s.total), "after_due": str(view.after_due),
                   "currency": s.total.currency, "paid": str(s.paid),
                   "credit_note": view.credit_note})
        return
    click.echo(f"bill {s.bill_number} (account {view.account_number}, {s.period}, "
               f"{view.period_start} to {view.period_end}"
               + (", estimated" if s.estimated else "") + ")")
    click.echo(f"issued {s.issue_date}, due {s.due_date}, {s.consumption_kwh} kWh")
    width = max((len(x.code) for x in view.lines), default=4)
    for x in view.lines:
        click.echo(f"  {x.code:<{width}}  {x.amount!s:>12}  {x.description}")
    click.echo(f"  {'TOTAL':<{width}}  {s.total!s:>12}  {s.total.currency}")
    if view.after_due != s.total:
        click.echo(f"  after the due date: {view.after_due}")
    if view.credit_note:
        click.echo(f"cancelled by {view.credit_note}")


@bill_group.command("cancel")
@click.argument("bill")
@click.option("--reason", required=True, help="Why the bill is cancelled (audited).")
@click.pass_obj
def bill_cancel(obj: CliContext, bill: str, reason: str) -> None:
    """Cancel a bill by a credit note that reverses it in the ledger."""
    r = obj.staff.billing.cancel_bill(bill, reason)
    click.echo(f"credit note {r.number} cancels bill {r.bill_number} "
               f"(account {r.account_number}): {r.amount}")


@bill_group.command("rebill")
@click.argument("bill")
@click.option("--issue-date", type=_DAY, default=None)
@click.pass_obj
def bill_rebill(obj: CliContext, bill: str, issue_date: datetime | None) -> None:
    """Issue the corrected bill for a cancelled one (current readings and tariff)."""
    r = obj.staff.billing.rebill(bill, issue_date.date() if issue_date else None)
    click.echo(f"bill {r.bill_number} (revision {r.revision}) replaces {r.replaces}: "
               f"{r.total}" + (" (estimated)" if r.estimated else ""))
    for code, detail in r.exceptions:
        click.echo(f"  note: {code}: {detail}")


@bill_group.command("export")
@click.option("--period", required=True, metavar="YYYY-MM")
@click.option("--out", required=True, type=OUTPUT_FILE)
@click.pass_obj
def bill_export(obj: CliContext, period: str, out: Path) -> None:
    """Write the period's bills as CSV (one row per bill, totals as decimal text)."""
    r = obj.staff.billing.export_bills(period, out, task=line_progress(f"writing {out.name}"))
    click.echo(f"{count(r.rows, 'bill')} written to {r.path} (total of bills not cancelled "
               f"{r.total})")


commands: list[click.Command] = [bill_run, bill_group]
