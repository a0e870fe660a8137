"""``ebs pay``, ``ebs receipt ...`` and ``ebs shift ...``.

The counter is the CLI's ``--counter`` (or EBS_COUNTER), by default the first active
counter: the same choice as the desktop's (``staff.desk.counter_code``).
Counter work is a clerk's: ``ebs --user NAME shift open --float X`` opens the clerk's own
shift, and ``ebs pay`` posts into it; ``ebs pay`` never opens a shift (without one it
says how to open it), and the local operator (no ``--user``), who has no drawer, cannot
take counter payments. A payment above what the account owes needs ``--allow-credit``;
one above the ``payment_supervisor_limit`` setting needs ``--supervisor NAME``
(password from EBS_SUPERVISOR_PASSWORD or a prompt). Receipts go to the print queue and
are printed after commit on the counter's configured printer (``ebs receipt print``
retries). A supervisor closes another clerk's shift with ``ebs shift close
--force-reason TEXT`` and approves a shift closed over the threshold with ``ebs shift
approve SHIFT``.
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from ebs_desktop.cli.context import CliContext, echo_json, line_progress
from ebs_desktop.cli.params import AMOUNT, CASH_COUNT, OUTPUT_FILE, ROW_ID, money_of
from ebs_desktop.cli.text import count
from ebs_desktop.domain.cash import CardTender, CashTender, ChequeTender, Tender, TransferTender
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ConflictError, PermissionDenied, ValidationError
from ebs_desktop.services.facade import StaffServices


def _counter(staff: StaffServices, code: str | None) -> str:
    """The counter named (it must exist), else the first active one."""
    return staff.desk.counter_code(code)


def _currency(staff: StaffServices) -> str:
    return staff.settings.current().currency


def _money(value: Decimal, currency: str, field: str) -> Money:
    return money_of(value, currency, field)


def _supervisor(name: str | None) -> tuple[str, str] | None:
    """(name, password) of a supervisor named on the command line, password from
    EBS_SUPERVISOR_PASSWORD or a prompt."""
    import getpass

    if not name:
        return None
    password = os.environ.get("EBS_SUPERVISOR_PASSWORD") or getpass.getpass(
        f"Password for {name}: ")
    return name, password


counter_option = click.option("--counter", "counter_code", envvar="EBS_COUNTER", default=None,
                              help="Counter code (default: EBS_COUNTER or the first counter).")


@click.command("pay")
@click.option("--account", required=True, help="Account number.")
@click.option("--amount", required=True, type=AMOUNT, help="Amount paid, e.g. 45.50.")
@click.option("--tender", type=click.Choice(["cash", "card", "cheque", "transfer"]),
              default="cash", show_default=True)
@click.option("--key", default=None, help="Idempotency key (default: a new one).")
@click.option("--tendered", default=None, type=AMOUNT,
              help="Cash handed over (change is given).")
@click.option("--card-scheme", default="VISA", show_default=True)
@click.option("--card-last4", default=None)
@click.option("--approval", "approval_code", default=None, help="Terminal approval code.")
@click.option("--cheque-number", default=None)
@click.option("--cheque-bank", default=None)
@click.option("--cheque-date", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--reference", default=None, help="Transfer reference.")
@click.option("--bill", "bills", multiple=True, type=ROW_ID, help="Pay this bill id first.")
@click.option("--allow-credit", is_flag=True,
              help="Take more than the account owes; the rest stays as credit.")
@click.option("--supervisor", default=None,
              help="Supervisor approving a payment above the per-payment limit "
                   "(password: EBS_SUPERVISOR_PASSWORD or a prompt).")
@counter_option
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def pay(obj: CliContext, account: str, amount: Decimal, tender: str, key: str | None,
        tendered: Decimal | None, card_scheme: str, card_last4: str | None,
        approval_code: str | None, cheque_number: str | None, cheque_bank: str | None,
        cheque_date: object, reference: str | None, bills: tuple[int, ...],
        allow_credit: bool, supervisor: str | None, counter_code: str | None,
        as_json: bool) -> None:
    """Post a payment into your open shift at the counter (the same --key never posts
    twice)."""
    from datetime import datetime

    from ebs_desktop.services.counter import (
        CreditNotConfirmed,
        SupervisorRequired,
    )

    staff = obj.staff
    actor = staff.principal
    code = _counter(staff, counter_code)
    cur = _currency(staff)
    value = _money(amount, cur, "--amount")
    t: Tender
    if tender == "cash":
        t = CashTender(_money(tendered, cur, "--tendered") if tendered is not None else value)
    elif tender == "card":
        t = CardTender(value, card_scheme, card_last4 or "", approval_code or "")
    elif tender == "cheque":
        day = cheque_date.date() if isinstance(cheque_date, datetime) else date.today()
        t = ChequeTender(value, cheque_number or "", cheque_bank or "", day)
    else:
        t = TransferTender(value, reference or "")
    if actor.user_id is None:
        raise ValidationError("a counter payment goes into the clerk's own shift: sign in "
                              "as the clerk (--user NAME or EBS_USER)", location="--user")
    if staff.desk.open_shift_at(code) is None:
        raise ConflictError(f"no open shift at counter {code}: open yours first with "
                            f"`ebs --user {actor.username} shift open --counter {code} "
                            "--float AMOUNT`")
    try:
        result = staff.counter.post_payment(code, account, [t], key or uuid.uuid4().hex, bills,
                                            amount=value, allow_credit=allow_credit,
                                            supervisor=_supervisor(supervisor))
    except CreditNotConfirmed as exc:
        raise ValidationError(f"account {exc.account} owes {exc.owed}; {exc.amount} would "
                              f"leave {exc.credit} on it as credit: pass --allow-credit to "
                              "take it", location="--amount") from None
    except SupervisorRequired as exc:
        raise PermissionDenied(f"{exc}: name the supervisor with --supervisor NAME "
                               "(password from EBS_SUPERVISOR_PASSWORD or a prompt)") from None
    _print_queue(staff)
    if as_json:
        echo_json(result.to_json())
    else:
        click.echo(f"receipt {result.receipt_number}: {result.amount} paid on "
                   f"{result.account_number}; change {result.change}; balance {result.balance}"
                   + (" (already posted)" if result.replayed else ""))


def _print_queue(staff: StaffServices) -> None:
    """Print what the queue holds; a failing printer only leaves jobs queued."""
    outcome = staff.desk.print_queue()
    for error in outcome.errors:
        click.echo(f"warning: not printed, still queued: {error}", err=True)


@click.group("receipt")
def receipt_group() -> None:
    """Receipts: reprint (marked DUPLICATE), print the queue, export."""


@receipt_group.command("reprint")
@click.argument("number")
@click.pass_obj
def receipt_reprint(obj: CliContext, number: str) -> None:
    """Queue and print a DUPLICATE of a receipt."""
    staff = obj.staff
    job_id, count = staff.counter.reprint(number)
    _print_queue(staff)
    click.echo(f"receipt {number}: duplicate {count} queued (job {job_id})")


@receipt_group.command("print")
@click.pass_obj
def receipt_print(obj: CliContext) -> None:
    """Retry every queued receipt on its printer."""
    outcome = obj.staff.counter.retry_queue()
    for error in outcome.errors:
        click.echo(f"warning: {error}", err=True)
    click.echo(f"printed {outcome.printed}, failed {outcome.failed}")


@receipt_group.command("show")
@click.argument("number")
@click.option("--width", type=click.Choice(["32", "48"]), default="48")
@click.pass_obj
def receipt_show(obj: CliContext, number: str, width: str) -> None:
    """Show a receipt as it prints."""
    click.echo(obj.staff.counter.receipt_text(number, int(width)), nl=False)


@receipt_group.command("export")
@click.option("--from", "date_from", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "date_to", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--out", required=True, type=OUTPUT_FILE)
@click.pass_obj
def receipt_export(obj: CliContext, date_from: object, date_to: object, out: Path) -> None:
    """Write the receipts issued in a date range to CSV."""
    from datetime import datetime

    assert isinstance(date_from, datetime) and isinstance(date_to, datetime)
    n = obj.staff.counter.export_receipts(date_from.date(), date_to.date(), out,
                                          task=line_progress(f"writing {out.name}"))
    click.echo(f"{count(n, 'receipt')} written to {out}")


@click.group("shift")
def shift_group() -> None:
    """Shifts: open with a float, safe drop, blind close, Z-report."""


@shift_group.command("open")
@click.option("--float", "opening_float", default="0", show_default=True, type=AMOUNT)
@counter_option
@click.pass_obj
def shift_open(obj: CliContext, opening_float: Decimal, counter_code: str | None) -> None:
    """Open your own shift at the counter (sign in as the clerk: --user NAME)."""
    staff = obj.staff
    code = _counter(staff, counter_code)
    info = staff.counter.open_shift(code, _money(opening_float, _currency(staff), "--float"))
    click.echo(f"shift {info.shift_id} open at {info.counter} for {info.clerk}, "
               f"float {info.opening_float}")


@shift_group.command("drop")
@click.option("--amount", required=True, type=AMOUNT)
@counter_option
@click.pass_obj
def shift_drop(obj: CliContext, amount: Decimal, counter_code: str | None) -> None:
    """Record a safe drop (cash taken from the drawer to the safe)."""
    staff = obj.staff
    drop = staff.counter.safe_drop(_counter(staff, counter_code),
                                   _money(amount, _currency(staff), "--amount"))
    click.echo(f"safe drop {drop} of {amount} recorded")


def _parse_counts(counts: tuple[tuple[Decimal, int], ...]) -> dict[str | Decimal, int]:
    out: dict[str | Decimal, int] = {}
    for value, pieces in counts:
        out[value] = out.get(value, 0) + pieces
    return out


@shift_group.command("close")
@click.option("--count", "counts", multiple=True, type=CASH_COUNT,
              help="Cash count VALUE=PIECES, e.g. 20=3.")
@click.option("--card", default="0", type=AMOUNT, help="Total of card slips.")
@click.option("--cheque", default="0", type=AMOUNT, help="Total of cheques.")
@click.option("--transfer", default="0", type=AMOUNT, help="Total of transfer confirmations.")
@click.option("--supervisor", default=None,
              help="Supervisor approving a difference (password: EBS_SUPERVISOR_PASSWORD).")
@click.option("--force-reason", default=None,
              help="Supervisor only: close another clerk's shift, for this reason "
                   "(shown on the Z-report).")
@counter_option
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def shift_close(obj: CliContext, counts: tuple[tuple[Decimal, int], ...], card: Decimal,
                cheque: Decimal, transfer: Decimal, supervisor: str | None,
                force_reason: str | None, counter_code: str | None, as_json: bool) -> None:
    """Close your shift with a blind count; the expected amounts are shown only afterwards."""
    staff = obj.staff
    cur = _currency(staff)
    result = staff.counter.close_shift(_counter(staff, counter_code), _parse_counts(counts),
                                       {"card": _money(card, cur, "--card"),
                                        "cheque": _money(cheque, cur, "--cheque"),
                                        "transfer": _money(transfer, cur, "--transfer")},
                                       supervisor=_supervisor(supervisor),
                                       force_reason=force_reason)
    if as_json:
        echo_json({"shift": result.shift_id, "z_report": result.z_report_id,
                   "needs_approval": result.needs_approval, "approved_by": result.approved_by,
                   "tenders": {d.kind: {"expected": str(d.expected), "counted": str(d.counted),
                                        "over_short": str(d.difference)}
                               for d in result.differences}})
        return
    for d in result.differences:
        click.echo(f"{d.kind:9} expected {d.expected}  counted {d.counted}  "
                   f"over/short {d.difference}")
    if result.needs_approval and not result.approved_by:
        click.echo(f"difference above the threshold: shift {result.shift_id} needs a "
                   f"supervisor's approval (ebs shift approve {result.shift_id}); no new "
                   "shift opens at this counter until then", err=True)
    click.echo(f"shift {result.shift_id} closed; Z-report {result.z_report_id}")


@shift_group.command("approve")
@click.argument("shift_id", type=int)
@click.option("--supervisor", default=None,
              help="Supervisor signing off (password: EBS_SUPERVISOR_PASSWORD or a prompt); "
                   "default: the signed-in user (--user), who must be a supervisor.")
@click.pass_obj
def shift_approve(obj: CliContext, shift_id: int, supervisor: str | None) -> None:
    """Approve a shift closed with a difference above the threshold (frees its counter)."""
    sup = _supervisor(supervisor)
    obj.staff.counter.approve_shift(shift_id, *(sup or (None, None)))
    click.echo(f"shift {shift_id} approved by {sup[0] if sup else obj.actor().username}")


@shift_group.command("report")
@click.option("--shift", "shift_id", type=ROW_ID, default=None, help="Z-report of this shift.")
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Store and show the day's Z-report.")
@click.option("--print", "to_printer", is_flag=True, help="Print on the counter's printer.")
@counter_option
@click.pass_obj
def shift_report(obj: CliContext, shift_id: int | None, day: object, to_printer: bool,
                 counter_code: str | None) -> None:
    """Show (and optionally print) a stored Z-report: a shift's, the last one, or a day's."""
    from datetime import datetime

    from ebs_desktop.devices.receipts import as_text, layout_z_report

    staff = obj.staff
    if isinstance(day, datetime):
        z_id = staff.counter.store_day_report(day.date())
    elif shift_id is not None:
        z_id = staff.desk.z_report_id(shift_id=shift_id)
    else:
        z_id = staff.desk.z_report_id(counter=_counter(staff, counter_code))
    doc = staff.counter.load_z_report(z_id)
    click.echo(as_text(layout_z_report(doc, 48), 48), nl=False)
    if to_printer:
        printer, options = staff.desk.counter_printer(_counter(staff, counter_code))
        staff.counter.print_z_report(z_id, printer, options)


commands = [pay, receipt_group, shift_group]
