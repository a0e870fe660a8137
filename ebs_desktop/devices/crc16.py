"""CRC-16/ARC (poly 0x8005 reflected as 0xA001, init 0): the DSMR P1 checksum.

The handheld link uses the same function so one well-tested table serves both; check value
for b"123456789" is 0xBB3D.
"""

from __future__ import annotations


def _make_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_TABLE = _make_table()


def crc16_arc(data: bytes, crc: int = 0) -> int:
    """CRC over ``data``; pass a previous result as ``crc`` to continue a running sum."""
    for byte in data:
        crc = (crc >> 8) ^ _TABLE[(crc ^ byte) & 0xFF]
    return crc
