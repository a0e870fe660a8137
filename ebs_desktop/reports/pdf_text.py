"""Fast text and rectangles for fixed PDF layouts (bills, stubs) on a reportlab canvas.

Why: ``Canvas.drawString`` builds a text object per call and re-emits font and colour each
time; a bill has ~80 strings, and a run prints hundreds of bills a second. :class:`PageText`
collects a page's strings into one text object, emitting font and colour only when they
change, and :func:`fill_runs` writes many rectangles (QR modules, barcode bars) as literal
``re`` operators in a scaled coordinate system with integer operands, instead of one
``Canvas.rect`` call (with four float conversions) per rectangle.
"""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

INK = Color(0.1, 0.1, 0.1)


class PageText:
    """All text of one page, written as one ``BT .. ET`` block by :meth:`flush`."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.text: PDFTextObject = canvas.beginText()
        self._font: tuple[str, float] | None = None
        self._color: Color | None = None

    def _style(self, font: str, size: float, color: Color) -> None:
        if self._font != (font, size):
            self.text.setFont(font, size)
            self._font = (font, size)
        if self._color is not color:
            self.text.setFillColor(color)
            self._color = color

    def left(self, x: float, y: float, s: str, size: float = 8.5, font: str = "Helvetica",
             color: Color = INK) -> None:
        self._style(font, size, color)
        self.text.setTextOrigin(x, y)
        self.text.textOut(s)

    def right(self, x: float, y: float, s: str, size: float = 8.5, font: str = "Helvetica",
              color: Color = INK) -> None:
        self.left(x - stringWidth(s, font, size), y, s, size, font, color)

    def centre(self, x: float, y: float, s: str, size: float = 8.5, font: str = "Helvetica",
               color: Color = INK) -> None:
        self.left(x - stringWidth(s, font, size) / 2, y, s, size, font, color)

    def flush(self) -> None:
        """Write the collected text (on top of everything drawn so far) and start afresh."""
        self.canvas.drawText(self.text)
        self.text = self.canvas.beginText()
        self._font = None
        self._color = None


def fill_runs(canvas: Canvas, runs: Iterable[tuple[int, int, int, int]], x: float, y: float,
              unit_x: float, unit_y: float, color: Color = INK) -> None:
    """Fill rectangles given in grid units (left, bottom, width, height) at (x, y)."""
    canvas.setFillColor(color)
    ops = [f"q {unit_x:.5f} 0 0 {unit_y:.5f} {x:.3f} {y:.3f} cm"]
    ops.extend(f"{a} {b} {w} {h} re" for a, b, w, h in runs)
    ops.append("f Q")
    canvas.addLiteral("\n".join(ops))
