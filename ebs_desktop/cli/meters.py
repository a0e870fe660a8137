"""``ebs meter read`` (optical port or P1 port), ``ebs meter port`` (which meter hangs on a
port of this PC) and ``ebs hhu-sim`` (handheld simulator).

Device I/O runs on the device worker thread with a deadline, so an unplugged probe or a
silent meter ends with one clear error line instead of a hanging command. A readout that
names no meter (many P1 telegrams) is taken as the port's meter: ``--meter SERIAL``, else
the one ``ebs meter port set`` configured; one naming another meter is refused.
"""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

import click

from ebs_desktop.cli.context import CliContext
from ebs_desktop.cli.meter_output import echo_readout
from ebs_desktop.cli.params import QUANTITY
from ebs_desktop.cli.text import count
from ebs_desktop.devices.handheld.simulator import HandheldSimulator, load_reading_script
from ebs_desktop.devices.meters.dsmr_port import read_p1_telegram
from ebs_desktop.devices.meters.iec_session import SIGN_ON_BAUD, read_iec_meter
from ebs_desktop.devices.meters.port_meters import for_port, port_meters, set_port_meter
from ebs_desktop.devices.meters.readout import MeterReadout
from ebs_desktop.devices.serial_port import ByteChannel, open_serial
from ebs_desktop.devices.worker import JobControl, device_worker


def store_readout(ctx: click.Context, readout: MeterReadout) -> None:
    """``--store``: save the registers as a reading of the meter the readout names."""
    obj: CliContext = ctx.obj
    source = "optical" if readout.protocol == "iec62056-21" else "p1"
    saved = obj.staff.readings.store_readout(readout, source)
    for s in saved:
        used = "" if s.consumption is None else f", {s.consumption} kWh since the last reading"
        click.echo(f"stored {s.meter_serial} {s.register} {s.read_on}: {s.status}{used}",
                   err=True)
        for warning in s.warnings:
            click.echo(f"  warning: {warning}", err=True)


@click.group("meter")
def meter_group() -> None:
    """Read a meter directly: optical probe (IEC 62056-21) or P1 port (DSMR)."""


@meter_group.command("read")
@click.option("--port", required=True, help="Serial port path or pyserial URL.")
@click.option("--protocol", required=True, type=click.Choice(["iec62056-21", "dsmr"]))
@click.option("--baud", type=int, default=None,
              help="IEC: highest speed to switch to (default 19200). DSMR: 115200 (8N1, "
                   "default) or 9600 (7E1, DSMR 2.2/3).")
@click.option("--address", default="", help="IEC device address sent in the sign-on.")
@click.option("--timeout", type=float, default=10.0, show_default=True,
              help="Seconds each step may take before the device counts as silent.")
@click.option("--meter", default=None, metavar="SERIAL",
              help="The meter on PORT, for telegrams that name none (default: the meter "
                   "'ebs meter port set' configured for PORT).")
@click.option("--json", "as_json", is_flag=True, help="Print the readout as JSON.")
@click.option("--store", is_flag=True, help="Save the registers as a reading of the meter.")
@click.pass_context
def read_command(ctx: click.Context, port: str, protocol: str, baud: int | None, address: str,
                 timeout: float, meter: str | None, as_json: bool, store: bool) -> None:
    """Read the registers of the meter on PORT."""
    def job(control: JobControl) -> MeterReadout:
        channel: ByteChannel
        if protocol == "iec62056-21":
            channel = open_serial(port, SIGN_ON_BAUD, bytesize=7, parity="E", timeout=0.1)
            try:
                return read_iec_meter(channel, port, address=address, max_baud=baud or 19200,
                                      timeout=timeout, progress=control.report,
                                      check_cancel=control.check).to_readout()
            finally:
                channel.close()
        rate = baud or 115200
        legacy = rate == 9600
        channel = open_serial(port, rate, bytesize=7 if legacy else 8,
                              parity="E" if legacy else "N", timeout=0.1)
        try:
            return read_p1_telegram(channel, port, timeout=timeout,
                                    check_cancel=control.check).to_readout()
        finally:
            channel.close()

    progress = None if as_json else (lambda message: click.echo(message, err=True))
    readout = device_worker().run(f"meter read on {port}", job, timeout=timeout * 8 + 5,
                                  progress=progress)
    readout = for_port(readout, port, meter)
    echo_readout(readout, as_json)
    if store:
        store_readout(ctx, readout)


@meter_group.group("port")
def port_group() -> None:
    """Which meter hangs on which serial port of this PC (kept in the data folder)."""


@port_group.command("set")
@click.argument("port")
@click.argument("serial")
def port_set(port: str, serial: str) -> None:
    """Say that meter SERIAL is on PORT: readouts from PORT that name no meter are its."""
    set_port_meter(port, serial)
    click.echo(f"{port}: meter {serial.strip()}")


