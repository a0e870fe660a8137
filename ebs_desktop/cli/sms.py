"""``ebs sms estimate``: the length and cost of the SMS messages waiting to be sent.

The work is in :mod:`ebs_desktop.services.notify.sms` (through ``staff.sms``); this module
parses options and prints.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import click

from ebs_desktop.cli.context import CliContext, echo_json

KINDS = ("bill_issued", "payment_posted", "payment_reversed", "reminder", "overdue_notice",
         "final_notice", "disconnection_notice", "reconnection", "account_problem",
         "high_usage")


@click.group("sms")
def sms_group() -> None:
    """SMS messages: length and cost before a bulk send."""


def _price(ctx: click.Context, param: click.Parameter, value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        price = Decimal(value)
    except InvalidOperation:
        raise click.BadParameter(f"{value!r} is not a price (e.g. 0.05)") from None
    if not price.is_finite() or price < 0:
        raise click.BadParameter(f"{value!r}: a price per segment is zero or more")
    return price


@sms_group.command("estimate")
@click.option("--kind", type=click.Choice(KINDS), default=None,
              help="Only messages of this kind (default: every kind).")
@click.option("--price", callback=_price, default=None, metavar="AMOUNT",
              help="Price of one segment (default: the sms.segment_price setting).")
@click.option("--json", "as_json", is_flag=True, help="Print the estimate as JSON.")
@click.pass_obj
def estimate(obj: CliContext, kind: str | None, price: Decimal | None, as_json: bool) -> None:
    """Count the segments (GSM-7 or UCS-2) and cost of the SMS messages waiting in the
    outbox, rendered as they will be sent."""
    result = obj.staff.sms.estimate(kind=kind, price=price)
    if as_json:
        echo_json({
            "kind": result.kind, "messages": result.messages, "segments": result.segments,
            "gsm7": result.gsm7, "ucs2": result.ucs2,
            "by_segments": {str(n): m for n, m in result.by_segments},
            "longest_units": result.longest_units,
            "forcing_ucs2": dict(result.forcing_ucs2),
            "price_per_segment": None if result.price_per_segment is None
            else str(result.price_per_segment),
            "cost": None if result.cost is None else str(result.cost),
            "currency": None if result.cost is None else result.cost.currency,
            "unrenderable": result.unrenderable, "first_problem": result.first_problem,
        })
        return
    what = f"{result.kind} messages" if result.kind else "messages"
    click.echo(f"{result.messages} SMS {what} waiting: {result.segments} segments "
               f"({result.gsm7} in GSM-7, {result.ucs2} in UCS-2)")
    for segments, messages in result.by_segments:
        click.echo(f"  {messages} of {segments} segment{'s' if segments != 1 else ''}")
    if result.forcing_ucs2:
        shown = ", ".join(f"{ch!r} ({n})" for ch, n in result.forcing_ucs2)
        click.echo(f"characters outside GSM-7 (each sends its texts as UCS-2): {shown}")
    if result.cost is None:
        click.echo("cost: no price per segment (set sms.segment_price or give --price)")
    else:
        click.echo(f"cost: {result.cost} {result.cost.currency} "
                   f"at {result.price_per_segment} per segment")
    if result.unrenderable:
        click.echo(f"{result.unrenderable} message(s) cannot be rendered and would fail: "
                   f"{result.first_problem}", err=True)


commands: list[click.Command] = [sms_group]
