"""Receipt printer on USB through python-escpos' ``Usb`` (pyusb + libusb).

pyusb and libusb are optional: a counter PC printing over the network or serial needs
neither. When they are missing, or the printer is not plugged in, the clerk gets a
DeviceError that says which, instead of a traceback from deep inside the library.
The job is written in one bulk transfer with ``timeout`` (milliseconds to libusb).
"""

from __future__ import annotations

from typing import Any

from ebs_desktop.devices.printers.base import DEFAULT_TIMEOUT
from ebs_desktop.errors import DeviceError


class UsbReceiptPrinter:
    def __init__(
        self,
        vendor_id: int,
        product_id: int,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        out_endpoint: int = 0x01,
        in_endpoint: int = 0x82,
    ) -> None:
        self.vendor_id = vendor_id
        self.product_id = product_id
        self.timeout = timeout
        self.out_endpoint = out_endpoint
        self.in_endpoint = in_endpoint

    @property
    def description(self) -> str:
        return f"USB printer {self.vendor_id:04x}:{self.product_id:04x}"

    def _open(self) -> Any:
        from escpos.printer import Usb

        if not Usb.is_usable():
            raise DeviceError(
                f"{self.description}: USB printing needs the pyusb package and the libusb "
                "library (pip install pyusb; apt install libusb-1.0-0), or use a network, "
                "serial or file printer"
            )
        printer = Usb(
            self.vendor_id,
            self.product_id,
            timeout=int(self.timeout * 1000),
            in_ep=self.in_endpoint,
            out_ep=self.out_endpoint,
        )
        try:
            printer.open()
        except Exception as exc:  # DeviceNotFoundError, USBError, NoBackendError (no libusb)
            raise DeviceError(f"{self.description} not found or not accessible: {exc}") from None
        return printer

    def send(self, job: bytes) -> None:
        printer = self._open()
        try:
            printer.device.write(printer.out_ep, job, printer.timeout)
        except Exception as exc:  # usb.core.USBTimeoutError, USBError
            raise DeviceError(f"{self.description} failed while printing: {exc}") from None
        finally:
            printer.close()
