"""The ``ebs`` command line: headless jobs over the same services as the desktop app.

Each area lives in its own module under ``ebs_desktop.cli`` and exposes ``commands``: a
list of click commands or groups added to the top-level group. Errors that a user can act
on are :class:`ebs_desktop.errors.EbsError`; they print one line and exit non-zero
(with ``--debug`` the traceback too).

Areas are imported when a command of theirs is asked for (``AREA_MODULES`` names each
area's top-level commands, and the groups of other areas it adds subcommands to, such as
``reports`` adding ``pdf`` to ``ebs bill``): importing all of them costs ~0.7 s, which every
``ebs readings import`` would pay, and so would every helper process a billing run or an
import starts (a spawned process imports the ``ebs`` script again). ``ebs --help`` loads
none of them: it lists the top-level commands from ``COMMAND_HELP``, a table of their
one-line help that ``tests/cli/test_cold_start.py`` holds equal to the commands' own.
(The benchmarks are not a command of the product: ``python -m tools.bench``.)
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Iterable
from typing import Any

import click

from ebs_desktop import __version__
from ebs_desktop.cli.errors import Failure, describe, report_error, usage_where

# Area modules and their top-level commands (plus any other area's group they add a
# subcommand to), in the order of ``ebs --help``.
AREA_MODULES: dict[str, tuple[str, ...]] = {
    "db": ("db",),
    "users": ("user",),
    "audit": ("audit",),
    "books": ("books",),
    "demo": ("demo",),
    "accounts": ("account",),
    "tariffs": ("bill-calc", "tariff"),
    "billing": ("bill-run", "bill"),
    "readings": ("readings",),
    "meters": ("meter", "hhu-sim", "hhu"),
    "counter": ("pay", "receipt", "shift"),
    "bank": ("bank",),
    "dunning": ("dunning",),
    "reports": ("report", "bill"),  # bill pdf
    "sms": ("sms",),
    "settings": ("settings",),
    "notify": ("notify",),
    "payments": ("payments",),
    "portal": ("portal",),
}

# The one-line help of each top-level command, as ``ebs --help`` lists it without
# importing any area: each is the first sentence of the command's own help (a test
# compares them), so change both together.
COMMAND_HELP: dict[str, str] = {
    "account": "Customer accounts.",
    "audit": "The tamper-evident audit log.",
    "bank": "Bank statements (MT940, camt.053): import, review, assign.",
    "bill": "Bills: show, cancel by credit note, rebill, export.",
    "bill-calc": "Print the lines and total of a bill without touching any account.",
    "bill-run": "Bill every due account for a period (idempotent, resumable after a crash).",
    "books": "The books: journals, cached balances, number series and the audit chain.",
    "db": "Database schema and connection.",
    "demo": "Create the demo utility: tariffs, users, customers, readings, bills, payments.",
    "dunning": "Collections: reminders, notices, holds, arrangements, disconnection orders.",
    "hhu": "Handheld meter-reading terminals on a serial or USB serial port.",
    "hhu-sim": "Play a handheld meter-reading terminal on a serial port "
               "(see docs/handheld-protocol.md).",
    "meter": "Read a meter directly: optical probe (IEC 62056-21) or P1 port (DSMR).",
    "notify": "Notifications: send what the outbox holds, show its backlog.",
    "payments": "Online payments: post received events, settle what a lost webhook left "
                "waiting, charge autopay.",
    "pay": "Post a payment into your open shift at the counter "
           "(the same --key never posts twice).",
    "portal": "The customer portal: serve it, invite customers, manage portal logins.",
    "readings": "Meter readings: inspect telegram and readout files, reading sheets, imports.",
    "receipt": "Receipts: reprint (marked DUPLICATE), print the queue, export.",
    "report": "Write the management report NAME for the days --from to --to into --out.",
    "settings": "Settings: list, get and set documented keys; secrets into the OS keyring.",
    "shift": "Shifts: open with a float, safe drop, blind close, Z-report.",
    "sms": "SMS messages: length and cost before a bulk send.",
    "tariff": "Tariffs: import from URDB, export as TOML.",
    "user": "Staff users and their roles (password from EBS_NEW_PASSWORD or a prompt).",
}


class EbsGroup(click.Group):
    """Top-level group that loads areas on demand and turns every error a user can cause
    into one clear line (see :mod:`ebs_desktop.cli.errors`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Whether the command asked for --json, known even when its own options do not parse.
        ctx.meta["ebs.json"] = "--json" in (args[:args.index("--")] if "--" in args else args)
        rest = super().parse_args(ctx, args)
        protected = getattr(ctx, "_protected_args", None) or []  # the command name (click 8)
        ctx.meta["ebs.args"] = [*protected, *rest]
        return rest

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_HELP)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands of ``ebs --help`` from the table, with their whole first sentence
        (no area is imported, and nothing is cut to "...")."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMAND_HELP[name]) for name in self.list_commands(ctx)])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        _load_areas([area for area, names in AREA_MODULES.items() if cmd_name in names])
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        ctx.meta["ebs.command_args"] = rest  # for _asks_for_help, before the callback
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort):
            raise
        except click.ClickException as exc:
            # A refused value (BadParameter) is one line like any other refusal; other
            # usage errors (a missing option, an unknown command) keep click's usage text.
            json_out = bool(ctx.meta.get("ebs.json"))
            if not json_out and not isinstance(exc, click.BadParameter):
                raise
            report_error(ctx, Failure(exc.format_message(), None, exc.exit_code),
                         _command_path(ctx), json_out=json_out, where=usage_where(exc))
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:
            if ctx.meta.get("ebs.debug"):
                raise
            failure = describe(exc)
            report_error(ctx, failure, _command_path(ctx), json_out=bool(ctx.meta.get("ebs.json")))
            ctx.exit(failure.exit_code)


