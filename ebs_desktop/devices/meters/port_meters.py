"""Which meter hangs on which serial port of this PC: a P1 cable, a fixed optical head.

Why: many P1 telegrams name no meter (Luxembourg Smarty, E.ON Hungary, Sagemcom T210-D,
Swedish Kamstrup), yet a reading must go to one meter. Whoever wires a port to a meter
says so once (``ebs meter port set /dev/ttyUSB0 E0012345``); ``ebs meter read`` and the
reading screen then take that meter for readouts that name none, and refuse a readout that
names another one (:meth:`MeterReadout.for_meter`). ``ebs meter read --meter SERIAL``
names it for one read.

Kept per PC, not in the shared database: a port name means something only on its own PC.
The file is ``meter-ports.toml`` in the data folder, private (0600) like everything there::

    [ports]
    "/dev/ttyUSB0" = "E0012345"
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import tomli_w

from ebs_desktop import config
from ebs_desktop.devices.meters.readout import MeterReadout
from ebs_desktop.errors import ConfigError, ValidationError
from ebs_desktop.private_files import create_private_file, private_data_dir

FILE_NAME = "meter-ports.toml"
MAX_SERIAL = 64


def port_meters_path() -> Path:
    return config.data_dir() / FILE_NAME


def port_meters() -> dict[str, str]:
    """Port -> meter serial, as configured on this PC (empty when nothing is)."""
    path = port_meters_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        ports = tomllib.loads(text).get("ports", {})
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not TOML: {exc}") from None
    if not isinstance(ports, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in ports.items()):
        raise ConfigError(f"{path}: [ports] must map port names to meter serials")
    return dict(ports)


def configured_meter(port: str) -> str | None:
    return port_meters().get(port.strip())


def check_serial(serial: str, where: str = "meter") -> str:
    serial = serial.strip()
    if not serial or len(serial) > MAX_SERIAL or not serial.isprintable():
        raise ValidationError(f"{serial[:80]!r}: a meter serial is 1 to {MAX_SERIAL} "
                              "printable characters", location=where)
    return serial


def set_port_meter(port: str, serial: str | None) -> None:
    """Say that ``serial`` hangs on ``port`` (``None``: forget the port)."""
    port = port.strip()
    if not port or not port.isprintable():
        raise ValidationError(f"{port!r} is not a port name", location="port")
    ports = port_meters()
    if serial is None:
        ports.pop(port, None)
    else:
        ports[port] = check_serial(serial)
    folder = private_data_dir()
    part = folder / (FILE_NAME + ".part")
    part.unlink(missing_ok=True)
    create_private_file(part)
    part.write_text(tomli_w.dumps({"ports": dict(sorted(ports.items()))}), encoding="utf-8")
    os.replace(part, folder / FILE_NAME)


def for_port(readout: MeterReadout, port: str, meter: str | None = None) -> MeterReadout:
    """``readout`` as a reading of the meter on ``port``: ``meter`` if given (``--meter``),
    else the port's configured meter, else whatever the readout names."""
    if meter is not None:
        return readout.for_meter(check_serial(meter, "--meter"), "--meter")
    return readout.for_meter(configured_meter(port), f"meter configured for port {port}")
