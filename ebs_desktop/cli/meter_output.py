"""How a meter readout is shown by ``ebs meter read`` and ``ebs readings inspect``."""

from __future__ import annotations

import json

import click

from ebs_desktop.devices.meters.readout import MeterReadout


def echo_readout(readout: MeterReadout, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(readout.to_json_dict(), indent=2))
        return
    when = readout.timestamp.isoformat() if readout.timestamp else "no meter time"
    meter = readout.meter_id or "not named (give --meter or set the port's meter)"
    click.echo(f"meter {meter} ({readout.protocol}), {when}")
    for code, value in readout.registers.items():
        unit = "kW" if code.split(".")[1] == "6" else "kWh"
        at = readout.register_times.get(code)
        suffix = f"  at {at.isoformat()}" if at else ""
        click.echo(f"  {code:<8} {format(value, 'f'):>14} {unit}{suffix}")
