"""Frame codec: round trips, located refusals, and fuzzing (only FrameError ever escapes)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ebs_desktop.devices.handheld.frames import (
    DLE,
    ETX,
    STX,
    Frame,
    FrameError,
    FrameSplitter,
    decode_frame,
    encode_frame,
)
from ebs_desktop.devices.handheld.records import HandheldReading, RouteItem


def test_stuffing_hides_control_bytes() -> None:
    frame = Frame("R", STX, bytes([STX, ETX, DLE, 65]))
    wire = encode_frame(frame)
    assert wire[0] == STX and wire[-1] == ETX
    assert STX not in wire[1:-1] and ETX not in wire[1:-1]
    assert decode_frame(wire) == frame


def test_flipped_bit_is_refused_with_location() -> None:
    wire = bytearray(encode_frame(Frame.with_json("U", 7, {"index": 3})))
    wire[5] ^= 0x01
    with pytest.raises(FrameError, match="CRC mismatch") as info:
        decode_frame(bytes(wire), "/dev/pts/9")
    assert info.value.location == "/dev/pts/9 CRC"


def test_splitter_resynchronises_after_noise() -> None:
    good = encode_frame(Frame.with_json("H", 1, {"protocol": 1}))
    splitter = FrameSplitter()
    pieces = splitter.feed(b"\xff\x00garbage" + good[:5]) + splitter.feed(good + good[3:])
    assert splitter.dropped == 9 + len(good) - 3  # noise, then a tail without its STX
    decoded = []
    for piece in pieces:
        try:
            decoded.append(decode_frame(piece))
        except FrameError:
            decoded.append(None)
    assert decoded == [None, decode_frame(good)]


def test_records_round_trip() -> None:
    item = RouteItem("SN1", "1.8.0", "ACC1", 3, Decimal("12.5"), date(2026, 1, 2),
                     Decimal("1"), Decimal("99.25"))
    assert RouteItem.from_payload(item.to_payload(), "x") == item
    reading = HandheldReading("SN1", "1.8.0", datetime(2026, 2, 1, 9, 30), Decimal("110.0"),
                              None, "ann")
    assert HandheldReading.from_payload(reading.to_payload(), "x") == reading
    bad = reading.to_payload() | {"value": 1.5}
    with pytest.raises(FrameError) as info:
        HandheldReading.from_payload(bad, "port reading 4")
    assert info.value.location == "port reading 4 value"


frames = st.builds(Frame, st.sampled_from(sorted("HBREUDASNrZX")), st.integers(0, 255),
                   st.binary(max_size=300))


@settings(max_examples=1000, deadline=None)
@given(frames)
def test_round_trip_any_frame(frame: Frame) -> None:
    assert decode_frame(encode_frame(frame)) == frame


@settings(max_examples=1500, deadline=None)
@given(frames, st.data())
def test_damaged_frames_raise_only_frame_error(frame: Frame, data: st.DataObject) -> None:
    wire = bytearray(encode_frame(frame))
    action = data.draw(st.sampled_from(["flip", "cut", "insert", "random"]))
    if action == "flip":
        position = data.draw(st.integers(1, len(wire) - 2))
        wire[position] ^= data.draw(st.integers(1, 255))
    elif action == "cut":
        wire = wire[:data.draw(st.integers(0, len(wire) - 1))]
    elif action == "insert":
        position = data.draw(st.integers(1, len(wire) - 1))
        wire[position:position] = data.draw(st.binary(min_size=1, max_size=4))
    else:
        wire = bytearray(data.draw(st.binary(max_size=400)))
    try:
        decoded = decode_frame(bytes(wire), "fuzz")
    except FrameError as exc:
        assert exc.location is not None and exc.location.startswith("fuzz")
        return
    # CRC-16 lets a tiny share of corruptions through; those must still be well-formed frames.
    assert 0 <= decoded.seq <= 255 and len(decoded.payload) <= 1024
