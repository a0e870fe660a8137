"""Receipt printer as a file: a device node (``/dev/usb/lp0``), a FIFO or a spool file.

Why non-blocking writes with ``poll``: a plain ``write`` on a printer device or a pipe
blocks for as long as the other side does not read, with no timeout at all. Opening with
``O_NONBLOCK`` and waiting for writability with a deadline gives the same contract as the
other transports. A FIFO with no reader fails at once ("no printer is reading").

Device nodes and FIFOs are never created; a regular file is appended to (created only
when ``create=True``, for spool files and tests, and then with mode 0600: a spool holds
customers' names and amounts). A relative path (the demo's ``receipts-c01.bin``) means a
spool file in EBS's data folder, never the folder the program happened to start in.
"""

from __future__ import annotations

import errno
import os
import select
import stat
import time
from pathlib import Path

from ebs_desktop.devices.printers.base import DEFAULT_TIMEOUT
from ebs_desktop.errors import DeviceError
from ebs_desktop.private_files import FILE_MODE, POSIX, private_data_dir


class FileReceiptPrinter:
    def __init__(
        self, path: str | Path, *, create: bool = False, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.path = Path(path)
        if not self.path.is_absolute():
            self.path = private_data_dir() / self.path
        self.create = create
        self.timeout = timeout

    @property
    def description(self) -> str:
        return f"file printer {self.path}"

    def _open(self) -> int:
        flags = os.O_WRONLY | os.O_NONBLOCK | os.O_APPEND
        new = False
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            if not self.create:
                raise DeviceError(
                    f"{self.description} does not exist (printer unplugged?)"
                ) from None
            mode, new = stat.S_IFREG, True
        if stat.S_ISREG(mode) and self.create:
            flags |= os.O_CREAT
        try:
            fd = os.open(self.path, flags, FILE_MODE)
        except OSError as exc:
            if exc.errno == errno.ENXIO:
                raise DeviceError(f"{self.description}: no printer is reading it") from None
            raise DeviceError(f"{self.description} cannot be opened: {exc.strerror}") from None
        if new and POSIX:
            os.fchmod(fd, FILE_MODE)  # whatever the umask
        return fd

    def send(self, job: bytes) -> None:
        fd = self._open()
        sent = 0
        try:
            poller = select.poll()
            poller.register(fd, select.POLLOUT)
            while sent < len(job):
                if not poller.poll(self.timeout * 1000):
                    raise DeviceError(
                        f"{self.description} took no data for {self.timeout:g} s after "
                        f"{sent} of {len(job)} bytes (offline or paper out?)"
                    )
                try:
                    sent += os.write(fd, job[sent:])
                except BlockingIOError:
                    time.sleep(0.001)
                except OSError as exc:
                    raise DeviceError(
                        f"{self.description} failed after {sent} bytes: {exc.strerror}"
                    ) from None
        finally:
            os.close(fd)
