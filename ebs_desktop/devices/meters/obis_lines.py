"""Splitting OBIS text lines ``address(value)(value*unit)...`` shared by DSMR and IEC 62056-21.

A value group is ``(`` text without parentheses ``)``; a value may end in ``*unit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ebs_desktop.errors import ValidationError

_GROUP = re.compile(r"\(([^()]*)\)")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


@dataclass(frozen=True)
class ValueGroup:
    value: str
    unit: str | None


def split_groups(text: str, location: str) -> tuple[ValueGroup, ...]:
    """``(a*kWh)(b)`` -> groups; anything outside parentheses is refused at ``location``."""
    groups: list[ValueGroup] = []
    position = 0
    for match in _GROUP.finditer(text):
        if match.start() != position:
            break
        value, star, unit = match.group(1).partition("*")
        groups.append(ValueGroup(value, unit if star else None))
        position = match.end()
    if position != len(text) or not groups:
        raise ValidationError(f"malformed value list {text!r}", location=location)
    return tuple(groups)


def parse_number(group: ValueGroup, location: str) -> Decimal:
    """A register value as Decimal (never float); ``location`` names line and field."""
    if not _NUMBER.fullmatch(group.value):
        raise ValidationError(f"value {group.value!r} is not a number", location=location)
    try:
        return Decimal(group.value)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guards this
        raise ValidationError(f"value {group.value!r} is not a number",
                              location=location) from exc


def decode_ascii(data: bytes, source: str) -> str:
    """Text of a telegram/readout; the first non-ASCII byte is named by line."""
    try:
        return data.decode("ascii")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValidationError(f"byte 0x{data[exc.start]:02X} is not ASCII",
                              location=f"{source}:{line}") from exc
