"""Every meter file of the conformance corpus, read as a user would meet it (issue 17 pt 15).

DSMR (``../shared/conformance/dsmr``): the expected values are what dsmr_parser 1.11.2, the
peers' parser, reads from the same bytes, fed the way its serial client feeds it (its
TelegramBuffer) with the telegram specification of that meter family: the energy registers
(Wh and MWh as kWh), the meter's id and its clock. A file dsmr_parser refuses (CRC
errors) must be refused here too, with a CRC error. Telegrams that name no meter read with
``meter_id`` None and take the port's meter.

IEC 62056-21 (``../shared/conformance/iec``): the readout exactly as the meter sends it, with
the option-select echo between identification and STX, reads the same as the copy without
it, with the values smartmeter-obis's own test expects; every ``_badbcc`` file is refused
for its block check.
"""

from __future__ import annotations

import re
from copy import deepcopy
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dsmr_parser import telegram_specifications as specs
from dsmr_parser.clients.telegram_buffer import TelegramBuffer
from dsmr_parser.exceptions import InvalidChecksumError
from dsmr_parser.parsers import TelegramParser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ebs_desktop.devices.meters.dsmr import decode_meter_id, parse_telegram
from ebs_desktop.devices.meters.iec62056_21 import parse_readout
from ebs_desktop.devices.meters.inspect import inspect_bytes
from ebs_desktop.errors import ValidationError
from tests.conformance import conformance_dir

AMSTERDAM = ZoneInfo("Europe/Amsterdam")  # the zone dsmr_parser reads every clock in
ID_NAMES = ("EQUIPMENT_IDENTIFIER", "BELGIUM_EQUIPMENT_IDENTIFIER",
            "Q3D_EQUIPMENT_SERIALNUMBER")
ENERGY = re.compile(r"\^\\d-\\d:([12])\\\.8\\\.(\d)")  # e.g. ^\d-\d:1\.8\.1.+?\r\n
KWH = {"kWh": 0, "Wh": -3, "MWh": 3}


def _files(sub: str, pattern: str) -> list[Path]:
    return sorted(conformance_dir(sub).glob(pattern))


def _names(sub: str, pattern: str) -> list[str]:
    """File names for parametrizing at collection, where skipping is not possible yet: an
    absent corpus gives none, and the tests that open the folder skip (or fail in CI)."""
    try:
        return [p.name for p in _files(sub, pattern)]
    except (pytest.skip.Exception, pytest.fail.Exception):
        return []


def _spec(name: str, text: str) -> dict[str, Any]:
    """The dsmr_parser specification for the meter family of a file."""
    families = {"Q3D": specs.Q3D, "ISKRA_IE": specs.ISKRA_IE, "EON_HU": specs.EON_HUNGARY,
                "luxembourg": specs.LUXEMBOURG_SMARTY, "sweden": specs.SWEDEN,
                "FLUVIUS": specs.BELGIUM_FLUVIUS, "fluvius": specs.BELGIUM_FLUVIUS}
    for key, spec in families.items():
        if key in name:
            return spec
    if "SAGEMCOM" in name:  # the decrypted telegram: the spec without its cipher layer
        plain = deepcopy(specs.SAGEMCOM_T210_D_R)
        plain["general_global_cipher"] = False
        return plain
    version = re.search(r"1-3:0\.2\.8\((\d+)\)", text)
    if version is None:
        return specs.V2_2
    return specs.V5 if int(version.group(1)) >= 50 else specs.V4


def _reference(path: Path) -> dict[str, Any] | InvalidChecksumError:
    """What dsmr_parser reads from the file: registers (kWh), meter id and local clock."""
    text = path.read_bytes().decode("latin-1")
    spec = _spec(path.name, text)
    buffer = TelegramBuffer()  # what its serial client does with the bytes
    buffer.append(text if text.endswith("\n") else text + "\r\n")
    telegrams = list(buffer.get_all())
    try:
        telegram = TelegramParser(spec).parse(telegrams[-1] if telegrams else text,
                                              throw_ex=True)
    except InvalidChecksumError as exc:
        return exc
    registers: dict[str, Decimal] = {}
    codes = set()
    for item in spec["objects"]:
        match = ENERGY.match(item["obis_reference"])
        if match is None:
            continue
        code = f"{match.group(1)}.8.{match.group(2)}"
        codes.add(code)
        if hasattr(telegram, item["value_name"]):
            found = getattr(telegram, item["value_name"])
            registers[code] = found.value.scaleb(KWH[found.unit])
    meter = None
    for name in ID_NAMES:
        value = getattr(telegram, name, None)
        if value is not None and value.value:
            meter = decode_meter_id(value.value)
    stamp = getattr(telegram, "P1_MESSAGE_TIMESTAMP", None)
    local = (stamp.value.astimezone(AMSTERDAM).replace(tzinfo=None)
             if stamp is not None else None)
    return {"registers": registers, "codes": codes, "meter": meter, "local": local}


