"""The ``ebs`` command line: headless jobs over the same services as the desktop app.

Each area lives in its own module under ``ebs_desktop.cli`` and exposes ``commands``: a
list of click commands or groups added to the top-level group. Errors that a user can act
on are :class:`ebs_desktop.errors.EbsError`; they print one line and exit non-zero
(with ``--debug`` the traceback too).

Areas are imported when a command of theirs is asked for (``AREA_MODULES`` names each
area's top-level commands): importing all of them costs ~0.7 s, which every
``ebs readings import`` would pay, and so would every helper process a billing run or an
import starts (a spawned process imports the ``ebs`` script again). ``ebs --help`` and
``ebs bench`` (whose subcommands come from every area) load them all.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from typing import Any

import click

from ebs_desktop import __version__
from ebs_desktop.errors import EbsError

# Area modules and their top-level commands, in the order of ``ebs --help``.
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
    "reports": ("report",),
    "bench": ("bench",),
}
_ALL_AREAS = ("bench",)  # commands that gather subcommands from every area


class EbsGroup(click.Group):
    """Top-level group that loads areas on demand and turns EbsError into one clear
    line and exit status 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        _load_areas(AREA_MODULES)
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _ALL_AREAS:
            _load_areas(AREA_MODULES)
        else:
            _load_areas([area for area, names in AREA_MODULES.items() if cmd_name in names])
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EbsError as exc:
            if ctx.meta.get("ebs.debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


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
    ctx.obj = CliContext(db_url=db_url, username=username, debug=debug)
    ctx.call_on_close(ctx.obj.close)


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