@port_group.command("clear")
@click.argument("port")
def port_clear(port: str) -> None:
    """Forget the meter configured for PORT."""
    set_port_meter(port, None)
    click.echo(f"{port}: no meter configured")


@port_group.command("list")
@click.option("--json", "as_json", is_flag=True)
def port_list(as_json: bool) -> None:
    """The ports of this PC with their configured meters."""
    from ebs_desktop.cli.context import echo_json

    ports = port_meters()
    if as_json:
        echo_json(ports)
        return
    for port, serial in sorted(ports.items()):
        click.echo(f"{port}\t{serial}")
    if not ports:
        click.echo("no port has a configured meter ('ebs meter port set PORT SERIAL')")


@click.command("hhu-sim")
@click.option("--port", default=None, help="Serial port the simulator answers on.")
@click.option("--pty", "use_pty", is_flag=True,
              help="Create a pseudo-terminal and print its path for the host to open.")
@click.option("--baud", type=int, default=115200, show_default=True)
@click.option("--readings-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV meter_serial,register,value[,reading_code]: what the reader keys in.")
@click.option("--consumption", default="100", show_default=True, type=QUANTITY,
              help="kWh added to the previous reading for meters not in the readings file.")
@click.option("--reader", default="SIM", show_default=True, help="Reader name on readings.")
@click.option("--device-id", default="HHU-SIM-1", show_default=True)
@click.option("--idle-exit", type=float, default=None,
              help="Stop after this many seconds without a request (default: run until Ctrl-C).")
def hhu_sim(port: str | None, use_pty: bool, baud: int, readings_file: Path | None,
            consumption: Decimal, reader: str, device_id: str, idle_exit: float | None) -> None:
    """Play a handheld meter-reading terminal on a serial port (see docs/handheld-protocol.md)."""
    if (port is None) == (not use_pty):
        raise click.UsageError("give exactly one of --port PATH or --pty")
    extra = consumption
    script = load_reading_script(readings_file) if readings_file else {}
    simulator = HandheldSimulator(device_id=device_id, reader=reader, consumption=extra,
                                  script=script)
    channel: ByteChannel
    if use_pty:
        from ebs_desktop.devices.pty_channel import PtyMaster

        master = PtyMaster()
        channel, name = master, master.slave_path
    else:
        name = str(port)
        channel = open_serial(name, baud, timeout=0.1)
    click.echo(f"handheld simulator {device_id} on {name} (Ctrl-C to stop)")
    stop = threading.Event()
    try:
        outcome = simulator.serve(channel, name, stop=stop, idle_timeout=idle_exit)
    except KeyboardInterrupt:
        outcome = "stopped"
    finally:
        channel.close()
    click.echo(f"{outcome}: route {simulator.route_id or '-'} with "
               f"{count(len(simulator.route), 'meter')}, "
               f"{count(len(simulator.readings), 'reading')}, {simulator.uploaded:,} uploaded")


@click.group("hhu")
def hhu_group() -> None:
    """Handheld meter-reading terminals on a serial or USB serial port."""


@hhu_group.command("sync")
@click.option("--port", required=True, help="Serial port of the handheld (or its cradle).")
@click.option("--route", required=True, help="Route code to send to the device.")
@click.option("--baud", type=int, default=115200, show_default=True)
@click.option("--timeout", type=float, default=1.0, show_default=True,
              help="Seconds to wait for each answer before sending again.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def hhu_sync(obj: CliContext, port: str, route: str, baud: int, timeout: float,
             as_json: bool) -> None:
    """Upload the readings a handheld holds, download ROUTE to it, upload again, store all."""
    from ebs_desktop.cli.context import echo_json
    from ebs_desktop.services.readings import SyncResult

    staff = obj.staff

    def job(control: JobControl) -> SyncResult:
        channel = open_serial(port, baud, timeout=0.1)
        try:
            return staff.readings.sync_handheld(channel, port, route, timeout=timeout,
                                                progress=control.report)
        finally:
            channel.close()

    progress = None if as_json else (lambda message: click.echo(message, err=True))
    result = device_worker().run(f"handheld sync on {port}", job, timeout=3600,
                                 progress=progress)
    if as_json:
        echo_json({"route": result.route, "downloaded": result.downloaded,
                   "uploaded": result.uploaded, "stored": result.stored,
                   "duplicates": result.duplicates, "problems": list(result.problems)})
        return
    for problem in result.problems:
        click.echo(f"not stored: {problem}", err=True)
    click.echo(f"route {result.route}: {count(result.downloaded, 'item')} sent, "
               f"{count(result.uploaded, 'reading')} received, {result.stored:,} stored, "
               f"{result.duplicates:,} already held")


commands: list[click.Command] = [meter_group, hhu_sim, hhu_group]
