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
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import getFont, registerFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
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


# Fonts with Latin Extended, Greek and Cyrillic for names the standard fonts cannot show
# (WinAnsi has no "Ł"). First existing pair wins; configure_unicode_font() overrides.
_UNICODE_CANDIDATES: list[tuple[Path, Path]] = [
    (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
     Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")),
    (Path("C:/Windows/Fonts/arial.ttf"), Path("C:/Windows/Fonts/arialbd.ttf")),
    (Path("/System/Library/Fonts/Supplemental/Arial.ttf"),
     Path("/System/Library/Fonts/Supplemental/Arial Bold.ttf")),
]
UNICODE_REGULAR, UNICODE_BOLD = "EbsUnicode", "EbsUnicode-Bold"


def configure_unicode_font(regular: Path, bold: Path) -> None:
    """Use these TrueType files for text the standard fonts cannot encode."""
    _UNICODE_CANDIDATES.insert(0, (regular, bold))
    unicode_font.cache_clear()


@lru_cache(maxsize=2)
def unicode_font(bold: bool) -> str | None:
    """Name of the registered Unicode fallback font (None if no font file is found)."""
    for regular, heavy in _UNICODE_CANDIDATES:
        path = heavy if bold else regular
        if path.is_file():
            name = UNICODE_BOLD if bold else UNICODE_REGULAR
            registerFont(TTFont(name, str(path)))
            return name
    return None


def is_winansi(s: str) -> bool:
    """True if the standard PDF fonts can show ``s`` as it is."""
    try:
        s.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=8192)
def text_width(s: str, font: str, size: float) -> float:
    return float(stringWidth(s, font, size))


class PageText:
    """All text of one page, written as one ``q BT .. ET Q`` block by :meth:`flush`.

    Text is set in the standard PDF fonts (Helvetica family), which need no embedding and
    keep a bill small and fast; a string they cannot encode (``Łukasz``, Cyrillic, Greek)
    is set in an embedded TrueType fallback (:func:`unicode_font`), or with ``?`` for the
    missing letters when no such font file exists on the machine.
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
        if not s.isascii() and not is_winansi(s):
            fallback = unicode_font("Bold" in font)
            if fallback is not None:
                self._unicode(x, y, s, size, fallback, color)
                return
        self._style(font, size, color)
        self._ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm ({_pdf_string(s)}) Tj")

    def _unicode(self, x: float, y: float, s: str, size: float, font: str,
                 color: Color) -> None:
        """Text in the embedded TrueType fallback, one subset font switch per run."""
        self._style("Helvetica", size, color)  # keeps the colour state in step
        doc = self.canvas._doc
        ttf = getFont(font)
        self._ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        for subset, chunk in ttf.splitString(s, doc):
            name = ttf.getSubsetInternalName(subset, doc)
            self._ops.append(f"{name} {size:g} Tf ({self.canvas._escape(chunk)}) Tj")
        self._font = None  # the next string re-selects its font

    def _width(self, s: str, font: str, size: float) -> float:
        if not s.isascii() and not is_winansi(s):
            fallback = unicode_font("Bold" in font)
            if fallback is not None:
                return text_width(s, fallback, size)
        return text_width(s, font, size)

    def fitted(self, x: float, y: float, s: str, max_width: float, size: float = 8.5,
               font: str = "Helvetica", color: Color = INK, min_size: float = 6.5) -> None:
        """Left-aligned text shrunk to ``max_width`` (down to ``min_size``), then cut with '…'."""
        while size > min_size and self._width(s, font, size) > max_width:
            size = max(min_size, size - 0.5)
        if self._width(s, font, size) > max_width:
            while len(s) > 1 and self._width(s + "…", font, size) > max_width:
                s = s[:-1]
            s = s.rstrip() + "…"
        self.left(x, y, s, size, font, color)

    def right(self, x: float, y: float, s: str, size: float = 8.5, font: str = "Helvetica",
              color: Color = INK) -> None:
        self.left(x - self._width(s, font, size), y, s, size, font, color)

    def centre(self, x: float, y: float, s: str, size: float = 8.5, font: str = "Helvetica",
               color: Color = INK) -> None:
        self.left(x - self._width(s, font, size) / 2, y, s, size, font, color)

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
