"""``ebs payments sync``: ask the gateways about online payments a lost webhook never settled.

Acts as the system job ``job:webhooks`` (it only records what a gateway reports); whoever
starts it must be able to run ``ebs`` commands on this database at all. Gateways come from
the environment, as for the portal (``EBS_STRIPE_*``, ``EBS_MPESA_*``).
"""

from __future__ import annotations

from datetime import timedelta

import click

from ebs_desktop.cli.context import CliContext, echo_json


@click.group("payments")
def payments_group() -> None:
    """Online payments: post received events, settle what a lost webhook left waiting,
    charge autopay."""


@payments_group.command("sync")
@click.option("--older-than", "minutes", type=click.IntRange(1, 10_080), default=15,
              show_default=True, help="Ask about payments quiet for this many minutes.")
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
@click.pass_obj
def sync(obj: CliContext, minutes: int, as_json: bool) -> None:
    """Post the successes and record the failures of online payments whose webhook never
    came (run it every few minutes; running it twice changes nothing)."""
    from ebs_desktop.errors import ConfigError
    from ebs_desktop.portal.webhooks import gateways_from_environment
    from ebs_desktop.services.actor import Actor
    from ebs_desktop.services.facade import SystemServices

    obj.actor()
    gateways = gateways_from_environment()
    if not gateways:
        raise ConfigError("no payment gateway is configured: set EBS_STRIPE_API_KEY or "
                          "EBS_MPESA_CONSUMER_KEY (see the README, Online payments)")
    jobs = SystemServices(obj.database(), Actor.job("webhooks"))
    done = []
    for gateway in gateways.values():
        for result in jobs.sync_payments(gateway, older_than=timedelta(minutes=minutes)):
            done.append({"gateway": gateway.name, "outcome": result.outcome,
                         "receipt": result.receipt_number, "reason": result.reason})
    if as_json:
        echo_json({"settled": done})
        return
    if not done:
        click.echo("nothing waiting")
    for item in done:
        tail = f" {item['receipt']}" if item["receipt"] else ""
        why = f": {item['reason']}" if item["reason"] else ""
        click.echo(f"{item['gateway']}: {item['outcome']}{tail}{why}")


@payments_group.command("process")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_obj
def process(obj: CliContext, as_json: bool) -> None:
    """Post the gateway events the webhooks stored and no drainer has posted yet (the
    portal's own drainer does this as they come; run it after the portal was down, or
    from a scheduler; running it twice changes nothing)."""
    from ebs_desktop.services.actor import Actor
    from ebs_desktop.services.facade import SystemServices

    obj.actor()
    jobs = SystemServices(obj.database(), Actor.job("webhooks"))
    done = jobs.drain_payment_events()
    if as_json:
        echo_json({"events": done.events, "outcomes": done.outcomes})
        return
    if not done.events:
        click.echo("nothing received")
        return
    counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(done.outcomes.items()))
    click.echo(f"{done.events} events: {counts}")


@payments_group.command("autopay")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Charge bills due on or before this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_obj
def autopay(obj: CliContext, as_of: object, as_json: bool) -> None:
    """Charge the saved payment method of every account with autopay on, for its bills due
    (once per bill: running it twice, or on two machines, charges nothing more)."""
    from datetime import UTC, datetime

    from ebs_desktop.portal.webhooks import gateways_from_environment
    from ebs_desktop.services.actor import Actor
    from ebs_desktop.services.facade import SystemServices

    obj.actor()
    day = as_of.date() if isinstance(as_of, datetime) else datetime.now(UTC).date()
    jobs = SystemServices(obj.database(), Actor.job("scheduler"))
    run = jobs.run_autopay(gateways_from_environment(), as_of=day)
    if as_json:
        echo_json({"charged": run.charged, "already": run.already, "failed": run.failed,
                   "waiting": run.waiting, "problems": list(run.problems)})
        return
    click.echo(f"{run.charged} charged, {run.already} charged before, {run.failed} refused "
               f"(customers told), {run.waiting} waiting")
    for problem in run.problems:
        click.echo(f"problem: {problem}")


commands = [payments_group]
