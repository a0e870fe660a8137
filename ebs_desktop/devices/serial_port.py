"""The byte channel devices talk over, and how a serial port is opened and read.

Transports only need a few calls (read with a timeout, write, flush, baud rate), written down
here as :class:`ByteChannel` so a ``serial.Serial`` and a pseudo-terminal master
(:mod:`ebs_desktop.devices.pty_channel`) are interchangeable. Every read is bounded by a
deadline: a silent device or a pulled cable ends in :class:`DeviceError`, never a hang.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from ebs_desktop.errors import DeviceError

PARITIES = {"N": "N", "E": "E", "O": "O"}


class ByteChannel(Protocol):
    """The part of ``serial.Serial`` the device code uses."""

    @property
    def baudrate(self) -> int: ...
    @baudrate.setter
    def baudrate(self, value: int) -> None: ...
    @property
    def in_waiting(self) -> int: ...
    def read(self, size: int = 1) -> bytes: ...
    def write(self, data: bytes) -> int | None: ...
    def flush(self) -> None: ...
    def reset_input_buffer(self) -> None: ...
    def close(self) -> None: ...


def open_serial(path: str, baudrate: int, *, bytesize: int = 8, parity: str = "N",
                stopbits: int = 1, timeout: float = 0.1) -> ByteChannel:
    """Open ``path`` (a device path or a pyserial URL) or say clearly why it cannot be."""
    try:
        import serial
    except ImportError as exc:  # pragma: no cover - pyserial is a pinned dependency
        raise DeviceError("pyserial is not installed; serial devices are unavailable "
                          "(install the 'pyserial' package)") from exc
    if parity not in PARITIES:
        raise DeviceError(f"parity {parity!r} unknown; use N, E or O")
    try:
        port: Any = serial.serial_for_url(path, baudrate=baudrate, bytesize=bytesize,
                                          parity=parity, stopbits=stopbits, timeout=timeout,
                                          write_timeout=max(timeout, 2.0))
    except (OSError, ValueError) as exc:
        raise DeviceError(f"cannot open serial port {path}: {exc}") from exc
    channel: ByteChannel = port
    return channel


class Deadline:
    """A point in time a whole exchange must finish by; reads ask it how long they may wait."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0


def read_chunk(channel: ByteChannel, port_name: str) -> bytes:
    """Whatever the port has, or what arrives within the port's own short read timeout.

    The timeout is set once at opening (``open_serial``): changing it on pyserial re-applies
    termios settings on every call, which is slow and refused by some drivers.
    """
    try:
        return channel.read(max(1, channel.in_waiting))
    except OSError as exc:  # SerialException is an OSError: unplugged adapter, closed pty
        raise DeviceError(f"lost the connection on {port_name}: {exc}") from exc


def set_baud(channel: ByteChannel, port_name: str, rate: int) -> None:
    """Change speed only when it differs: re-applying the same termios is refused (EINVAL)
    by the Linux pty driver and is a needless reconfigure elsewhere."""
    if channel.baudrate == rate:
        return
    try:
        channel.baudrate = rate
    except Exception as exc:  # OSError, ValueError, or termios.error (neither of those)
        raise DeviceError(f"cannot switch {port_name} to {rate} Bd: {exc}") from exc


def write_all(channel: ByteChannel, port_name: str, data: bytes) -> None:
    try:
        channel.write(data)
        channel.flush()
    except OSError as exc:
        raise DeviceError(f"cannot write to {port_name}: {exc}") from exc


def read_until(channel: ByteChannel, port_name: str, done: Callable[[bytes], int | None],
               deadline: Deadline, what: str, *, limit: int = 1 << 20,
               check_cancel: Callable[[], None] | None = None) -> bytes:
    """Read until ``done(buffer)`` returns the length of the complete message.

    Raises DeviceError naming ``what`` when the deadline passes first (silent device) or
    more than ``limit`` bytes arrive without a complete message (wrong device, noise).
    """
    buffer = bytearray()
    while True:
        end = done(bytes(buffer))
        if end is not None:
            return bytes(buffer[:end])
        if len(buffer) > limit:
            raise DeviceError(f"{port_name}: more than {limit} bytes without a complete {what}")
        if check_cancel is not None:
            check_cancel()
        remaining = deadline.remaining()
        if remaining <= 0:
            got = f"{len(buffer)} bytes" if buffer else "nothing"
            raise DeviceError(f"{port_name}: no complete {what} within "
                              f"{deadline.seconds:g} s (received {got})")
        buffer += read_chunk(channel, port_name)
