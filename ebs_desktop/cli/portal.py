"""``ebs portal``: serve the customer portal; invitations and portal logins for staff."""

from __future__ import annotations

import getpass
import os

import click

from ebs_desktop.cli.context import CliContext, echo_json

DEFAULT_BASE = "http://127.0.0.1:8080"


@click.group("portal")
def portal() -> None:
    """The customer portal: serve it, invite customers, manage portal logins."""


@portal.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--base-url", envvar="EBS_PORTAL_BASE_URL", default=None,
              help="Where links in emails point (default: http://HOST:PORT).")
@click.option("--trusted-proxy", "trusted", multiple=True,
              help="An address whose X-Forwarded-For is believed (default 127.0.0.1).")
@click.option("--insecure-cookies", is_flag=True,
              help="Cookies without Secure, for plain HTTP on this machine (demo, tests).")
@click.pass_obj
def serve(obj: CliContext, host: str, port: int, workers: int, base_url: str | None,
          trusted: tuple[str, ...], insecure_cookies: bool) -> None:
    """Serve the customer portal with uvicorn (behind a TLS reverse proxy in production)."""
    import uvicorn

    from ebs_desktop.services.portal_auth import portal_secret

    obj.database()  # refuse a database without this program's schema before starting
    secret, source = portal_secret()
    os.environ.update({
        "EBS_DATABASE_URL": obj.url, "EBS_PORTAL_SECRET": secret.decode(),
        "EBS_PORTAL_BASE_URL": base_url or f"http://{host}:{port}",
        "EBS_PORTAL_INSECURE_COOKIES": "1" if insecure_cookies else "0",
        "EBS_PORTAL_TRUSTED_PROXIES": ",".join(trusted) or "127.0.0.1"})
    click.echo(f"portal on http://{host}:{port} ({workers} worker"
               f"{'s' if workers > 1 else ''}); form key from {source}", err=True)
    uvicorn.run("ebs_desktop.portal.serve:app_from_environment", factory=True, host=host,
                port=port, workers=workers, proxy_headers=False, server_header=False,
                log_level="warning", access_log=False)


@portal.command("invite")
@click.option("--account", required=True, help="The account number.")
@click.option("--email", required=True, help="Where the invitation goes.")
@click.option("--print", "print_only", is_flag=True,
              help="Print the link instead of emailing it.")
@click.option("--base-url", envvar="EBS_PORTAL_BASE_URL", default=DEFAULT_BASE,
              show_default=True, help="The portal's public address.")
def invite(account: str, email: str, print_only: bool, base_url: str) -> None:
    """A single-use registration link for an account (valid 7 days), emailed or printed."""
    obj: CliContext = click.get_current_context().obj
    link = obj.staff.portal.invite(account, email, base_url=base_url, send=not print_only)
    click.echo(link if print_only else f"invitation for {account} queued to {email}")


@portal.group("user")
def user() -> None:
    """Portal logins: add (assisted registration), lock, unlock, list."""


@user.command("add")
@click.option("--account", required=True)
@click.option("--email", required=True)
@click.pass_obj
def user_add(obj: CliContext, account: str, email: str) -> None:
    """Create a confirmed portal login for an account (password from EBS_PASSWORD or a prompt)."""
    password = os.environ.get("EBS_PASSWORD")
    if password is None:
        password = getpass.getpass(f"Portal password for {email}: ")
    obj.staff.portal.add_user(account, email, password)
    click.echo(f"portal login {email} holds account {account}")


@user.command("lock")
@click.argument("email")
@click.option("--reason", default="")
@click.pass_obj
def user_lock(obj: CliContext, email: str, reason: str) -> None:
    """Lock a portal login (its sessions end at once)."""
    obj.staff.portal.set_locked(email, True, reason)
    click.echo(f"portal login {email} locked")


@user.command("unlock")
@click.argument("email")
@click.pass_obj
def user_unlock(obj: CliContext, email: str) -> None:
    """Unlock a portal login (and clear its failed sign-ins)."""
    obj.staff.portal.set_locked(email, False)
    click.echo(f"portal login {email} unlocked")


@user.command("list")
@click.option("--account", default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def user_list(obj: CliContext, account: str | None, as_json: bool) -> None:
    """Portal logins, with their accounts."""
    rows = obj.staff.portal.list_logins(account)
    if as_json:
        echo_json([{"email": r.email, "verified": r.verified, "locked": r.locked,
                    "totp": r.totp, "accounts": list(r.accounts),
                    "last_login_at": r.last_login_at.isoformat() if r.last_login_at else None}
                   for r in rows])
        return
    for r in rows:
        state = "locked" if r.locked else ("confirmed" if r.verified else "unconfirmed")
        click.echo(f"{r.email:<40} {state:<12} {'TOTP' if r.totp else '    '} "
                   f"{', '.join(r.accounts)}")
    if not rows:
        click.echo("no portal logins")


commands = [portal]
