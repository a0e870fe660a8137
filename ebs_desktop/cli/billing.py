"""``ebs bill-run``, ``ebs bill ...`` and ``ebs bench billing``: billing from the command line.

The commands only parse options and print; the work is in ``ebs_desktop.services.billing``
(the same services the desktop app calls).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import click

from ebs_desktop.cli.bench import bench_group
from ebs_desktop.cli.context import CliContext, echo_json, progress_enabled
from ebs_desktop.cli.params import OUTPUT_FILE
from ebs_desktop.cli.text import count
from ebs_desktop.services.billing.corrections import cancel_bill, find_bill, rebill
from ebs_desktop.services.billing.export import export_bills
from ebs_desktop.services.billing.run import RunResult, run_billing

_DAY = click.DateTime(["%Y-%m-%d"])


@contextmanager
def _progress_bar(label: str) -> Iterator[object]:
    """A progress callback drawing a bar on stderr when it is a terminal (else silent)."""
    if not progress_enabled():
        yield None
        return
    state: dict[str, int] = {"done": 0}
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:
        def report(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - state["done"])
            state["done"] = done

        yield report


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
    db = obj.database()
    with _progress_bar(f"billing {period}") as report:
        result = run_billing(db, obj.actor(), period, cycle=cycle, dry_run=dry_run,
                             issue_date=issue_date.date() if issue_date else None,
                             batch_size=batch_size, progress=report,  # type: ignore[arg-type]
                             workers=workers)
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
    from ebs_desktop.services.account_view import bill_view

    db = obj.database()
    with db.read() as session:
        bill_id = find_bill(session, bill).id
    view = bill_view(db, obj.actor(), bill_id)
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
    r = cancel_bill(obj.database(), obj.actor(), bill, reason)
    click.echo(f"credit note {r.number} cancels bill {r.bill_number} "
               f"(account {r.account_number}): {r.amount}")


@bill_group.command("rebill")
@click.argument("bill")
@click.option("--issue-date", type=_DAY, default=None)
@click.pass_obj
def bill_rebill(obj: CliContext, bill: str, issue_date: datetime | None) -> None:
    """Issue the corrected bill for a cancelled one (current readings and tariff)."""
    r = rebill(obj.database(), obj.actor(), bill,
               issue_date.date() if issue_date else None)
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
    r = export_bills(obj.database(), obj.actor(), period, out)
    click.echo(f"{count(r.rows, 'bill')} written to {r.path} (total of bills not cancelled "
               f"{r.total})")


@bench_group.command("billing")
@click.option("--customers", default=200_000, show_default=True,
              type=click.IntRange(100, 5_000_000))
@click.option("--months", default=3, show_default=True, type=click.IntRange(2, 24),
              help="Months of readings built first (all but the last are billed).")
@click.option("--db", "url", default=None,
              help="An empty database to build in (default: a scratch SQLite file).")
@click.option("--workers", default=None, type=click.IntRange(0, 1))
@click.option("--floor", is_flag=True,
              help="Also time the bare reference loop (5-slab bill + lines as tuples into SQLite,"
              " or with COPY into the --db PostgreSQL).")
@click.option("--json", "as_json", is_flag=True)
def bench_billing(customers: int = 200_000, months: int = 3, url: str | None = None,
                  workers: int | None = None, floor: bool = False,
                  as_json: bool = False) -> None:
    """Build N accounts with history, then time one billing run of the next month."""
    from ebs_desktop.services.billing.bench import bench_billing_run, floor_bills_per_second

    if floor:
        pg = url if url is not None and url.startswith("postgresql") else None
        ref = floor_bills_per_second(pg_url=pg)
        click.echo(f"reference floor (bare loop, {ref['backend']}): "
                   f"{ref['bills_per_s']:,} bills/s", err=True)

    with tempfile.TemporaryDirectory(prefix="ebs-bench-") as tmp:
        target = url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        click.echo(f"building {customers:,} accounts with {months} months of readings "
                   f"in {target.split('@')[-1]} ...", err=True)
        started = time.perf_counter()
        figures = bench_billing_run(target, customers, months, workers)
        figures["build_seconds"] = round(time.perf_counter() - started
                                         - figures["seconds"], 1)
    figures["date"] = date.today().isoformat()
    if as_json:
        echo_json(figures)
        return
    click.echo(f"billing run: {figures['bills']:,} bills in {figures['seconds']} s = "
               f"{figures['bills_per_s']:,} bills/s ({figures['backend']}, "
               f"{figures['cpu_seconds_main']} s CPU in the main process); peak RSS "
               f"{figures['peak_rss_mb']} MB (helper at most {figures['peak_rss_mb_helper']} MB); "
               f"build {figures['build_seconds']} s")


commands: list[click.Command] = [bill_run, bill_group]
