"""IEC 62056-21 readout: the Iskra MT174 sample parses to its documented values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ebs_desktop.devices.meters.iec62056_21 import parse_identification, parse_readout
from ebs_desktop.errors import ValidationError

Flip = Callable[[bytes, bytes], bytes]


def test_reference_readout_values(iec_file: Path) -> None:
    readout = parse_readout(iec_file.read_bytes(), iec_file.name)
    assert readout.bcc == 0x66
    assert len(readout.data_sets) == 343  # the README's 405 counts every value group
    assert sum(len(data_set.groups) for data_set in readout.data_sets) == 405
    assert readout.meter_number == "63355730"
    assert readout.max_demand() == (Decimal("2.468"), datetime(2017, 3, 10, 9, 30))
    stored = [d for d in readout.data_sets if d.code == "1.8.1" and d.billing_period == 7]
    assert stored[0].groups[0].value == "0006334.294"
    result = readout.to_readout()
    assert result.to_json_dict()["registers"] | {} == result.to_json_dict()["registers"]
    registers = result.to_json_dict()["registers"]
    assert registers["1.8.0"] == "8048.375"
    assert registers["1.8.1"] == "8048.375"
    assert registers["1.8.2"] == "0.000"
    assert registers["2.8.0"] == "0.000"
    assert registers["1.6.0"] == "2.468"
    assert result.timestamp == datetime(2017, 3, 18, 20, 14, 55)
    assert result.register_times["1.6.0"] == datetime(2017, 3, 10, 9, 30)


def test_identification() -> None:
    ident = parse_identification(b"/ISk5MT174-0001\r\n")
    assert (ident.manufacturer, ident.max_baud, ident.reaction_ms, ident.ident) == (
        "ISk", 9600, 20, "MT174-0001")
    assert parse_identification(b"/LGZ4ZMD3104407.B32\r\n").reaction_ms == 200
    with pytest.raises(ValidationError, match="mode C"):
        parse_identification(b"/ABCD123\r\n", "probe")


def test_damaged_copy_is_refused(iec_file: Path, flip: Flip) -> None:
    damaged = flip(iec_file.read_bytes(), b"1-0:1.8.0*255(")
    with pytest.raises(ValidationError, match="BCC mismatch") as info:
        parse_readout(damaged, "damaged.bin")
    assert info.value.location == "damaged.bin:346 BCC"


def test_bad_value_is_located() -> None:
    body = b"1-0:1.8.0*255(00x8.375*kWh)\r\n0.0.0(123)\r\n!\r\n\x03"
    data = b"\x02" + body + bytes([_xor(body)])
    with pytest.raises(ValidationError) as info:
        parse_readout(data, "r.bin").to_readout()
    assert info.value.location == "r.bin:1 1-0:1.8.0*255"


def _xor(data: bytes) -> int:
    value = 0
    for byte in data:
        value ^= byte
    return value
