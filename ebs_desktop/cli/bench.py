"""``ebs bench``: the benchmarks behind docs/performance.md.

Each area adds its own subcommand to ``bench_group`` from its CLI module
(``@bench_group.command("billing")`` in cli/billing.py, and so on); ``ebs bench all``
(what ``make bench`` runs) invokes every one with its defaults, each on its own scratch
database, and prints the figures.
"""

from __future__ import annotations

import click


@click.group("bench")
def bench_group() -> None:
    """Benchmarks (each builds its own scratch database unless --db is given)."""


@bench_group.command("all")
@click.pass_context
def bench_all(ctx: click.Context) -> None:
    """Run every benchmark with its default size."""
    for name, command in sorted(bench_group.commands.items()):
        if name == "all":
            continue
        click.echo(f"== ebs bench {name}", err=True)
        ctx.invoke(command)


commands = [bench_group]
