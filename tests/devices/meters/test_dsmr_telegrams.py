"""P1 telegrams: the reference samples parse to their documented values; damage is refused."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ebs_desktop.devices.meters.dsmr import decode_meter_id, parse_telegram
from ebs_desktop.errors import ValidationError

EXPECTED = {
    "dsmr_v2_2.txt": ("00000000000000", None, None, ("1.001", "1.001", "1.001", "1.001"), None),
    "dsmr_v4_2.txt": ("3960221976967177082151037881335713", datetime(2016, 11, 13, 20, 57, 57),
                      False, ("1581.123", "1435.706", "0.000", "0.000"), 0x6796),
    "dsmr_v5.txt": ("K8EG004046395507", datetime(2017, 1, 2, 19, 20, 2), False,
                    ("4.426", "2.399", "2.444", "0.000"), 0x6EEE),
    "belgium_fluvius_v171.txt": ("1SAG3101021605", datetime(2020, 5, 12, 13, 54, 9), True,
                                 ("0.034", "15.758", "0.000", "0.011"), 0x3AD7),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reference_telegram(name: str, dsmr_dir: Path) -> None:
    meter_id, local, summer, values, crc = EXPECTED[name]
    telegram = parse_telegram((dsmr_dir / name).read_bytes(), name)
    assert telegram.meter_id == meter_id
    assert telegram.local_time == local
    assert telegram.summer_time is summer
    assert telegram.crc == crc
    registers = {code: Decimal(v) for code, v in zip(("1.8.1", "1.8.2", "2.8.1", "2.8.2"),
                                                     values, strict=True)}
    assert telegram.registers == registers
    readout = telegram.to_readout().to_json_dict()
    assert readout["registers"] == dict(zip(registers, values, strict=True))
    assert set(readout) == {"protocol", "meter_id", "timestamp", "registers"}


def test_summer_and_winter_offsets(dsmr_dir: Path) -> None:
    belgian = parse_telegram((dsmr_dir / "belgium_fluvius_v171.txt").read_bytes())
    assert belgian.zone == "Europe/Brussels"
    assert belgian.to_readout().to_json_dict()["timestamp"] == "2020-05-12T13:54:09+02:00"
    dutch = parse_telegram((dsmr_dir / "dsmr_v5.txt").read_bytes())
    assert dutch.zone == "Europe/Amsterdam"
    assert dutch.to_readout().to_json_dict()["timestamp"] == "2017-01-02T19:20:02+01:00"


def test_flipped_byte_fails_crc(dsmr_dir: Path) -> None:
    data = (dsmr_dir / "dsmr_v5.txt").read_bytes()
    damaged = data.replace(b"1-0:1.8.1(000004.426", b"1-0:1.8.1(000004.427")
    with pytest.raises(ValidationError, match="CRC mismatch") as info:
        parse_telegram(damaged, "v5.txt")
    assert info.value.location == "v5.txt:40 CRC"


def test_malformed_line_is_located() -> None:
    data = b"/ISk5\\2MT382-1000\r\n\r\n0-0:96.1.1(4B38)\r\n1-0:1.8.1(12x*kWh)\r\n!\r\n"
    with pytest.raises(ValidationError) as info:
        parse_telegram(data, "t.txt")
    assert info.value.location == "t.txt:4 1-0:1.8.1"
    assert "'12x'" in str(info.value)


def test_meter_id_decoding() -> None:
    assert decode_meter_id("4B384547303034303436333935353037") == "K8EG004046395507"
    assert decode_meter_id("00000000000000") == "00000000000000"
