"""DSMR P1 telegrams and their relatives (Dutch DSMR 2.2 to 5, Belgian e-MUCS, Luxembourg
Smarty, E.ON Hungary, Sagemcom T210-D, Swedish and Irish P1, EasyMeter Q3D).

A telegram is ``/`` identification, a blank line, OBIS lines, then ``!`` and (from DSMR 4)
a CRC-16/ARC over everything from ``/`` to ``!`` inclusive, as hex digits (four, or fewer
when a meter leaves the leading zeros out). What every variant dsmr_parser reads is read
here: the energy registers ``1-0:1.8.x``/``2.8.x`` in kWh (from kWh, Wh or MWh), the meter
clock, and the meter's id where the telegram gives one.

The meter: ``0-0:96.1.1`` (equipment identifier, hex-encoded ASCII from DSMR 3 on) or, on an
EasyMeter Q3D, ``0-0:96.1.255`` (its serial; ``1-0:0.0.0``, the property number, is kept as
another id). Many telegrams name no meter at all; ``meter_id`` is then ``None`` and the
meter comes from the port (see :meth:`MeterReadout.for_meter`).

What a serial port delivers is read like dsmr_parser's stream buffer does: a telegram cut
short by a new ``/`` line is dropped, and bytes after the end line that hold no OBIS data
and no new telegram (the Q3D sends a counter and filler bytes) are noise, not an error.

Time: ``0-0:1.0.0(YYMMDDhhmmssX)`` is the meter's local wall clock, X = ``S`` (summer, DST)
or ``W`` (winter). We keep the naive local value and the flag, and build an aware timestamp
from the flag: the countries of these meters keep CET/CEST, so S means UTC+02:00 and W
UTC+01:00. That is exact even in the repeated autumn hour, where the zone database alone
could not tell the two 02:30s apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from ebs_desktop.devices.crc16 import crc16_arc
from ebs_desktop.devices.meters.obis_lines import decode_ascii, parse_quantity, split_groups
from ebs_desktop.devices.meters.readout import MeterReadout
from ebs_desktop.errors import ValidationError

_LINE = re.compile(r"(\d+)-(\d+):(\d+)\.(\d+)\.(\d+)(?:\*(\d+))?(\(.*)")
_TIME = re.compile(r"(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([SW])")
_ENERGY = re.compile(r"[12]\.8\.\d+")
_OBIS_DATA = re.compile(rb"\d+-\d+:\d+\.\d+\.\d+")
_CET = timezone(timedelta(hours=1), "CET")
_CEST = timezone(timedelta(hours=2), "CEST")
_ID_FIELDS = ("0-0:96.1.1", "0-0:96.1.255")  # equipment id; EasyMeter Q3D serial
_OTHER_ID_FIELDS = ("1-0:0.0.0",)  # EasyMeter Q3D property number


@dataclass(frozen=True)
class DsmrTelegram:
    header: str
    meter_id: str | None
    local_time: datetime | None
    summer_time: bool | None
    timestamp: datetime | None
    zone: str
    version: str | None
    registers: dict[str, Decimal]
    crc: int | None
    other_ids: tuple[str, ...] = ()

    def to_readout(self) -> MeterReadout:
        return MeterReadout("dsmr", self.meter_id, self.timestamp, dict(self.registers),
                            other_ids=self.other_ids)


def find_end(buffer: bytes) -> int | None:
    """Length of the first complete telegram in ``buffer`` (for stream readers), or None."""
    start = buffer.find(b"/")
    if start < 0:
        return None
    bang = buffer.find(b"!", start)
    if bang < 0:
        return None
    newline = buffer.find(b"\n", bang)
    return None if newline < 0 else newline + 1


def parse_telegram(data: bytes, source: str = "<telegram>") -> DsmrTelegram:
    """Check and decode one telegram; every refusal names ``source:line`` and the field."""
    start = 0
    while start < len(data) and data[start] in b" \t\r\n":
        start += 1
    if start >= len(data) or data[start] != ord("/"):
        raise ValidationError("a P1 telegram starts with '/'", location=f"{source}:1")
    bang = data.find(b"!", start)
    if bang < 0:
        line = data.count(b"\n") + 1
        raise ValidationError("telegram has no end mark '!'", location=f"{source}:{line}")
    restart = data.rfind(b"\n/", start, bang)
    if restart >= 0:  # a telegram cut short, then a whole one: the whole one counts
        start = restart + 1
    end_line = data.count(b"\n", 0, bang) + 1
    crc = _check_crc(data, start, bang, f"{source}:{end_line}")
    text = decode_ascii(data[start:bang], source)
    lines = text.split("\n")
    header = lines[0].rstrip("\r")[1:]
    first_line = data.count(b"\n", 0, start) + 1
    if len(header) < 4:
        raise ValidationError(f"identification {header!r} too short",
                              location=f"{source}:{first_line}")
    fields = _collect_lines(lines[1:], source, start_line=first_line + 1)
    return _build(header, fields, crc, source)


def _check_crc(data: bytes, start: int, bang: int, location: str) -> int | None:
    tail = data[bang + 1:]
    newline = tail.find(b"\n")
    crc_text = (tail if newline < 0 else tail[:newline]).rstrip(b"\r")
    rest = b"" if newline < 0 else tail[newline + 1:]
    if b"/" in rest or _OBIS_DATA.search(rest):
        raise ValidationError("data after the end of the telegram", location=location)
    if not crc_text:
        return None  # DSMR 2.2 and 3, EasyMeter Q3D send no CRC
    if not re.fullmatch(rb"[0-9A-Fa-f]{1,4}", crc_text):
        raise ValidationError(f"CRC {crc_text!r} is not four hex digits",
                              location=f"{location} CRC")
    given = int(crc_text, 16)
    computed = crc16_arc(data[start:bang + 1])
    if given != computed:
        raise ValidationError(f"CRC mismatch: telegram says {crc_text.decode()}, content "
                              f"gives {computed:04X} (damaged telegram)",
                              location=f"{location} CRC")
    return given


def _collect_lines(lines: list[str], source: str, start_line: int) -> dict[str, tuple[str, int]]:
    """``A-B:C.D.E`` -> (value text, line); continuation lines ``(..)`` join the previous.

    A value of an earlier billing period (``*F``, F not 255) is kept as ``A-B:C.D.E*F``,
    apart from the present value.
    """
    fields: dict[str, tuple[str, int]] = {}
    last: str | None = None
    for offset, raw in enumerate(lines):
        line = raw.rstrip("\r")
        number = start_line + offset
        if not line.strip():
            continue
        if line.startswith("(") and last is not None:
            text, first = fields[last]
            fields[last] = (text + line, first)
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise ValidationError(f"not an OBIS line: {line[:40]!r}", location=f"{source}:{number}")
        address = "{}-{}:{}.{}.{}".format(*match.groups()[:5])
        if match.group(6) not in (None, "255"):
            address += f"*{match.group(6)}"
        fields[address] = (match.group(7), number)
        last = address
    return fields


def _build(header: str, fields: dict[str, tuple[str, int]], crc: int | None,
           source: str) -> DsmrTelegram:
    def groups(address: str) -> tuple[list[str], str]:
        text, line = fields[address]
        location = f"{source}:{line} {address}"
        return [g.value for g in split_groups(text, location)], location

    ids = [decode_meter_id(groups(a)[0][0].strip()) for a in _ID_FIELDS if a in fields]
    ids = [i for i in ids if i]
    others = [groups(a)[0][0].strip() for a in _OTHER_ID_FIELDS if a in fields]
    meter_id = ids[0] if ids else None
    other_ids = tuple(dict.fromkeys(i for i in (*ids[1:], *others) if i and i != meter_id))
    local_time: datetime | None = None
    summer: bool | None = None
    aware: datetime | None = None
    if "0-0:1.0.0" in fields:
        values, location = groups("0-0:1.0.0")
        local_time, summer = parse_timestamp(values[0], location)
        aware = local_time.replace(tzinfo=_CEST if summer else _CET)
    registers: dict[str, Decimal] = {}
    for address, (text, line) in fields.items():
        if not address.startswith("1-0:") or not _ENERGY.fullmatch(address[4:]):
            continue
        location = f"{source}:{line} {address}"
        registers[address[4:]] = parse_quantity(split_groups(text, location)[0], location,
                                                "kWh")
    if crc is None and "1-3:0.2.8" in fields:
        _, location = groups("1-3:0.2.8")
        raise ValidationError("DSMR 4/5 telegram without CRC (cut or damaged)", location=location)
    belgian = header.startswith("FLU") or "0-0:96.1.4" in fields
    version = None
    for address in ("1-3:0.2.8", "0-0:96.1.4"):
        if address in fields:
            version = groups(address)[0][0]
    return DsmrTelegram(header, meter_id, local_time, summer, aware,
                        "Europe/Brussels" if belgian else "Europe/Amsterdam",
                        version, registers, crc, other_ids)


def decode_meter_id(value: str) -> str:
    """Equipment ids are hex-encoded ASCII; ids that do not decode to text stay as sent."""
    if len(value) % 2 == 0 and re.fullmatch(r"[0-9A-Fa-f]+", value):
        raw = bytes.fromhex(value)
        if all(0x20 < byte < 0x7F for byte in raw):
            return raw.decode("ascii")
    return value


def parse_timestamp(value: str, location: str) -> tuple[datetime, bool]:
    """``YYMMDDhhmmssS`` -> (naive local time, summer time?)."""
    match = _TIME.fullmatch(value)
    if match is None:
        raise ValidationError(f"timestamp {value!r} is not YYMMDDhhmmss + S/W", location=location)
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    try:
        moment = datetime(2000 + year, month, day, hour, minute, second)
    except ValueError as exc:
        raise ValidationError(f"timestamp {value!r}: {exc}", location=location) from exc
    return moment, match.group(7) == "S"
