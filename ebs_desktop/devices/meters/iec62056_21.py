"""IEC 62056-21 (ex IEC 1107) optical readout, mode C: identification and data block.

After the sign-on ``/?!`` the meter answers ``/XXXZ<ident>`` CR LF: XXX the manufacturer
(a lower-case third letter means it reacts within 20 ms instead of 200 ms), Z its highest
baud rate. The data block is ``STX`` data lines ``!`` CR LF ``ETX`` ``BCC``, where BCC is the
XOR of every byte after STX up to and including ETX. Data lines hold data sets
``address(value*unit)``, e.g. ``1-0:1.8.0*255(0008048.375*kWh)``; the optional ``*F`` of
the address is the billing period (255 or absent = current value).

A readout file holds what came down the wire, which on a half-duplex optical probe also
holds what the host sent, echoed: the sign-on ``/?!`` before the identification line and
the option select ``ACK 0 Z Y`` between it and STX. Those echoes are recognised and
skipped; anything else before STX is refused. The block check comes first: a damaged
readout is refused as damaged (BCC) before any of its content is judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ebs_desktop.devices.meters.obis_lines import (
    ValueGroup,
    decode_ascii,
    parse_number,
    parse_quantity,
    split_groups,
)
from ebs_desktop.devices.meters.readout import MeterReadout
from ebs_desktop.errors import ValidationError

STX, ETX, ACK, SOH = 0x02, 0x03, 0x06, 0x01
BAUD_RATES = {"0": 300, "1": 600, "2": 1200, "3": 2400, "4": 4800, "5": 9600, "6": 19200}
_IDENT = re.compile(r"/([A-Za-z]{3})([0-9A-Za-z])((?:\\[0-9A-Za-z])?)([\x20-\x7e]{1,16})")
_ADDRESS = re.compile(r"(?:(\d+)-(\d+):)?([0-9A-Za-z]+)\.([0-9A-Za-z]+)(?:\.([0-9A-Za-z]+))?"
                      r"(?:[*&](\d+))?")
_REGISTER = re.compile(r"[12]\.8\.\d+|[12]\.6\.0")
_TIME10 = re.compile(r"(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})")
_SIGN_ON_ECHO = re.compile(rb"/\?[\x20-\x7e]*!\r?")
_OPTION_ECHO = re.compile(rb"\x06[0-9][0-9A-Za-z][0-9A-Za-z]\r?")
_ID_CODES = ("0.0.0", "C.1.0", "0.0.1", "0.0.2", "0.0.3")


@dataclass(frozen=True)
class Identification:
    manufacturer: str
    baud_char: str
    max_baud: int
    reaction_ms: int
    ident: str


@dataclass(frozen=True)
class DataSet:
    address: str
    code: str  # OBIS C.D.E (or C.D)
    billing_period: int | None
    groups: tuple[ValueGroup, ...]
    line: int


@dataclass(frozen=True)
class IecReadout:
    identification: Identification | None
    data_sets: tuple[DataSet, ...]
    bcc: int
    source: str

    def current(self, code: str) -> DataSet | None:
        """The data set for ``code`` holding the present value (billing period none or 255)."""
        for data_set in self.data_sets:
            if data_set.code == code and data_set.billing_period in (None, 255):
                return data_set
        return None

    @property
    def meter_number(self) -> str:
        numbers = self.meter_numbers()
        if not numbers:
            raise ValidationError("readout names no meter number (0.0.0 or C.1.0)",
                                  location=self.source)
        return numbers[0]

    def meter_numbers(self) -> tuple[str, ...]:
        """The numbers the meter gives itself: 0.0.0 (or C.1.0) first, then the others."""
        found = []
        for code in _ID_CODES:
            data_set = self.current(code)
            if data_set is not None and data_set.groups[0].value.strip():
                found.append(data_set.groups[0].value.strip())
        return tuple(dict.fromkeys(found))

    def max_demand(self) -> tuple[Decimal, datetime | None] | None:
        """1.6.0 maximum demand in kW and when it happened (meter local time)."""
        data_set = self.current("1.6.0")
        if data_set is None:
            return None
        location = f"{self.source}:{data_set.line} {data_set.address}"
        value = parse_number(data_set.groups[0], location)
        when = (parse_time10(data_set.groups[1].value, location)
                if len(data_set.groups) > 1 else None)
        return value, when

    def to_readout(self) -> MeterReadout:
        registers: dict[str, Decimal] = {}
        times: dict[str, datetime] = {}
        for data_set in self.data_sets:
            if not _REGISTER.fullmatch(data_set.code) or data_set.billing_period not in (None, 255):
                continue
            location = f"{self.source}:{data_set.line} {data_set.address}"
            unit = "kW" if data_set.code.split(".")[1] == "6" else "kWh"
            registers[data_set.code] = parse_quantity(data_set.groups[0], location, unit,
                                                      unit_required=False)
            if len(data_set.groups) > 1 and data_set.groups[1].value:
                times[data_set.code] = parse_time10(data_set.groups[1].value, location)
        numbers = self.meter_numbers()
        return MeterReadout("iec62056-21", numbers[0] if numbers else None, self._clock(),
                            registers, times, numbers[1:])

    def _clock(self) -> datetime | None:
        """Meter clock from 0.9.2 (date, [c]YYMMDD) and 0.9.1 (time hhmmss), local time."""
        date_set, time_set = self.current("0.9.2"), self.current("0.9.1")
        if date_set is None or time_set is None:
            return None
        date_text, time_text = date_set.groups[0].value[-6:], time_set.groups[0].value
        location = f"{self.source}:{date_set.line} {date_set.address}"
        if not (re.fullmatch(r"\d{6}", date_text) and re.fullmatch(r"\d{6}", time_text)):
            raise ValidationError(f"meter clock {date_text!r} {time_text!r} unreadable",
                                  location=location)
        return parse_time10(date_text + time_text[:4], location).replace(
            second=int(time_text[4:]) % 60)


def parse_time10(value: str, location: str) -> datetime:
    """``YYMMDDhhmm`` as the meter's naive local time."""
    match = _TIME10.fullmatch(value)
    if match is None:
        raise ValidationError(f"time {value!r} is not YYMMDDhhmm", location=location)
    year, month, day, hour, minute = (int(part) for part in match.groups())
    try:
        return datetime(2000 + year, month, day, hour, minute)
    except ValueError as exc:
        raise ValidationError(f"time {value!r}: {exc}", location=location) from exc


