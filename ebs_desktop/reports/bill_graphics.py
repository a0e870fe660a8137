"""The pictures on a bill (consumption chart, QR code, barcode, logo) drawn straight on a canvas.

Why not reportlab.graphics ``Drawing`` charts here: a billing run prints hundreds of bills a
second, and building a chart widget tree per bill costs more than the rest of the page. Twelve
bars, a grid and labels are a few rectangles on the canvas. The QR matrix is drawn as one
filled path of merged horizontal runs (a few hundred rectangles, one PDF operator each) with a
fixed mask pattern, which skips the eight trial encodings ``qrcode`` would otherwise make.

Floats appear only as chart geometry (bar heights in points, from kWh); no amount of money is
ever converted to float.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.graphics.barcode.code128 import Code128Auto
from reportlab.lib.colors import Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from ebs_desktop.reports.bill_document import ConsumptionPoint
from ebs_desktop.reports.pdf_text import PageText, fill_runs

BAR = Color(0.55, 0.70, 0.86)
BAR_CURRENT = Color(0.07, 0.30, 0.55)
GRID = Color(0.82, 0.82, 0.82)


@lru_cache(maxsize=8)
def logo_reader(path: Path) -> ImageReader:
    """One decoded logo per process; reportlab then embeds it once per PDF file."""
    return ImageReader(str(path))


def _nice_step(top: Decimal) -> Decimal:
    """A round grid step (1, 2 or 5 times a power of ten) giving about four grid lines."""
    if top <= 0:
        return Decimal(1)
    raw = top / 4
    power = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal("0.1")
    for factor in (1, 2, 5, 10):
        step = power * factor
        if step >= raw:
            return step
    return power * 10


def draw_consumption_chart(c: Canvas, pt: PageText, points: Sequence[ConsumptionPoint],
                           x: float, y: float, width: float, height: float, title: str) -> None:
    """Bar chart of the last periods; the last bar (this bill's period) is dark."""
    pt.left(x, y + height - 8, title, 8, "Helvetica-Bold")
    if not points:
        pt.left(x, y + height - 22, "No consumption history yet.", 7)
        return
    label_h, axis_w = 10.0, 30.0
    plot_x, plot_y = x + axis_w, y + label_h
    plot_w, plot_h = width - axis_w, height - label_h - 16
    top = max(max(p.kwh for p in points), Decimal(0))
    step = _nice_step(top)
    steps = int((top * Decimal("1.04") / step).to_integral_value(rounding=ROUND_CEILING)) or 1
    scale_top = step * steps
    c.setStrokeColor(GRID)
    c.setLineWidth(0.4)
    c.lines([(plot_x, gy, plot_x + plot_w, gy)
             for gy in (plot_y + plot_h * i / steps for i in range(steps + 1))])
    for i in range(steps + 1):
        pt.right(plot_x - 3, plot_y + plot_h * i / steps - 2, f"{step * i:,f}", 6)
    slot = plot_w / 12
    bar_w = slot * 0.62
    for i, point in enumerate(points):
        bx = plot_x + slot * i + (slot - bar_w) / 2
        kwh = max(point.kwh, Decimal(0))
        bh = float(kwh / scale_top) * plot_h  # chart geometry only
        c.setFillColor(BAR_CURRENT if i == len(points) - 1 else BAR)
        c.rect(bx, plot_y, bar_w, bh, stroke=0, fill=1)
        if kwh == 0:  # a month with no consumption is a zero, not a missing month
            c.rect(bx, plot_y, bar_w, 0.8, stroke=0, fill=1)
            pt.centre(bx + bar_w / 2, plot_y + 2.5, "0", 6)
        pt.centre(bx + bar_w / 2, y + 2, point.label, 6)


def qr_matrix_runs(payload: str) -> tuple[int, list[tuple[int, int, int, int]]]:
    """(modules per side, dark runs as (column, row from bottom, length, 1))."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=2)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    runs: list[tuple[int, int, int, int]] = []
    for r, row in enumerate(matrix):
        start = -1
        for col, dark in enumerate([*row, False]):
            if dark and start < 0:
                start = col
            elif not dark and start >= 0:
                runs.append((start, size - 1 - r, col - start, 1))
                start = -1
    return size, runs


def draw_qr(c: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """QR code with its lower-left corner at (x, y), ``size`` points square (quiet zone outside)."""
    modules, runs = qr_matrix_runs(payload)
    fill_runs(c, runs, x, y, size / modules, size / modules)


def barcode_bars(value: str) -> tuple[int, list[tuple[int, int, int, int]]]:
    """Code128 (automatic code sets) as (width in modules, bars as (left, 0, width, 1))."""
    code = Code128Auto(value, quiet=False)
    left, bars = 0, []
    code.validate()
    code.encode()
    for ch in code.decompose():
        if "A" <= ch <= "Z":
            width = ord(ch) - 64
            bars.append((left, 0, width, 1))
            left += width
        elif "a" <= ch <= "z":
            left += ord(ch) - 96
    return left, bars


def draw_barcode(c: Canvas, pt: PageText, value: str, x: float, y: float, max_width: float,
                 height: float) -> float:
    """Code128 with its text below, module width at most 1 pt. Returns the width used."""
    modules, bars = barcode_bars(value)
    module = min(1.0, max_width / modules)
    fill_runs(c, bars, x, y + 9, module, height)
    width = modules * module
    pt.centre(x + width / 2, y, value, 7)
    return width
