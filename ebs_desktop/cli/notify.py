"""``ebs notify run|status``: drain the notification outbox, and see what waits or failed.

The sender acts as the system job ``job:notifier`` (it only sends what the outbox holds);
whoever starts it must be able to run ``ebs`` commands on this database at all (the local
operator, or a signed-in user).
"""

from __future__ import annotations

import click

from ebs_desktop.cli.context import CliContext, echo_json


@click.group("notify")
def notify_group() -> None:
    """Notifications: send what the outbox holds, show its backlog."""


def _jobs(obj: CliContext):  # type: ignore[no-untyped-def]
    from ebs_desktop.services.actor import Actor
    from ebs_desktop.services.facade import SystemServices

    obj.actor()  # signs in (or is the local operator) before anything is sent
    return SystemServices(obj.database(), Actor.job("notifier"))


@notify_group.command("run")
@click.option("--once", is_flag=True,
              help="Send what is due now and stop (default: keep polling until Ctrl+C).")
@click.option("--workers", type=int, default=1, show_default=True,
              help="Sending loops, each with its own server connection.")
@click.option("--channel", type=click.Choice(["email", "sms"]), default=None,
              help="Only this channel (default: every configured one).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def run(obj: CliContext, once: bool, workers: int, channel: str | None,
        as_json: bool) -> None:
    """Send the messages of the outbox (email over SMTP, SMS through the provider), with
    retries, until nothing is due (--once) or until interrupted."""
    import threading

    jobs = _jobs(obj)
    stop = threading.Event()
    try:
        summary = jobs.send_notifications(once=once, workers=workers, channel=channel,
                                          stop=stop)
    except KeyboardInterrupt:
        stop.set()
        raise SystemExit(130) from None
    if as_json:
        echo_json(summary.to_json())
    else:
        click.echo(", ".join(f"{v} {k}" for k, v in summary.to_json().items()))


@notify_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_obj
def status(obj: CliContext, as_json: bool) -> None:
    """The outbox by channel and state, the oldest waiting message and the failures."""
    found = _jobs(obj).outbox_status()
    if as_json:
        echo_json(found.to_json())
        return
    click.echo("  ".join(f"{state}: {n}" for state, n in found.counts.items()))
    for chan, counts in found.by_channel.items():
        click.echo(f"{chan:6} " + "  ".join(f"{state}: {n}" for state, n in counts.items()))
    if found.oldest_waiting is not None:
        click.echo(f"oldest waiting since {found.oldest_waiting:%Y-%m-%d %H:%M} UTC")
    for i, chan, kind, to, error in found.failures:
        click.echo(f"failed #{i} {chan} {kind} to {to}: {error}")


commands = [notify_group]
