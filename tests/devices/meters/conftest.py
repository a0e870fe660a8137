"""Meter tests: reference files, damaged copies, and a meter that plays on a pty master."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ebs_desktop.devices.pty_channel import PtyMaster

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
DSMR_DIR = REFERENCE / "meter-dsmr-p1"
IEC_FILE = REFERENCE / "meter-iec62056-21" / "iskra_mt174_readout.bin"


def flip_data_byte(data: bytes, marker: bytes) -> bytes:
    """Copy of ``data`` with one digit after ``marker`` changed (a damaged sample)."""
    position = data.index(marker) + len(marker)
    while not chr(data[position]).isdigit():
        position += 1
    digit = b"7" if data[position:position + 1] != b"7" else b"3"
    return data[:position] + digit + data[position + 1:]


class IecMeterPlayer(threading.Thread):
    """An optical-port meter: answers the sign-on, checks the option select and the baud
    switch, then replays a recorded data block."""

    def __init__(self, master: PtyMaster, recording: bytes) -> None:
        super().__init__(daemon=True, name="iec-meter")
        self.master = master
        split = recording.index(b"\n") + 1
        self.identification, self.block = recording[:split], recording[split:]
        self.received: list[bytes] = []
        self.baud_seen: list[int] = []
        self.error: str | None = None

    def _read_line(self, timeout: float = 5.0) -> bytes:
        end, buffer = time.monotonic() + timeout, b""
        while not buffer.endswith(b"\n") and time.monotonic() < end:
            buffer += self.master.read(1)
        return buffer

    def run(self) -> None:
        sign_on = self._read_line()
        self.baud_seen.append(self.master.baudrate)
        self.received.append(sign_on)
        if sign_on != b"/?!\r\n":
            self.error = f"unexpected sign-on {sign_on!r}"
            return
        self.master.write(self.identification)
        option = self._read_line()
        self.received.append(option)
        if option != b"\x060" + self.identification[4:5] + b"0\r\n":
            self.error = f"unexpected option select {option!r}"
            return
        deadline = time.monotonic() + 2
        while self.master.baudrate != 9600 and time.monotonic() < deadline:
            time.sleep(0.01)
        self.baud_seen.append(self.master.baudrate)
        if self.master.baudrate != 9600:
            self.error = "host did not switch to 9600 Bd"
            return
        self.master.write(self.block)
        self.master.timeout = 2.0
        self.received.append(self.master.read(16))  # the host's break


@pytest.fixture
def dsmr_dir() -> Path:
    return DSMR_DIR


@pytest.fixture
def iec_file() -> Path:
    return IEC_FILE


@pytest.fixture
def flip() -> Callable[[bytes, bytes], bytes]:
    return flip_data_byte


@pytest.fixture
def meter_player() -> type[IecMeterPlayer]:
    return IecMeterPlayer
