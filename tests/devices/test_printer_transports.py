"""The bytes a printer receives over a pseudo-terminal, a TCP socket and a file.

Each transport gets the same rendered job; a printer that stops reading mid-receipt must
end in DeviceError within the timeout, never hang the counter.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from ebs_desktop.devices.printers import (
    FileReceiptPrinter,
    NetworkReceiptPrinter,
    PrintOptions,
    ReceiptPrinter,
    SerialReceiptPrinter,
    UsbReceiptPrinter,
    print_blocks,
    printer_from_url,
    render_job,
)
from ebs_desktop.devices.printers.base import DEFAULT_LOGO
from ebs_desktop.devices.receipts import layout_receipt
from ebs_desktop.devices.receipts.samples import payment_receipt
from ebs_desktop.errors import ConfigError, DeviceError

OPTIONS = PrintOptions(paper_mm=80, logo=DEFAULT_LOGO, kick_drawer=True, cut=True)
DOC = payment_receipt()
BLOCKS = layout_receipt(DOC, 48)
JOB = render_job(BLOCKS, OPTIONS)
# An end-of-day batch reprint: big enough to overrun any printer's and kernel's buffer.
BATCH = JOB * 40
TIMEOUT = 0.5


def assert_is_the_receipt(received: bytes) -> None:
    payload = DOC.qr_payload.encode()
    size = len(payload) + 3
    assert received == JOB
    assert b"\x1d(k" + bytes([size % 256, size // 256]) + b"1P0" + payload in received
    assert b"PAYMENT RECEIPT" in received and b"100000011" in received
    assert b"\x1bp\x00\x32\x32" in received
    assert received.endswith(b"\x1dV\x00")


def read_all(fd: int, expected: int, deadline: float = 5.0) -> bytes:
    got = b""
    end = time.monotonic() + deadline
    while len(got) < expected and time.monotonic() < end:
        got += os.read(fd, 65536)
    return got


def test_serial_printer_over_a_pseudo_terminal() -> None:
    master, slave = os.openpty()
    try:
        printer = SerialReceiptPrinter(os.ttyname(slave), baudrate=9600, timeout=TIMEOUT)
        received: list[bytes] = []
        reader = threading.Thread(target=lambda: received.append(read_all(master, len(JOB))))
        reader.start()
        sent = print_blocks(printer, BLOCKS, OPTIONS)
        reader.join(5)
        assert sent == JOB
        assert_is_the_receipt(received[0])
    finally:
        os.close(master)
        os.close(slave)


def test_serial_printer_that_stops_reading_raises_within_timeout() -> None:
    master, slave = os.openpty()
    try:
        printer = SerialReceiptPrinter(os.ttyname(slave), timeout=TIMEOUT)
        started = time.monotonic()
        with pytest.raises(DeviceError, match="stopped taking data after"):
            printer.send(BATCH)
        assert time.monotonic() - started < TIMEOUT + 2
        head = os.read(master, 4096)
        assert BATCH.startswith(head)  # the printer did get the start of the job
    finally:
        os.close(master)
        os.close(slave)


def test_serial_port_missing() -> None:
    with pytest.raises(DeviceError, match="cannot be opened"):
        SerialReceiptPrinter("/dev/does-not-exist-ttyUSB9").send(JOB)


class PrinterServer:
    """A TCP 'printer' on 127.0.0.1 that reads ``read_limit`` bytes, then stops reading."""

    def __init__(self, read_limit: int | None = None) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port: int = self.sock.getsockname()[1]
        self.read_limit = read_limit
        self.received = b""
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            while self.read_limit is None or len(self.received) < self.read_limit:
                want = 65536 if self.read_limit is None else self.read_limit - len(self.received)
                chunk = conn.recv(min(want, 65536))
                if not chunk:
                    return
                self.received += chunk
            self.stop.wait(10)  # stalled: connected, reading nothing

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


def test_network_printer_over_tcp() -> None:
    server = PrinterServer()
    try:
        printer = NetworkReceiptPrinter("127.0.0.1", server.port, timeout=TIMEOUT)
        print_blocks(printer, BLOCKS, OPTIONS)
        server.thread.join(5)
        assert_is_the_receipt(server.received)
    finally:
        server.close()


def test_network_printer_that_stops_reading_mid_receipt() -> None:
    server = PrinterServer(read_limit=2000)
    try:
        printer = NetworkReceiptPrinter("127.0.0.1", server.port, timeout=TIMEOUT)
        started = time.monotonic()
        with pytest.raises(DeviceError, match="did not answer"):
            printer.send(BATCH)
        assert time.monotonic() - started < TIMEOUT + 2
        assert server.received == BATCH[:2000]
    finally:
        server.close()


def test_network_printer_offline() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, not listening: connection refused
        with pytest.raises(DeviceError, match=r"127\.0\.0\.1"):
            NetworkReceiptPrinter("127.0.0.1", port, timeout=TIMEOUT).send(JOB)


def test_file_printer_appends_the_same_bytes(tmp_path: Path) -> None:
    spool = tmp_path / "receipts.prn"
    printer = FileReceiptPrinter(spool, create=True, timeout=TIMEOUT)
    print_blocks(printer, BLOCKS, OPTIONS)
    assert_is_the_receipt(spool.read_bytes())
    printer.send(JOB)
    assert spool.read_bytes() == JOB + JOB
    with pytest.raises(DeviceError, match="does not exist"):
        FileReceiptPrinter(tmp_path / "lp0", timeout=TIMEOUT).send(JOB)


def test_file_printer_on_a_fifo_nobody_reads(tmp_path: Path) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    printer = FileReceiptPrinter(fifo, timeout=TIMEOUT)
    with pytest.raises(DeviceError, match="no printer is reading"):
        printer.send(JOB)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader that never reads
    try:
        started = time.monotonic()
        with pytest.raises(DeviceError, match="took no data"):
            printer.send(BATCH)
        assert time.monotonic() - started < TIMEOUT + 2
        assert BATCH.startswith(os.read(reader, 4096))
    finally:
        os.close(reader)


def test_usb_printer_gives_a_readable_error() -> None:
    # No pyusb/libusb here, or no such device: either way a DeviceError naming the printer.
    with pytest.raises(DeviceError, match="USB printer 04b8:0e15"):
        UsbReceiptPrinter(0x04B8, 0x0E15, timeout=TIMEOUT).send(JOB)


def test_printer_from_url() -> None:
    tcp = printer_from_url("tcp://10.0.0.7:9100")
    assert isinstance(tcp, NetworkReceiptPrinter) and (tcp.host, tcp.port) == ("10.0.0.7", 9100)
    ser = printer_from_url("serial:///dev/ttyUSB0?baud=9600&rtscts=0")
    assert isinstance(ser, SerialReceiptPrinter)
    assert (ser.port, ser.baudrate, ser.rtscts) == ("/dev/ttyUSB0", 9600, False)
    usb = printer_from_url("usb://04b8:0202")
    assert isinstance(usb, UsbReceiptPrinter) and usb.product_id == 0x0202
    assert isinstance(printer_from_url("file:///dev/usb/lp0"), FileReceiptPrinter)
    for printer in (tcp, ser, usb):
        assert isinstance(printer, ReceiptPrinter)
    with pytest.raises(ConfigError):
        printer_from_url("lpt1")
