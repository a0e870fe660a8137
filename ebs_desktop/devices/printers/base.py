"""The receipt printer role: a transport that takes one job's bytes or raises DeviceError.

Why the transports only move bytes: every printer gets exactly the same ESC/POS job
(rendered once by :mod:`.escpos_render`), so a receipt printed over USB, serial, TCP or to
a file differs in nothing but the wire, and a test of the bytes over one transport holds
for all. Each adapter has a timeout on connecting and on every write: a printer that is
off, out of paper with a full buffer, or stops reading mid-receipt raises
:class:`~ebs_desktop.errors.DeviceError` within ``timeout`` seconds, and the caller (the
payment service) leaves the receipt in its print queue to retry or reprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from ebs_desktop.paths import resources_dir

DEFAULT_TIMEOUT = 5.0
RESOURCES = resources_dir()
DEFAULT_LOGO = RESOURCES / "receipt-logo.png"


@runtime_checkable
class ReceiptPrinter(Protocol):
    """A printer reachable over one transport."""

    @property
    def description(self) -> str:
        """Where the printer is, for messages ("network printer 10.0.0.7:9100")."""
        ...

    def send(self, job: bytes) -> None:
        """Deliver the whole job or raise DeviceError (within the adapter's timeout)."""
        ...


@dataclass(frozen=True, slots=True)
class PrintOptions:
    """How a job is rendered: paper, logo, cash drawer, cut."""

    paper_mm: int = 80
    logo: Path | None = None
    kick_drawer: bool = False
    drawer_pin: int = 2
    cut: bool = True
    profile: str = "TM-T88III"
    """python-escpos capability profile: code pages and QR support of the model."""
