"""Fuzzing the meter parsers: damaged input raises our located ValidationError, nothing else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ebs_desktop.devices.meters.dsmr import parse_telegram
from ebs_desktop.devices.meters.iec62056_21 import block_check, parse_readout
from ebs_desktop.devices.meters.inspect import inspect_bytes
from ebs_desktop.errors import ValidationError

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
SAMPLES = [path.read_bytes() for path in sorted((REFERENCE / "meter-dsmr-p1").iterdir())]
IEC = (REFERENCE / "meter-iec62056-21" / "iskra_mt174_readout.bin").read_bytes()
SETTINGS = settings(max_examples=1000, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def mutated(draw: st.DrawFn, originals: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        position = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "flip" and data:
            data[position] ^= draw(st.integers(1, 255))
        elif action == "cut":
            data = data[:position]
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        elif data:
            del data[position:position + draw(st.integers(1, 20))]
    return bytes(data)


def _only_located_errors(parse: object, data: bytes) -> None:
    try:
        parse(data, "fuzz.bin")  # type: ignore[operator]
    except ValidationError as exc:
        assert exc.location is not None and exc.location.startswith("fuzz.bin")


@SETTINGS
@given(mutated(SAMPLES))
def test_damaged_telegrams(data: bytes) -> None:
    _only_located_errors(parse_telegram, data)


@SETTINGS
@given(mutated([IEC]))
def test_damaged_readouts(data: bytes) -> None:
    _only_located_errors(lambda d, s: parse_readout(d, s).to_readout(), data)


@SETTINGS
@given(mutated([IEC]))
def test_damaged_readouts_with_fixed_up_bcc(data: bytes) -> None:
    """Re-sealed with a correct BCC, so the line and value parsing itself is exercised."""
    etx = data.rfind(b"\x03")
    stx = data.find(b"\x02")
    if 0 <= stx < etx:
        data = data[:etx + 1] + bytes([block_check(data[stx + 1:etx + 1])])
    _only_located_errors(lambda d, s: parse_readout(d, s).to_readout(), data)


@SETTINGS
@given(st.binary(max_size=600))
def test_random_bytes_through_inspect(data: bytes) -> None:
    _only_located_errors(inspect_bytes, data)
