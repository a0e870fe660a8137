"""Receipt printer on a serial port (RS-232 or a USB-serial adapter) through pyserial.

The port is opened per job with both a read and a write timeout; pyserial raises
``SerialTimeoutException`` when a write cannot complete in time (the printer's buffer is
full and it has stopped taking bytes), which becomes DeviceError. Hardware flow control
(RTS/CTS) is on by default because that is how ESC/POS printers say "wait, paper is
out"; pass ``rtscts=False`` for a printer wired without it.
"""

from __future__ import annotations

import serial

from ebs_desktop.devices.printers.base import DEFAULT_TIMEOUT
from ebs_desktop.errors import DeviceError

CHUNK = 1024


class SerialReceiptPrinter:
    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 19200,
        rtscts: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.rtscts = rtscts
        self.timeout = timeout

    @property
    def description(self) -> str:
        return f"serial printer {self.port} ({self.baudrate} Bd)"

    def send(self, job: bytes) -> None:
        try:
            link = serial.Serial(
                self.port,
                self.baudrate,
                rtscts=self.rtscts,
                timeout=self.timeout,
                write_timeout=self.timeout,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceError(f"{self.description} cannot be opened: {exc}") from None
        sent = 0
        try:
            while sent < len(job):
                # Each chunk gets the full timeout: a slow printer is fine, a stalled one is not.
                written = link.write(job[sent : sent + CHUNK])
                sent += written or 0
        except serial.SerialTimeoutException:
            raise DeviceError(
                f"{self.description} stopped taking data after {sent} of {len(job)} bytes "
                f"(no progress for {self.timeout:g} s: paper out, cover open or offline?)"
            ) from None
        except (serial.SerialException, OSError) as exc:
            raise DeviceError(f"{self.description} failed after {sent} bytes: {exc}") from None
        finally:
            link.close()
