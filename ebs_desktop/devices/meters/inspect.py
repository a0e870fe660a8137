"""What a telegram or readout file holds, before anything is stored (``ebs readings inspect``).

Detection is by content, not by file name: an IEC 62056-21 readout carries an STX data block,
a P1 telegram starts with ``/`` and has no STX.
"""

from __future__ import annotations

from pathlib import Path

from ebs_desktop.devices.meters.dsmr import parse_telegram
from ebs_desktop.devices.meters.iec62056_21 import STX, parse_readout
from ebs_desktop.devices.meters.readout import MeterReadout
from ebs_desktop.errors import ValidationError

MAX_FILE_BYTES = 1 << 20


def detect_kind(data: bytes) -> str:
    """``"iec62056-21"`` or ``"dsmr"``; anything else is refused."""
    if bytes([STX]) in data:
        return "iec62056-21"
    if data.lstrip(b" \t\r\n").startswith(b"/"):
        return "dsmr"
    raise ValidationError("neither a P1 telegram (starts with '/') nor an IEC 62056-21 "
                          "readout (STX data block)", location="1")


def inspect_bytes(data: bytes, source: str) -> MeterReadout:
    try:
        kind = detect_kind(data)
    except ValidationError as exc:
        raise ValidationError(str(exc).removeprefix("1: "), location=f"{source}:1") from None
    if kind == "iec62056-21":
        return parse_readout(data, source).to_readout()
    return parse_telegram(data, source).to_readout()


def inspect_file(path: Path | str) -> MeterReadout:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValidationError(f"file larger than {MAX_FILE_BYTES} bytes; not a meter readout",
                                  location=str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"cannot read: {exc.strerror}", location=str(path)) from exc
    return inspect_bytes(data, path.name)
