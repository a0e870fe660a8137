"""Layout lines to ESC/POS bytes with python-escpos, once per job.

Why render into ``escpos.printer.Dummy`` and send ``.output`` ourselves: python-escpos'
own transports write command by command with their own (or no) timeouts and swallow
partial writes differently; building the whole job first means every transport sends
identical bytes, a failure mid-send is seen by our code, and a queued receipt can be kept
as the exact bytes that will be retried.

The logo is scaled down to the paper's printable width (384 dots on 58 mm, 576 on 80 mm)
and printed as a raster bit image; the QR code uses the printer's native QR command
(``GS ( k``) so the payload travels as text in the job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ebs_desktop.devices.printers.base import PrintOptions
from ebs_desktop.devices.receipts.layout import Block, QrCode
from ebs_desktop.errors import DeviceError

DOTS = {58: 384, 80: 576}


def _logo(path: Path, paper_mm: int) -> Any:
    from PIL import Image

    try:
        image: Image.Image = Image.open(path)
        image.load()
    except OSError as exc:
        raise DeviceError(f"receipt logo {path} cannot be read: {exc}") from None
    max_width = DOTS[paper_mm]
    if image.width > max_width:
        height = max(1, image.height * max_width // image.width)
        image = image.resize((max_width, height))
    return image


def render_job(blocks: tuple[Block, ...], options: PrintOptions) -> bytes:
    """The complete ESC/POS job: init, logo, lines, QR, feed, drawer kick, cut."""
    # imported here: python-escpos loads its capability database (~0.6 s), which only a
    # printed receipt needs, not every ``ebs`` command that reaches the counter services
    from escpos.printer import Dummy

    if options.paper_mm not in DOTS:
        raise DeviceError(f"paper width must be 58 or 80 mm, got {options.paper_mm}")
    printer = Dummy(profile=options.profile)
    printer.hw("INIT")
    if options.logo is not None:
        printer.set(align="center")
        printer.image(_logo(options.logo, options.paper_mm), center=False)
    style: tuple[str, bool, bool] | None = None
    for block in blocks:
        if isinstance(block, QrCode):
            printer.set(align="center")
            printer.qr(block.payload, size=5 if options.paper_mm == 80 else 4, native=True)
            style = None
            continue
        wanted = (block.align, block.bold, block.tall)
        if wanted != style:  # send style commands only when the style changes
            printer.set(
                align=block.align,
                bold=block.bold,
                double_height=block.tall,
                normal_textsize=not block.tall,
            )
            style = wanted
        printer.textln(block.text)
    printer.set(align="left", bold=False, normal_textsize=True)
    if options.kick_drawer:
        printer.cashdraw(options.drawer_pin)
    if options.cut:
        printer.cut()
    else:
        printer.ln(4)
    output: bytes = printer.output
    return output
