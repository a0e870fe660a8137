"""``python -m tools.bench``: the benchmarks behind docs/performance.md.

Not a command of the product (the ``ebs`` program ships none of this): each subcommand
builds its own scratch database unless ``--db`` is given and prints its figures;
``python -m tools.bench all`` (what ``make bench`` runs) runs every one with its default
size. The work is in the modules beside this one (``tools/bench/billing.py``,
``readings.py``, ``counter.py``, ``reports.py``, ``pdf.py``, ``cli.py``); they and this module may
import the product, the product never imports them.

The readings benchmark times ``ebs readings import`` in a child process, the product's own
command, so its figure is what an operator sees.
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

import click

from ebs_desktop.cli.context import echo_json


@click.group("bench", context_settings={"help_option_names": ["-h", "--help"]})
def bench_group() -> None:
    """Benchmarks (each builds its own scratch database unless --db is given)."""


@bench_group.command("all")
@click.pass_context
def bench_all(ctx: click.Context) -> None:
    """Run every benchmark with its default size."""
    for name, command in sorted(bench_group.commands.items()):
        if name in ("all", "pdf-render"):
            continue
        click.echo(f"== python -m tools.bench {name}", err=True)
        ctx.invoke(command)


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
    from tools.bench.billing import bench_billing_run, floor_bills_per_second

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

    from ebs_desktop.persistence import migrate
    from ebs_desktop.persistence.engine import open_database
    from ebs_desktop.services.peak_memory import ebs_command_reporting_peak, reported_peak
    from tools.bench.readings import build_bench_utility

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


@bench_group.command("payments")
@click.option("--n", "count", default=2000, show_default=True, help="Payments to post.")
@click.option("--db", "db_url", default=None, help="Scratch database URL (default: temp SQLite).")
def bench_payments(count: int, db_url: str | None) -> None:
    """Posting a payment (allocation, ledger, receipt number, audit): p50/p99."""
    from tools.bench.counter import bench_payment_posting

    click.echo(bench_payment_posting(count, db_url).line())


@bench_group.command("lookup")
@click.option("--customers", default=1_000_000, show_default=True)
@click.option("--db", "db_url", default=None,
              help="Database URL (default: temp SQLite); an empty one is filled first.")
@click.option("--n", "count", default=300, show_default=True, help="Lookups per key.")
def bench_lookup(customers: int, db_url: str | None, count: int) -> None:
    """Account lookup by number, meter, phone and name prefix: p50/p99 per key."""
    from tools.bench.counter import bench_account_lookup

    for line in bench_account_lookup(customers, db_url, count):
        click.echo(line.line())


@bench_group.command("pdf")
@click.option("--db", "db_url", default=None,
              help="A database with bills (default: a scratch demo utility, deleted after).")
@click.option("--period", default=None, metavar="YYYY-MM",
              help="Period to print (default: the latest with bills).")
@click.option("--customers", default=3000, show_default=True, type=click.IntRange(1),
              help="Size of the scratch demo utility.")
def bench_pdf(db_url: str | None, period: str | None, customers: int) -> None:
    """Bill PDF speed from the database: read the run, render it on every core."""
    from tools.bench.reports import bench_bill_pdf_from_db

    with tempfile.TemporaryDirectory(prefix="ebs-bench-pdf-") as tmp:
        started = time.perf_counter()
        figures = bench_bill_pdf_from_db(db_url, period, customers, Path(tmp))
        figures["bench_seconds"] = round(time.perf_counter() - started, 1)
    for key, value in figures.items():
        click.echo(f"{key}: {value}")


@bench_group.command("pdf-render")
@click.option("--n", "count", default=3000, show_default=True, type=click.IntRange(1),
              help="Sample bills to render (no database).")
def bench_pdf_render(count: int) -> None:
    """Bill PDF rendering alone: sample bills on one core, then on every core."""
    from tools.bench.pdf import bench_bill_pdf

    for key, value in bench_bill_pdf(count).items():
        click.echo(f"{key}: {value}")


@bench_group.command("cli")
@click.option("--runs", default=20, show_default=True, type=click.IntRange(1),
              help="Runs of each command, each in a new process.")
@click.option("--db", "db_url", default=None,
              help="A database for 'ebs account show' (default: a scratch demo utility).")
@click.option("--account", default=None, help="The account to show (with --db).")
@click.option("--ebs", "ebs_script", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Another installation's ebs script (default: this one's).")
@click.option("--no-bytecode-cache", "no_cache", is_flag=True,
              help="Compile every module on every run (PYTHONDONTWRITEBYTECODE=1).")
def bench_cli(runs: int, db_url: str | None, account: str | None,
              ebs_script: str | None, no_cache: bool) -> None:
    """Cold start of 'ebs --version', 'ebs --help' and 'ebs account show': median and p90."""
    import os

    from tools.bench.cli import EBS, bench_cold_start

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    click.echo(f"load average before: {load} on {os.cpu_count()} CPUs", err=True)
    ebs = Path(ebs_script) if ebs_script else EBS
    click.echo(f"timing {ebs}" + (", no bytecode cache" if no_cache else ""), err=True)
    for figure in bench_cold_start(runs, db_url, account, ebs, bytecode_cache=not no_cache):
        click.echo(figure.line())


@bench_group.command("portal")
@click.option("--db", "url", default=None,
              help="A demo database to serve (default: a scratch SQLite demo, deleted after).")
@click.option("--customers", default=100_000, show_default=True, type=click.IntRange(10),
              help="Size of the scratch demo utility.")
@click.option("--months", default=3, show_default=True, type=click.IntRange(2, 24))
@click.option("--users", default=50, show_default=True, type=click.IntRange(1, 1000),
              help="Concurrent signed-in users, each with its own keep-alive connection.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="uvicorn worker processes (the portal and the hello app alike).")
@click.option("--seconds", default=15.0, show_default=True, type=click.FloatRange(1),
              help="Load per endpoint (after a 2 s warm-up).")
@click.option("--rate", default=300.0, show_default=True, type=click.FloatRange(1),
              help="The offered load (req/s, spread over the users) at which the pages' "
                   "latency is measured, besides the saturation run.")
@click.option("--json", "as_json", is_flag=True)
def bench_portal(url: str | None, customers: int, months: int, users: int, workers: int,
                 seconds: float, rate: float, as_json: bool) -> None:
    """The portal's dashboard, bill list and bill PDF under N concurrent users, side by
    side with a bare Starlette "hello" app served the same way: p50/p99 and req/s at
    saturation (each user asks again as soon as answered), then p50/p99 of the pages at
    --rate requests/s (open loop, latency counted from when each request was due)."""
    import os

    from tools.bench.portal import bench_portal as run

    target = url or f"a scratch SQLite demo of {customers:,} customers"
    click.echo(f"serving {target.split('@')[-1]} with {workers} workers to {users} users; "
               f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}", err=True)
    figures, how = run(url, customers, months, users, workers, seconds, rate=rate)
    hello = next(f for f in figures if f.target == "hello")
    if as_json:
        echo_json({"date": date.today().isoformat(), "users": users, "workers": workers,
                   "sessions": how, "figures": [
                       {"target": f.target, "path": f.path, "requests": f.requests,
                        "errors": f.errors, "req_per_s": round(f.per_second),
                        "p50_ms": f.p50_ms, "p99_ms": f.p99_ms,
                        "ratio_to_hello": round(f.per_second / hello.per_second, 3)}
                       for f in figures]})
        return
    click.echo(f"sessions: {how}")
    for figure in figures:
        click.echo(f"{figure.line()}  ({figure.per_second / hello.per_second:.0%} of hello)")


@bench_group.command("notify-email")
@click.option("--bills", default=2000, show_default=True, type=click.IntRange(10),
              help="Bill emails (with their PDF) to send; the issue's figure is 100,000.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--db", "url", default=None,
              help="An empty database to build in (default: a scratch SQLite file).")
@click.option("--cold", is_flag=True,
              help="Leave the bills' PDFs undrawn: the sender draws each as it sends it.")
@click.option("--json", "as_json", is_flag=True)
def bench_notify_email(bills: int = 2000, workers: int = 1, url: str | None = None,
                       cold: bool = False, as_json: bool = False) -> None:
    """The outbox sender against a bare smtplib loop sending the same prepared bill
    emails to one local aiosmtpd, side by side."""
    from tools.bench.notify import bench_email

    with tempfile.TemporaryDirectory(prefix="ebs-bench-") as tmp:
        figures = bench_email(url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", bills, workers,
                              cold)
    figures["date"] = date.today().isoformat()
    if as_json:
        echo_json(figures)
        return
    click.echo(f"{figures['messages']:,} bill emails ({figures['message_bytes']:,} bytes "
               f"each): bare smtplib loop {figures['bare_per_s']:,}/s, sender "
               f"{figures['sender_per_s']:,}/s with {workers} worker(s) = "
               f"{figures['ratio']:.0%} of the bare loop ({figures['backend']}"
               + (", PDFs drawn by the sender)" if cold else
                  f"; the PDFs drawn beforehand in {figures['pdfs_drawn_seconds']} s)"))


@bench_group.command("webhooks")
@click.option("--db", "url", default="postgresql+psycopg://postgres@127.0.0.1:5432/ebs_bench_hooks",
              show_default=True, help="An empty database to build in (it is emptied first).")
@click.option("--customers", default=2000, show_default=True, type=click.IntRange(10))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 16))
@click.option("--connections", default=32, show_default=True, type=click.IntRange(1, 1000))
@click.option("--seconds", default=10, show_default=True, type=click.IntRange(1, 600))
@click.option("--rate", default=500.0, show_default=True, type=click.FloatRange(1),
              help="The offered load (events/s) at which latency is measured, besides the "
                   "saturation run with wrk.")
@click.option("--json", "as_json", is_flag=True)
def bench_webhooks(url: str, customers: int, workers: int, connections: int, seconds: int,
                   rate: float, as_json: bool) -> None:
    """Webhook intake (verify, store once, answer; drainers post) against a bare endpoint
    that only verifies the signature, both on uvicorn with --workers: p50/p99 at --rate
    events/s (open loop, latency from when each event was due), then saturation with wrk."""
    from tools.bench.webhooks import bench_webhooks as run
    from tools.bench.webhooks import fresh_database

    figures = run(fresh_database(url), customers=customers, workers=workers,
                  connections=connections, seconds=seconds, rate=rate)
    figures["date"] = date.today().isoformat()
    if as_json:
        echo_json(figures)
        return
    for name in ("bare", "intake"):
        f = figures[f"{name}_at_rate"]
        click.echo(f"{name:7} at {f['rate']:,.0f}/s offered: p50 {f['p50_ms']:.1f} ms  p99 "
                   f"{f['p99_ms']:.1f} ms  ({f['requests']:,} requests, {f['non_2xx']} "
                   "non-2xx)")
    for name in ("bare", "intake"):
        f = figures[name]
        click.echo(f"{name:7} {f['per_s']:6,}/s  p50 {f['p50_ms']:.1f} ms  p90 "
                   f"{f['p90_ms']:.1f} ms  p99 {f['p99_ms']:.1f} ms  ({f['requests']:,} "
                   f"requests, {f['non_2xx']} non-2xx)")
    click.echo(f"intake = {figures['ratio']:.0%} of the bare endpoint; "
               f"{figures['posted']:,} payments posted ({figures['backend']}, "
               f"{workers} workers, {connections} connections)")
    click.echo(f"drain: {figures['posted']:,} posted in {figures['drain_s']} s from the start "
               f"of the intake run = {figures['drain_per_s']:,} payments/s; events "
               f"{figures['events']}")


if __name__ == "__main__":
    bench_group(prog_name="python -m tools.bench")
