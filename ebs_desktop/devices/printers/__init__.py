"""Receipt printers: one ESC/POS job, rendered once, sent over USB, serial, TCP or a file.

``print_blocks(printer, blocks, options)`` renders a layout (see
:mod:`ebs_desktop.devices.receipts`) and sends it; ``printer_from_url`` builds an adapter
from the setting string a counter stores (``tcp://10.0.0.7:9100``, ``serial:///dev/ttyUSB0
?baud=9600``, ``file:///dev/usb/lp0``, ``usb://04b8:0202``).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from ebs_desktop.devices.printers.base import DEFAULT_TIMEOUT, PrintOptions, ReceiptPrinter
from ebs_desktop.devices.printers.escpos_render import render_job
from ebs_desktop.devices.printers.file_printer import FileReceiptPrinter
from ebs_desktop.devices.printers.network_printer import NetworkReceiptPrinter
from ebs_desktop.devices.printers.serial_printer import SerialReceiptPrinter
from ebs_desktop.devices.printers.usb_printer import UsbReceiptPrinter
from ebs_desktop.devices.receipts.layout import Block
from ebs_desktop.errors import ConfigError

__all__ = [
    "FileReceiptPrinter",
    "NetworkReceiptPrinter",
    "PrintOptions",
    "ReceiptPrinter",
    "SerialReceiptPrinter",
    "UsbReceiptPrinter",
    "print_blocks",
    "printer_from_url",
    "render_job",
]


def print_blocks(
    printer: ReceiptPrinter, blocks: tuple[Block, ...], options: PrintOptions
) -> bytes:
    """Render and send one job; returns the bytes sent (kept by the print queue)."""
    job = render_job(blocks, options)
    printer.send(job)
    return job


def printer_from_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> ReceiptPrinter:
    """An adapter from a printer URL (see the module docstring); ConfigError if malformed."""
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        if parts.scheme == "tcp" and parts.hostname:
            return NetworkReceiptPrinter(parts.hostname, parts.port or 9100, timeout=timeout)
        if parts.scheme == "serial" and parts.path:
            return SerialReceiptPrinter(
                parts.path,
                baudrate=int(query.get("baud", "19200")),
                rtscts=query.get("rtscts", "1") not in ("0", "false", "no"),
                timeout=timeout,
            )
        if parts.scheme == "file" and parts.path:
            return FileReceiptPrinter(
                parts.path, create=query.get("create") == "1", timeout=timeout
            )
        if parts.scheme == "usb":
            vendor, product = parts.netloc.split(":")
            return UsbReceiptPrinter(int(vendor, 16), int(product, 16), timeout=timeout)
    except ValueError as exc:
        raise ConfigError(f"printer URL {url!r}: {exc}") from None
    raise ConfigError(
        f"printer URL {url!r} not understood; use tcp://HOST:9100, "
        "serial:///dev/ttyUSB0?baud=9600, file:///dev/usb/lp0 or usb://VVVV:PPPP"
    )
