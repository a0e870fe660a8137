"""Fast text and rectangles for fixed PDF layouts (bills, stubs) on a reportlab canvas.

Why: ``Canvas.drawString`` builds a text object per call, re-emits font and colour each
time and formats every number through reportlab's pure-Python ``fp_str``; a bill has ~130
strings, and a run prints hundreds of bills a second. :class:`PageText` writes a page's
strings as one block of text operators, emitting font and colour only when they change,
and :func:`fill_runs` writes many rectangles (QR modules, barcode bars) as literal
``re`` operators in a scaled coordinate system with integer operands, instead of one
``Canvas.rect`` call (with four float conversions) per rectangle.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

INK = Color(0.1, 0.1, 0.1)


_ESCAPES = {ord("\\"): "\\\\", ord("("): "\\(", ord(")"): "\\)"}


def _pdf_string(s: str) -> str:
    """A PDF literal string for the standard fonts (WinAnsi; what it lacks becomes '?')."""
    raw = s.encode("cp1252", "replace")
    if raw.isascii() and raw.decode("ascii").isprintable():
        return raw.decode("ascii").translate(_ESCAPES)
    out = []
    for byte in raw:
        ch = chr(byte)
        if 32 <= byte < 127:
            out.append(ch.translate(_ESCAPES))
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)


@lru_cache(maxsize=8192)
def text_width(s: str, font: str, size: float) -> float:
    return float(stringWidth(s, font, size))


class PageText:
    """All text of one page, written as one ``q BT .. ET Q`` block by :meth:`flush`.

    Only the standard PDF fonts (Helvetica family) are supported: they need no embedding,
    which keeps a bill small and fast.
    """

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self._ops: list[str] = []
        self._font: tuple[str, float] | None = None
        self._color: Color | None = None
        self._names: dict[str, str] = {}

    def _style(self, font: str, size: float, color: Color) -> None:
        if self._font != (font, size):
            name = self._names.get(font)
            if name is None:
                name = self._names[font] = self.canvas._doc.getInternalFontName(font)
            self._ops.append(f"{name} {size:g} Tf")
            self._font = (font, size)
        if self._color is not color:
            self._ops.append(f"{color.red:.3f} {color.green:.3f} {color.blue:.3f} rg")
            self._color = color

    def left(self, x: float, y: float, s: str, size: float = 8.5, font: str = "Helvetica",
             color: Color = INK) -> None:
        self._style(font, size, color)
        self._ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm ({_pdf_string(s)}) Tj")

    def right(self, x: float, y: float, s: str, size: float = 8.5, font: str = "Helvetica",
              color: Color = INK) -> None:
        self.left(x - text_width(s, font, size), y, s, size, font, color)

    def centre(self, x: float, y: float, s: str, size: float = 8.5, font: str = "Helvetica",
               color: Color = INK) -> None:
        self.left(x - text_width(s, font, size) / 2, y, s, size, font, color)

    def flush(self) -> None:
        """Write the collected text (on top of everything drawn so far) and start afresh."""
        if self._ops:
            self.canvas.addLiteral("q BT\n" + "\n".join(self._ops) + "\nET Q")
        self._ops = []
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
