"""``ebs books check``: prove that the stored money adds up (see ``services.books``)."""

from __future__ import annotations

import click

from ebs_desktop.cli.context import CliContext, echo_json


@click.group("books")
def books_group() -> None:
    """The books: journals, cached balances, number series and the audit chain."""


@books_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def check(obj: CliContext, as_json: bool) -> None:
    """Check every journal balances, every cached total equals its ledger, document numbers
    are gapless per series and the audit chain verifies; exit 1 naming each problem."""
    report = obj.staff.books.check_books()
    if as_json:
        echo_json(report.to_json())
    else:
        for problem in report.problems:
            click.echo(str(problem))
        if report.more:
            click.echo(f"... and {report.more} more")
        click.echo(report.summary(), err=not report.ok)
    if not report.ok:
        raise SystemExit(1)


commands = [books_group]
