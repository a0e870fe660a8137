"""Splitting OBIS text lines ``address(value)(value*unit)...`` shared by DSMR and IEC 62056-21.

A value group is ``(`` text without parentheses ``)``; a value may end in ``*unit``.
Energy comes in kWh, Wh or MWh and demand in kW, W or MW (a Sagemcom T210-D counts Wh):
:func:`parse_quantity` gives kWh/kW exactly (a decimal shift, never a float), within the
quantity ceiling ``MAX_QUANTITY``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ebs_desktop.domain.money import MAX_QUANTITY
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


_SCALES = {"kWh": {"kWh": 0, "Wh": -3, "MWh": 3}, "kW": {"kW": 0, "W": -3, "MW": 3}}


def parse_quantity(group: ValueGroup, location: str, unit: str, *,
                   unit_required: bool = True) -> Decimal:
    """A register in ``unit`` (``kWh`` or ``kW``) from any of its decimal multiples.

    A value without a unit is taken as ``unit`` when ``unit_required`` is false (IEC
    62056-21 readouts often leave units out); a value beyond ``MAX_QUANTITY`` is refused.
    """
    scales = _SCALES[unit]
    if group.unit is None and not unit_required:
        shift = 0
    elif group.unit in scales:
        shift = scales[group.unit]
    else:
        raise ValidationError(f"unit {group.unit!r} where {unit} expected "
                              f"({', '.join(scales)})", location=location)
    value = parse_number(group, location)
    if shift:
        value = value.scaleb(shift)
    if abs(value) > MAX_QUANTITY:
        raise ValidationError(f"value {group.value!r} {group.unit or unit} is beyond the "
                              f"ceiling of {MAX_QUANTITY} {unit}", location=location)
    return value


def decode_ascii(data: bytes, source: str) -> str:
    """Text of a telegram/readout; the first non-ASCII byte is named by line."""
    try:
        return data.decode("ascii")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValidationError(f"byte 0x{data[exc.start]:02X} is not ASCII",
                              location=f"{source}:{line}") from exc
