"""``ebs user``: add, passwd, list, disable, enable, roles."""

from __future__ import annotations

import getpass
import os

import click

from ebs_desktop.cli.context import CliContext, echo_json
from ebs_desktop.domain.permissions import ALL_ROLES


def _new_password(confirm: bool = True) -> str:
    env = os.environ.get("EBS_NEW_PASSWORD")
    if env is not None:
        return env
    first = getpass.getpass("New password: ")
    if confirm and getpass.getpass("Repeat password: ") != first:
        raise click.ClickException("passwords do not match")
    return first


@click.group("user")
def user_group() -> None:
    """Staff users and their roles (password from EBS_NEW_PASSWORD or a prompt)."""


@user_group.command("add")
@click.argument("username")
@click.option("--name", "full_name", default="", help="Full name.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(ALL_ROLES), help="Role (repeat for several).")
@click.pass_obj
def add(obj: CliContext, username: str, full_name: str, roles: tuple[str, ...]) -> None:
    """Add a user."""
    info = obj.staff.users.add_user(username, full_name, _new_password(), list(roles))
    click.echo(f"added {info.username} ({', '.join(info.roles)})")


@user_group.command("passwd")
@click.argument("username")
@click.pass_obj
def passwd(obj: CliContext, username: str) -> None:
    """Set a user's password (also unlocks them)."""
    obj.staff.users.set_password(username, _new_password())
    click.echo(f"password changed for {username}")


@user_group.command("disable")
@click.argument("username")
@click.pass_obj
def disable(obj: CliContext, username: str) -> None:
    """Disable a user (they can no longer sign in; their history stays)."""
    obj.staff.users.set_active(username, False)
    click.echo(f"disabled {username}")


@user_group.command("enable")
@click.argument("username")
@click.pass_obj
def enable(obj: CliContext, username: str) -> None:
    """Enable a user again and clear a lockout."""
    obj.staff.users.set_active(username, True)
    click.echo(f"enabled {username}")


@user_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_(obj: CliContext, as_json: bool) -> None:
    """List users with their roles and state."""
    rows = obj.staff.users.list_users()
    if as_json:
        echo_json([{"username": u.username, "full_name": u.full_name, "roles": list(u.roles),
                    "active": u.is_active, "locked": u.locked} for u in rows])
        return
    for u in rows:
        state = "active" if u.is_active else "disabled"
        if u.locked:
            state += ", locked"
        click.echo(f"{u.username:<16} {u.full_name:<28} {','.join(u.roles):<24} {state}")


commands = [user_group]
