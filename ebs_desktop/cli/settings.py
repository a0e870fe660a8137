"""``ebs settings``: the documented settings (business and delivery) and the secrets.

``list`` shows every key with its value (``*`` marks a value changed from the default),
``get KEY`` prints one value, ``set KEY VALUE`` checks and stores one (audited), ``secret
KEY`` puts a password or token in the OS keyring (typed twice at a prompt, or one line on
standard input), never in the database or a file. See
:mod:`ebs_desktop.services.notify_settings` for the keys.
"""

from __future__ import annotations

import sys

import click

from ebs_desktop.cli.context import CliContext, echo_json
from ebs_desktop.cli.params import UTF8_TEXT


@click.group("settings")
def settings_group() -> None:
    """Settings: list, get and set documented keys; secrets into the OS keyring."""


@settings_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_(obj: CliContext, as_json: bool) -> None:
    """Every documented key with its value and what it is for."""
    rows = obj.staff.settings.list_settings()
    if as_json:
        echo_json({r.key: r.value for r in rows})
        return
    width = max(len(r.key) for r in rows)
    group = None
    for r in rows:
        if r.group != group:
            group = r.group
            click.echo(f"[{group}]")
        mark = " " if r.is_default else "*"
        click.echo(f"{mark} {r.key:<{width}}  {r.text:<28}  {r.help}")
    from ebs_desktop.services.notify_settings import SECRET_KEYS

    click.echo("[secrets: in the OS keyring, 'ebs settings secret KEY']")
    for key, help_text in SECRET_KEYS.items():
        click.echo(f"  {key:<{width}}  {'(never shown)':<28}  {help_text}")


@settings_group.command("get")
@click.argument("key")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def get(obj: CliContext, key: str, as_json: bool) -> None:
    """Print the value of KEY (its default when never set)."""
    found = obj.staff.settings.get_setting(key)
    if as_json:
        echo_json({"key": found.key, "value": found.value, "default": found.default,
                   "help": found.help, "choices": list(found.choices)})
        return
    click.echo(found.text)


@settings_group.command("set")
@click.argument("key")
@click.argument("value", type=UTF8_TEXT)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def set_(obj: CliContext, key: str, value: str, as_json: bool) -> None:
    """Check VALUE for KEY and store it (audited); refused with the reason otherwise."""
    stored = obj.staff.settings.set_setting(key, value)
    if as_json:
        echo_json({"key": stored.key, "value": stored.value})
        return
    click.echo(f"{stored.key} = {stored.text}")


@settings_group.command("secret")
@click.argument("key")
@click.pass_obj
def secret(obj: CliContext, key: str) -> None:
    """Store the secret KEY (smtp.password, sms.token, sms.password) in the OS keyring:
    typed twice at a prompt, or one line on standard input."""
    from ebs_desktop.errors import ValidationError
    from ebs_desktop.services.notify_settings import SECRET_KEYS

    if key not in SECRET_KEYS:  # before asking for anything
        raise ValidationError(f"{key!r} is not a secret (the secrets: "
                              f"{', '.join(SECRET_KEYS)})", location="setting")
    if sys.stdin.isatty():
        value = click.prompt(f"{key}", hide_input=True, confirmation_prompt=True)
    else:
        value = sys.stdin.readline().rstrip("\r\n")
    obj.staff.settings.set_secret(key, value)
    click.echo(f"{key} stored in the OS keyring")


commands = [settings_group]