@click.group(cls=EbsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ebs")
@click.option("--db", "db_url", envvar="EBS_DATABASE_URL", default=None,
              help="Database URL (default: the SQLite file in the user data folder).")
@click.option("--user", "username", envvar="EBS_USER", default=None,
              help="Act as this user (password from EBS_PASSWORD or a prompt).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None, username: str | None, debug: bool) -> None:
    """EBS Desktop command line: database, users, billing, readings, counter and reports."""
    from ebs_desktop.cli.context import CliContext

    ctx.meta["ebs.debug"] = debug
    if not debug:
        # Libraries (mt940, pyserial...) log their own diagnostics; a command reports its
        # outcome in one line, so without --debug their records go nowhere (no "last
        # resort" printing of a parser's regular expressions on stderr).
        root = logging.getLogger()
        if not root.handlers:
            root.addHandler(logging.NullHandler())
    ctx.obj = CliContext(db_url=db_url, username=username, debug=debug)
    ctx.call_on_close(ctx.obj.close)
    if username and not _asks_for_help(ctx):
        ctx.obj.actor()  # sign in before any work: a wrong password stops every command


def _asks_for_help(ctx: click.Context) -> bool:
    """``ebs --user X pay --help`` (or ``ebs --user X db``) shows the help without asking
    for a password."""
    args: list[str] = ctx.meta.get("ebs.command_args", [])
    if any(arg in ("-h", "--help") for arg in args):
        return True
    name = ctx.invoked_subcommand
    sub = cli.get_command(ctx, name) if name else None
    return isinstance(sub, click.Group) and not args


def _command_path(ctx: click.Context) -> str:
    """``ebs pay``, ``ebs shift close``: the command that failed, from the arguments."""
    words = ["ebs"]
    command: click.Command | None = ctx.command
    for arg in ctx.meta.get("ebs.args", []):
        if not isinstance(command, click.Group) or arg.startswith("-"):
            break
        command = command.commands.get(arg)
        if command is None:
            break
        words.append(arg)
    return " ".join(words)


_loaded: set[str] = set()


def _load_areas(names: Iterable[str]) -> None:
    for name in names:
        if name in _loaded:
            continue
        _loaded.add(name)
        module = importlib.import_module(f"ebs_desktop.cli.{name}")
        for command in module.commands:
            cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="ebs", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
