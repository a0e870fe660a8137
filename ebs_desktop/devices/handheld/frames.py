"""Handheld frame codec (pure): ``STX stuffed(kind seq payload crc16) ETX``.

Byte stuffing: STX, ETX and DLE inside a frame are sent as ``DLE, byte ^ 0x20`` so STX and ETX
only ever mark frame edges and a receiver can resynchronise after noise by waiting for the
next STX. The CRC-16/ARC covers kind, seq and payload (big-endian, before stuffing).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ebs_desktop.devices.crc16 import crc16_arc
from ebs_desktop.errors import ValidationError

STX, ETX, DLE = 0x02, 0x03, 0x10
MAX_PAYLOAD = 1024
MAX_WIRE = 2 * (MAX_PAYLOAD + 4) + 2
KINDS = frozenset("HBREUDASNrZX")


class FrameError(ValidationError):
    """A frame that cannot be trusted (bad CRC, bad stuffing, unknown kind, bad payload)."""


@dataclass(frozen=True)
class Frame:
    kind: str
    seq: int
    payload: bytes = b""

    @classmethod
    def with_json(cls, kind: str, seq: int, body: dict[str, Any]) -> Frame:
        text = json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=True)
        return cls(kind, seq, text.encode("ascii"))

    def json(self, source: str = "<frame>") -> dict[str, Any]:
        """The payload as a JSON object; anything else is a located FrameError."""
        try:
            body = json.loads(self.payload.decode("utf-8")) if self.payload else {}
        except (UnicodeDecodeError, ValueError) as exc:
            raise FrameError(f"payload of {self.kind!r} frame is not JSON: {exc}",
                             location=f"{source} seq {self.seq}") from None
        if not isinstance(body, dict):
            raise FrameError(f"payload of {self.kind!r} frame is not a JSON object",
                             location=f"{source} seq {self.seq}")
        return body


def encode_frame(frame: Frame) -> bytes:
    if frame.kind not in KINDS or len(frame.kind) != 1:
        raise ValueError(f"unknown frame kind {frame.kind!r}")
    if not 0 <= frame.seq <= 255 or len(frame.payload) > MAX_PAYLOAD:
        raise ValueError("sequence must be 0..255 and payload at most 1024 bytes")
    body = frame.kind.encode("ascii") + bytes([frame.seq]) + frame.payload
    body += crc16_arc(body).to_bytes(2, "big")
    out = bytearray([STX])
    for byte in body:
        if byte in (STX, ETX, DLE):
            out += bytes([DLE, byte ^ 0x20])
        else:
            out.append(byte)
    out.append(ETX)
    return bytes(out)


def decode_frame(wire: bytes, source: str = "<frame>") -> Frame:
    """One frame from ``STX`` to ``ETX`` inclusive."""
    if len(wire) < 2 or wire[0] != STX or wire[-1] != ETX:
        raise FrameError("a frame starts with STX and ends with ETX", location=f"{source} byte 0")
    if len(wire) > MAX_WIRE:
        raise FrameError(f"frame longer than {MAX_WIRE} bytes", location=f"{source} byte 0")
    body = bytearray()
    escaped = False
    for offset in range(1, len(wire) - 1):
        byte = wire[offset]
        if byte in (STX, ETX):
            raise FrameError(f"unescaped 0x{byte:02X} inside a frame",
                             location=f"{source} byte {offset}")
        if escaped:
            if byte ^ 0x20 not in (STX, ETX, DLE):
                raise FrameError(f"DLE followed by 0x{byte:02X}",
                                 location=f"{source} byte {offset}")
            body.append(byte ^ 0x20)
            escaped = False
        elif byte == DLE:
            escaped = True
        else:
            body.append(byte)
    if escaped:
        raise FrameError("frame ends inside an escape", location=f"{source} byte {len(wire) - 1}")
    if len(body) < 4:
        raise FrameError("frame shorter than kind, sequence and CRC", location=f"{source} byte 1")
    given = int.from_bytes(body[-2:], "big")
    computed = crc16_arc(bytes(body[:-2]))
    if given != computed:
        raise FrameError(f"CRC mismatch: frame says {given:04X}, content gives {computed:04X}",
                         location=f"{source} CRC")
    kind = chr(body[0])
    if kind not in KINDS:
        raise FrameError(f"unknown frame kind 0x{body[0]:02X}", location=f"{source} byte 1")
    payload = bytes(body[2:-2])
    if len(payload) > MAX_PAYLOAD:
        raise FrameError("payload longer than 1024 bytes", location=f"{source} byte 3")
    return Frame(kind, body[1], payload)


class FrameSplitter:
    """Cuts a byte stream into candidate frames: noise before STX is dropped, an STX inside
    a frame starts over (the earlier bytes were a broken frame), an overlong frame is cut."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._inside = False
        self.dropped = 0

    def feed(self, data: bytes) -> list[bytes]:
        frames: list[bytes] = []
        for byte in data:
            if byte == STX:
                if self._inside and len(self._buffer) > 1:
                    frames.append(bytes(self._buffer))  # broken: the decoder will refuse it
                self._buffer = bytearray([STX])
                self._inside = True
            elif not self._inside:
                self.dropped += 1
            else:
                self._buffer.append(byte)
                if byte == ETX or len(self._buffer) > MAX_WIRE:
                    frames.append(bytes(self._buffer))
                    self._buffer, self._inside = bytearray(), False
        return frames