@pytest.mark.parametrize("name", _names("dsmr", "*.txt"))
def test_dsmr_file_reads_as_dsmr_parser_reads_it(name: str) -> None:
    path = conformance_dir("dsmr") / name
    expected = _reference(path)
    if isinstance(expected, InvalidChecksumError):
        assert "CrcError" in name or "checksum" in name  # the corpus's damaged telegrams
        with pytest.raises(ValidationError, match="CRC mismatch") as info:
            inspect_bytes(path.read_bytes(), name)
        assert info.value.location is not None and info.value.location.startswith(name)
        return
    telegram = parse_telegram(path.read_bytes(), name)
    ours = telegram.registers
    assert {c: ours[c] for c in ours if c in expected["codes"]} == expected["registers"]
    assert telegram.meter_id == expected["meter"]
    assert telegram.local_time == expected["local"]
    readout = inspect_bytes(path.read_bytes(), name)
    assert readout.meter_id == expected["meter"] and readout.registers == ours


def test_the_corpus_is_all_there() -> None:
    """The README's 41 telegrams and 7 readouts, the variants of the issue among them."""
    names = [p.name for p in _files("dsmr", "*.txt")]
    assert len(names) == 41 and len(_files("iec", "*.bin")) == 7
    for variant in ("luxembourg_smarty", "EON_HU", "SAGEMCOM_T210_D_R", "sweden_kamstrup",
                    "ESY5Q3DA1004", "ESY5Q3DB1024", "UNPADDED_CRC", "DuplicateData"):
        assert any(variant in n for n in names), variant


@pytest.mark.parametrize("variant", ["luxembourg_smarty", "EON_HU", "SAGEMCOM_T210_D_R",
                                     "sweden_kamstrup", "ISKRA_IE"])
def test_telegrams_without_a_meter_take_the_ports_meter(variant: str) -> None:
    path = next(p for p in _files("dsmr", "*.txt") if variant in p.name)
    readout = inspect_bytes(path.read_bytes(), path.name)
    assert readout.meter_id is None and readout.registers
    assert readout.for_meter("E0099", "--meter").meter_id == "E0099"


def test_a_telegram_naming_another_meter_is_refused() -> None:
    path = next(p for p in _files("dsmr", "*.txt") if "ESY5Q3DA1004" in p.name)
    readout = inspect_bytes(path.read_bytes(), path.name)
    assert readout.meter_id == "1ESY1336001560"
    assert readout.registers == {"1.8.0": Decimal("32549.5061662")}
    assert readout.for_meter("1336001560", "--meter").meter_id == "1336001560"  # property no.
    with pytest.raises(ValidationError, match="names meter 1ESY1336001560"):
        readout.for_meter("E0099", "--meter")


IEC_ECHO = "smartmeter-obis__testSerialRequestResponseD0WithAck2_L82_with_ack_echo.bin"
IEC_PLAIN = "smartmeter-obis__testSerialRequestResponseD0WithAck2_L82.bin"


@pytest.mark.parametrize("name", _names("iec", "*.bin"))
def test_iec_file(name: str) -> None:
    data = (conformance_dir("iec") / name).read_bytes()
    if "_badbcc" in name:
        with pytest.raises(ValidationError, match="BCC") as info:
            inspect_bytes(data, name)
        assert info.value.location is not None and info.value.location.startswith(name)
        return
    readout = parse_readout(data, name)
    assert readout.identification is not None
    assert (readout.identification.manufacturer, readout.identification.max_baud) == (
        "ISk", 9600)
    stored = [d for d in readout.data_sets if d.code == "1.8.1" and d.billing_period == 7]
    assert stored[0].groups[0].value == "0006334.294"  # peer: 1-0:1.8.1*7 = 6334.294 kWh
    assert readout.max_demand() == (Decimal("2.468"), datetime(2017, 3, 10, 9, 30))
    result = readout.to_readout()
    assert result.meter_id == "63355730"
    assert result.registers["1.8.0"] == Decimal("8048.375")


def test_the_ack_echo_changes_nothing() -> None:
    folder = conformance_dir("iec")
    echoed, plain = (folder / IEC_ECHO).read_bytes(), (folder / IEC_PLAIN).read_bytes()
    assert b"\n\x06050\r\n\x02" in echoed
    assert parse_readout(echoed, "e").to_readout() == parse_readout(plain, "p").to_readout()
    assert (parse_readout(echoed, "e").data_sets[0].line
            == parse_readout(plain, "p").data_sets[0].line + 1)


@settings(max_examples=1000, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_damaged_corpus_files_end_in_located_errors(data: st.DataObject) -> None:
    """Flipped, cut or inserted bytes in any corpus file: a reading or a located error."""
    files = _files("dsmr", "*.txt") + _files("iec", "*.bin")
    raw = bytearray(data.draw(st.sampled_from(files)).read_bytes())
    for _ in range(data.draw(st.integers(1, 3))):
        position = data.draw(st.integers(0, max(0, len(raw) - 1)))
        action = data.draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if action == "flip" and raw:
            raw[position] ^= data.draw(st.integers(1, 255))
        elif action == "cut":
            raw = raw[:position]
        elif action == "insert":
            raw[position:position] = data.draw(st.binary(min_size=1, max_size=8))
        elif raw:
            del raw[position:position + data.draw(st.integers(1, 20))]
    try:
        inspect_bytes(bytes(raw), "fuzz.bin")
    except ValidationError as exc:
        assert exc.location is not None and exc.location.startswith("fuzz.bin")
