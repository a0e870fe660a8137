"""A pseudo-terminal master as a :class:`ByteChannel`.

The simulators (handheld, test meters) sit on the master side of an ``os.openpty()`` pair and
the program under test opens the slave path with pyserial, exactly as it would a USB serial
adapter. ``ebs hhu-sim --pty`` uses this to offer a port without any hardware. POSIX only.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import struct
import termios
import tty

from ebs_desktop.errors import DeviceError

_BAUD_CONSTANTS = {getattr(termios, f"B{rate}"): rate for rate in
                   (300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)}


class PtyMaster:
    """Master end of a pty pair; ``slave_path`` is what the other program opens."""

    def __init__(self) -> None:
        self.fd, self._slave_fd = os.openpty()
        tty.setraw(self._slave_fd)
        self.slave_path = os.ttyname(self._slave_fd)
        self._timeout: float | None = 0.1

    @property
    def baudrate(self) -> int:
        """The speed the slave side set (a pty shares one termios between both ends)."""
        speed = termios.tcgetattr(self.fd)[5]
        return _BAUD_CONSTANTS.get(speed, 0)

    @baudrate.setter
    def baudrate(self, value: int) -> None:
        """Speeds do not matter on a pty; the slave's program sets what it wants."""

    @property
    def timeout(self) -> float | None:
        return self._timeout

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        self._timeout = value

    @property
    def in_waiting(self) -> int:
        raw = fcntl.ioctl(self.fd, termios.FIONREAD, b"\0\0\0\0")
        count: int = struct.unpack("i", raw)[0]
        return count

    def read(self, size: int = 1) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], self._timeout)
        if not ready:
            return b""
        try:
            return os.read(self.fd, size)
        except OSError as exc:  # EIO once the slave side is closed
            raise DeviceError(f"pty {self.slave_path} closed: {exc}") from exc

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]
        return len(data)

    def flush(self) -> None:
        """Writes to a pty master are immediate."""

    def reset_input_buffer(self) -> None:
        termios.tcflush(self.fd, termios.TCIFLUSH)

    def close(self) -> None:
        for fd in (self.fd, self._slave_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
