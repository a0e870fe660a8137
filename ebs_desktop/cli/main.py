"""The ``ebs`` command line: headless jobs over the same services as the desktop app.

Each area lives in its own module under ``ebs_desktop.cli`` and exposes ``commands``: a
list of click commands or groups added to the top-level group. Errors that a user can act
on are :class:`ebs_desktop.errors.EbsError`; they print one line and exit non-zero
(with ``--debug`` the traceback too).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from ebs_desktop import __version__
from ebs_desktop.errors import EbsError

# Area modules, in the order their commands appear in ``ebs --help``.
AREA_MODULES = (
    "db",
    "users",
    "audit",
    "demo",
    "accounts",
    "tariffs",
    "billing",
    "readings",
    "meters",
    "counter",
    "bank",
    "reports",
    "bench",
)


class EbsGroup(click.Group):
    """Top-level group that turns EbsError into one clear line and exit status 1."""

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


def _load_areas() -> None:
    for name in AREA_MODULES:
        module_name = f"ebs_desktop.cli.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # area not built yet
                continue
            raise
        for command in module.commands:
            cli.add_command(command)


_load_areas()


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="ebs", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
