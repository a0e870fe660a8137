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


@account_group.command("prefs")
@click.argument("account_number")
@click.option("--paperless/--paper", default=None,
              help="Bills by e-mail or SMS only, or on paper too.")
@click.option("--language", default=None, metavar="LANG",
              help="Language of the messages (en, fr; '' for the utility's).")
@click.option("--reminders/--no-reminders", default=None,
              help="Reminders before the due date (notices the law requires always go).")
@click.option("--channels", "channel_choices", multiple=True, metavar="KIND=CHANNELS",
              help="Channels of a kind: bill_issued=email,sms; reminder= (none); "
                   "bill_issued=default (back to the defaults). Repeatable.")
@click.option("--quiet-hours", "quiet", default=None, metavar="HH:MM-HH:MM",
              help="The customer's own SMS quiet hours, e.g. 22:00-07:00 ('' for none).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def prefs(obj: CliContext, account_number: str, paperless: bool | None,
          language: str | None, reminders: bool | None, channel_choices: tuple[str, ...],
          quiet: str | None, as_json: bool) -> None:
    """Delivery preferences and contact status; with options, change them (audited)."""
    from ebs_desktop.errors import ValidationError
    from ebs_desktop.services.account_prefs import PreferencesChange

    channels: dict[str, list[str] | None] = {}
    for choice in channel_choices:
        kind, sep, wanted = choice.partition("=")
        if not sep:
            raise ValidationError(f"{choice!r} is not KIND=CHANNELS (e.g. "
                                  "bill_issued=email,sms)", location="--channels")
        words = [w.strip() for w in wanted.split(",") if w.strip()]
        channels[kind.strip()] = None if words == ["default"] else words
    quiet_hours: tuple[str, str] | None = None
    if quiet is not None:
        start, sep, end = quiet.partition("-")
        if quiet.strip() and not sep:
            raise ValidationError(f"{quiet!r} is not HH:MM-HH:MM (e.g. 22:00-07:00)",
                                  location="--quiet-hours")
        quiet_hours = (start, end)
    if (paperless is None and language is None and reminders is None and not channels
            and quiet_hours is None):
        view = obj.staff.accounts.preferences(account_number)
    else:
        view = obj.staff.accounts.set_preferences(account_number, PreferencesChange(
            paperless=paperless, language=language, reminders=reminders, channels=channels,
            quiet_hours=quiet_hours))
    if as_json:
        echo_json(view.to_json())
        return
    click.echo(f"{'account':<18} {view.account_number}")
    click.echo(f"{'e-mail':<18} {view.email.address or '—'} ({view.email.text})")
    click.echo(f"{'phone':<18} {view.phone.address or '—'} ({view.phone.text})")
    click.echo(f"{'bills':<18} {'paperless' if view.paperless else 'on paper'}")
    language = view.language or "(the utility's)"
    click.echo(f"{'language':<18} {language}")
    click.echo(f"{'reminders':<18} {'yes' if view.reminders else 'no'}")
    quiet_text = "-".join(view.quiet_hours) if view.quiet_hours else "(the utility's only)"
    click.echo(f"{'SMS quiet hours':<18} {quiet_text}")
    for kind, routes in view.routes.items():
        own = "" if kind in view.chosen else " (default)"
        where = ", ".join(f"{c} {a}" for c, a in routes) or "nothing"
        click.echo(f"{kind:<18} {where}{own}")


commands = [account_group]
