"""``ebs demo``: fill a database with the demo utility."""

from __future__ import annotations

import time

import click

from ebs_desktop.cli.context import CliContext, echo_json
from ebs_desktop.cli.text import count
from ebs_desktop.services.progress import Progress, TaskState


@click.command("demo")
@click.option("--customers", default=2000, show_default=True, type=click.IntRange(1, 5_000_000))
@click.option("--months", default=12, show_default=True, type=click.IntRange(2, 120))
@click.option("--until", default=None, metavar="YYYY-MM",
              help="Last month read (not billed); default: last complete month.")
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--counter-months", default=3, show_default=True, type=click.IntRange(0, 120),
              help="Last billed months paid at the counter; older ones through the bank.")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database has accounts.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def demo(obj: CliContext, customers: int, months: int, until: str | None, seed: int,
         counter_months: int, if_empty: bool, as_json: bool) -> None:
    """Create the demo utility: tariffs, users, customers, readings, bills, payments."""
    staff = obj.staff
    if if_empty and staff.accounts.count_accounts():
        click.echo("demo: the database already has accounts; left as it is")
        return
    started = time.perf_counter()
    last = [""]

    def progress(p: Progress) -> None:
        if p.message != last[0] or p.done == p.total:
            click.echo(f"  {p.message}: {p.done:,}/{p.total:,}", err=True)
            last[0] = p.message

    # the demo writes settings, users, tariffs and counters: it needs settings.edit
    result = staff.demo.build_demo(customers, months, until, seed, counter_months,
                                   task=TaskState(progress))
    elapsed = time.perf_counter() - started
    data = {"customers": result.customers, "months": result.months, "until": result.until,
            "readings": result.readings, "bills": result.bills, "payments": result.payments,
            "seconds": round(elapsed, 1), "portal_account": result.portal_account,
            "portal_login": result.portal_login}
    if as_json:
        echo_json(data)
    else:
        click.echo(f"demo utility ready in {elapsed:.1f} s: {count(result.customers, 'customer')}, "
                   f"{count(result.readings, 'reading')}, {count(result.bills, 'bill')}, "
                   f"{count(result.payments, 'payment')}; {result.until} is read but not billed")
        if result.portal_login:
            click.echo(f"portal sign-in: {result.portal_login} "
                       f"(account {result.portal_account}); start it with: ebs portal serve "
                       "--insecure-cookies")


commands = [demo]
