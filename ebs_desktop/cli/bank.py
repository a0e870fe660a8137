"""``ebs bank import|review|assign|ignore``: bank statements into payments and a review list."""

from __future__ import annotations

from pathlib import Path

import click

from ebs_desktop.cli.context import CliContext, echo_json, line_progress
from ebs_desktop.cli.text import count


@click.group("bank")
def bank_group() -> None:
    """Bank statements (MT940, camt.053): import, review, assign."""


@bank_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--accept-unbalanced", is_flag=True,
              help="Import statements whose stated balances do not add up with their "
                   "entries (or are in another currency, or missing in MT940) when the "
                   "bank confirms the file: audited, and every line of such a statement "
                   "goes to review instead of being paid automatically.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def bank_import(obj: CliContext, file: Path, accept_unbalanced: bool, as_json: bool) -> None:
    """Import a statement; credits naming a valid account number become payments.

    The file is validated whole and stored all or nothing. A statement whose balances do
    not add up (opening + entries != closing) is refused unless --accept-unbalanced is
    given; any other fault (an amount, a date, a currency) always refuses the file.
    """
    from ebs_desktop.domain.bankstatements import UnbalancedStatement
    from ebs_desktop.errors import ValidationError

    try:
        summary = obj.staff.bank.import_statement_file(
            file, accept_unbalanced=accept_unbalanced, task=line_progress(f"importing {file.name}"))
    except UnbalancedStatement as exc:
        raise ValidationError(f"{exc.reason} (if the bank confirms the file, import it with "
                              "--accept-unbalanced: every line then goes to review)",
                              location=exc.location) from None
    if as_json:
        echo_json(summary.to_json())
        return
    foreign = f", {summary.foreign} of them in another currency" if summary.foreign else ""
    click.echo(f"{file.name}: {count(summary.statements_new, 'new statement')}, "
               f"{summary.statements_seen:,} already imported; "
               f"{count(summary.lines_new, 'new line')} "
               f"({summary.matched:,} paid, {summary.review:,} to review{foreign}, "
               f"{count(summary.ignored, 'debit')}), {summary.lines_skipped:,} already "
               "imported")
    if summary.unbalanced:
        click.echo(f"{count(summary.unbalanced, 'statement')} imported although their balances do "
                   "not add up (audited): all their lines are to review")


@bank_group.command("review")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def bank_review(obj: CliContext, as_json: bool) -> None:
    """List the credits waiting for someone to assign them to an account, and why.

    Each amount is shown in its own currency; a line in another currency than the
    utility's is assigned with --amount (in the utility's currency) and --rate.
    """
    lines = obj.staff.bank.review_lines()
    if as_json:
        echo_json([line.to_json() for line in lines])
        return
    for line in lines:
        click.echo(f"{line.line_id:>6}  {line.booked_on}  {line.amount.currency} "
                   f"{line.amount!s:>14}  {line.reference[:60]}")
        if line.reason:
            click.echo(f"{'':>8}{'!' if line.foreign else '-'} {line.reason}")
    click.echo(f"{count(len(lines), 'line')} to review")


@bank_group.command("assign")
@click.argument("line", type=int)
@click.option("--account", required=True, help="Account number to credit.")
@click.option("--amount", default=None,
              help="A line in another currency: what it is worth in the utility's currency.")
@click.option("--rate", default=None,
              help="A line in another currency: utility currency per unit of the line's "
                   "(must agree with --amount within rounding).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def bank_assign(obj: CliContext, line: int, account: str, amount: str | None,
                rate: str | None, as_json: bool) -> None:
    """Post a review line as a payment to an account.

    A line in another currency than the utility's needs --amount and --rate, e.g. a
    KWD 45.500 credit for a utility in USD: --amount 148.03 --rate 3.2535.
    """
    result = obj.staff.bank.assign_line(line, account, amount=amount, rate=rate)
    if as_json:
        echo_json(result.to_json())
    else:
        click.echo(f"line {line}: receipt {result.receipt_number}, "
                   f"{result.amount.currency} {result.amount} on {result.account_number}, "
                   f"balance {result.balance}")


@bank_group.command("ignore")
@click.argument("line", type=int)
@click.option("--reason", required=True)
@click.pass_obj
def bank_ignore(obj: CliContext, line: int, reason: str) -> None:
    """Take a line off the review list without posting it."""
    obj.staff.bank.ignore_line(line, reason)
    click.echo(f"line {line} ignored")


commands = [bank_group]