def parse_identification(line: bytes, source: str = "<identification>",
                         line_number: int = 1) -> Identification:
    text = decode_ascii(line, source).rstrip("\r\n")
    match = _IDENT.fullmatch(text)
    if match is None:
        raise ValidationError(f"identification {text[:40]!r} is not /XXXZident",
                              location=f"{source}:{line_number}")
    manufacturer, baud_char, _, ident = match.groups()
    if baud_char not in BAUD_RATES:
        raise ValidationError(f"baud character {baud_char!r} is not a mode C rate",
                              location=f"{source}:{line_number}")
    reaction = 20 if manufacturer[2].islower() else 200
    return Identification(manufacturer, baud_char, BAUD_RATES[baud_char], reaction, ident)


def block_check(data: bytes) -> int:
    bcc = 0
    for byte in data:
        bcc ^= byte
    return bcc


def find_block_end(buffer: bytes) -> int | None:
    """Length up to and including the BCC after ETX (for stream readers), or None."""
    start = buffer.find(bytes([STX]))
    if start < 0:
        return None
    etx = buffer.find(bytes([ETX]), start)
    return None if etx < 0 or etx + 1 >= len(buffer) else etx + 2


def parse_readout(data: bytes, source: str = "<readout>") -> IecReadout:
    """An optional identification line followed by one data block, BCC checked first."""
    stx = data.find(bytes([STX]))
    if stx < 0:
        raise ValidationError("no data block (STX missing)", location=f"{source}:1")
    etx = data.find(bytes([ETX]), stx)
    line = data.count(b"\n", 0, etx if etx >= 0 else len(data)) + 1
    if etx < 0 or etx + 1 >= len(data):
        raise ValidationError("data block incomplete (ETX and BCC missing)",
                              location=f"{source}:{line}")
    if data[etx + 2:].strip(b"\r\n\x00"):
        raise ValidationError("data after the block check character", location=f"{source}:{line}")
    computed, given = block_check(data[stx + 1:etx + 1]), data[etx + 1]
    if computed != given:
        raise ValidationError(f"BCC mismatch: readout says 0x{given:02X}, content gives "
                              f"0x{computed:02X} (damaged readout)",
                              location=f"{source}:{line} BCC")
    ident = _identification(data[:stx], source)
    body = decode_ascii(data[:etx], source)[stx + 1:]
    first_line = data.count(b"\n", 0, stx) + 1
    return IecReadout(ident, _parse_data_lines(body, source, first_line), given, source)


def _identification(head: bytes, source: str) -> Identification | None:
    """The identification line among what precedes STX, the host's echoed requests
    (sign-on before it, option select after it) and wake-up NULs left out."""
    ident: Identification | None = None
    for number, raw in enumerate(head.split(b"\n"), start=1):
        line = raw.strip(b"\x00")
        if not line.strip():
            continue
        if ident is None and _SIGN_ON_ECHO.fullmatch(line):
            continue
        if ident is not None and _OPTION_ECHO.fullmatch(line):
            continue
        if ident is not None:
            raise ValidationError(f"unexpected line {line[:40]!r} between the identification "
                                  "and the data block", location=f"{source}:{number}")
        ident = parse_identification(line, source, number)
    return ident


def _parse_data_lines(body: str, source: str, first_line: int) -> tuple[DataSet, ...]:
    lines = body.split("\n")
    data_sets: list[DataSet] = []
    ended = False
    for offset, raw in enumerate(lines):
        text = raw.rstrip("\r")
        number = first_line + offset
        if ended and text:
            raise ValidationError("data after the end mark '!'", location=f"{source}:{number}")
        if text == "!":
            ended = True
            continue
        position = 0
        while position < len(text):
            match = _ADDRESS.match(text, position)
            paren = text.find("(", position)
            if match is None or paren != match.end():
                raise ValidationError(f"not a data set: {text[position:position + 40]!r}",
                                      location=f"{source}:{number}")
            close = _groups_end(text, paren)
            address = text[position:paren]
            groups = split_groups(text[paren:close], f"{source}:{number} {address}")
            c, d, e, f = match.group(3), match.group(4), match.group(5), match.group(6)
            code = f"{c}.{d}.{e}" if e is not None else f"{c}.{d}"
            data_sets.append(DataSet(address, code, int(f) if f else None, groups, number))
            position = close
    if not ended:
        raise ValidationError("data block has no end mark '!'",
                              location=f"{source}:{first_line + len(lines) - 1}")
    return tuple(data_sets)


def _groups_end(text: str, paren: int) -> int:
    """Index after the last consecutive ``(...)`` group starting at ``paren``."""
    position = paren
    while position < len(text) and text[position] == "(":
        close = text.find(")", position)
        if close < 0:
            return len(text)
        position = close + 1
    return position
