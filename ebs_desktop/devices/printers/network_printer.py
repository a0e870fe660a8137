"""Receipt printer on the network: raw TCP to port 9100 (JetDirect / "RAW" printing).

Why a small send buffer: with the kernel's default (up to megabytes), a whole receipt
fits in our own socket buffer, ``sendall`` returns at once and a printer that has stopped
reading looks healthy. Capping ``SO_SNDBUF`` keeps the job flowing in step with the
printer, so a stall shows as a send timeout, mid-receipt, and becomes DeviceError.
"""

from __future__ import annotations

import socket

from ebs_desktop.devices.printers.base import DEFAULT_TIMEOUT
from ebs_desktop.errors import DeviceError

CHUNK = 1024


class NetworkReceiptPrinter:
    def __init__(
        self,
        host: str,
        port: int = 9100,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        send_buffer: int = 4096,
    ) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self.send_buffer = send_buffer

    @property
    def description(self) -> str:
        return f"network printer {self.host}:{self.port}"

    def send(self, job: bytes) -> None:
        try:
            infos = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise DeviceError(f"{self.description}: cannot resolve host: {exc}") from None
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
        sent = 0
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.send_buffer)
            sock.settimeout(self.timeout)
            sock.connect(address)
            view = memoryview(job)
            while sent < len(job):
                sent += sock.send(view[sent : sent + CHUNK])
            sock.shutdown(socket.SHUT_WR)
        except TimeoutError:
            raise DeviceError(
                f"{self.description} did not answer for {self.timeout:g} s after "
                f"{sent} of {len(job)} bytes (offline, paper out or cover open?)"
            ) from None
        except OSError as exc:
            raise DeviceError(f"{self.description} failed after {sent} bytes: {exc}") from None
        finally:
            sock.close()
