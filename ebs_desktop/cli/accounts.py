"""``ebs account``: list, show and find accounts."""

from __future__ import annotations

import click

from ebs_desktop.cli.context import CliContext, echo_json
from ebs_desktop.cli.params import OFFSET, UTF8_TEXT
from ebs_desktop.domain.account_number import account_number_problem
from ebs_desktop.errors import NotFound


@click.group("account")
def account_group() -> None:
    """Customer accounts."""


@account_group.command("list")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--offset", default=0, type=OFFSET)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_(obj: CliContext, limit: int, offset: int, as_json: bool) -> None:
    """List accounts in account-number order."""
    rows = obj.staff.accounts.list_accounts(limit, offset)
    if as_json:
        echo_json([{"account_number": r.account_number, "name": r.name, "phone": r.phone,
                    "category": r.category, "status": r.status, "balance": str(r.balance)}
                   for r in rows])
        return
    for r in rows:
        click.echo(f"{r.account_number}  {r.name:<32.32} {r.category:<12} {r.balance!s:>12}")


@account_group.command("show")
@click.argument("account_number")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def show(obj: CliContext, account_number: str, as_json: bool) -> None:
    """Details and balance (what the customer owes; negative is credit)."""
    details = obj.staff.accounts.account_details(account_number)
    data = details.to_json()
    if as_json:
        echo_json(data)
        return
    for key, value in data.items():
        click.echo(f"{key:<18} {value}")


@account_group.command("find")
@click.argument("text", type=UTF8_TEXT)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def find(obj: CliContext, text: str, as_json: bool) -> None:
    """Find by account number, meter serial, phone, name prefix or scanned bill code
    (exit status 1 when nothing is found)."""
    rows = obj.staff.accounts.find_accounts(text)
    if not rows:
        # Exit 1 like grep: a script (or a person) can tell "nothing" from "something".
        problem = account_number_problem(text)
        raise NotFound(f"no account found for {text!r}" + (f": {problem}" if problem else ""))
    if as_json:
        echo_json([{"account_number": r.account_number, "name": r.name,
                    "balance": str(r.balance)} for r in rows])
        return
    for r in rows:
        click.echo(f"{r.account_number}  {r.name:<32.32} {r.phone or '':<16} {r.balance!s:>12}")


commands = [account_group]
