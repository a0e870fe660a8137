"""``ebs readings``: look at telegram and readout files before anything is stored."""

from __future__ import annotations

from pathlib import Path

import click

from ebs_desktop.cli.meter_output import echo_readout
from ebs_desktop.devices.meters.inspect import inspect_file


@click.group("readings")
def readings_group() -> None:
    """Meter readings: inspect telegram and readout files."""


@readings_group.command("inspect")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the readout as JSON.")
def inspect_command(file: Path, as_json: bool) -> None:
    """Show what a P1 telegram or IEC 62056-21 readout FILE holds (CRC/BCC checked)."""
    echo_readout(inspect_file(file), as_json)


commands: list[click.Command] = [readings_group]
