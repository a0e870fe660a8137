"""Icons drawn as SVG and rendered at the size Qt asks for, so they are crisp at any DPI.

The SVGs in ``resources/icons`` stroke with ``currentColor``. Qt's SVG renderer does not
know a current colour, so :class:`SvgIconEngine` substitutes the theme's colour (one for
the normal state, one for selected, one for disabled) and renders the vector on demand
instead of scaling a bitmap. Icons are cached per name and colour.
"""

from __future__ import annotations

from functools import lru_cache

from ebs_desktop.gui.qt import (
    QByteArray,
    QIcon,
    QIconEngine,
    QImage,
    QPainter,
    QPixmap,
    QRect,
    QRectF,
    QSize,
    QSvgRenderer,
    Qt,
)
from ebs_desktop.paths import icons_dir


class SvgIconEngine(QIconEngine):
    """Renders one SVG, recoloured per icon mode, at the exact pixel size requested."""

    def __init__(self, svg: str, normal: str, selected: str, disabled: str) -> None:
        super().__init__()
        self._svg = svg
        self._colours = {"normal": normal, "selected": selected, "disabled": disabled}
        self._renderers: dict[str, QSvgRenderer] = {}

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        if mode == QIcon.Mode.Disabled:
            key = "disabled"
        elif mode == QIcon.Mode.Selected:
            key = "selected"
        else:
            key = "normal"
        if key not in self._renderers:
            data = self._svg.replace("currentColor", self._colours[key])
            self._renderers[key] = QSvgRenderer(QByteArray(data.encode("utf-8")))
        return self._renderers[key]

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._renderer(mode).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return QPixmap.fromImage(image)

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self._svg, self._colours["normal"], self._colours["selected"],
                             self._colours["disabled"])


_DEFAULT_COLOURS = ("#1f5fa8", "#ffffff", "#9aa5b1")


def set_default_colours(normal: str, selected: str, disabled: str) -> None:
    """Called by the theme so later ``icon(name)`` calls match it."""
    global _DEFAULT_COLOURS
    _DEFAULT_COLOURS = (normal, selected, disabled)
    icon.cache_clear()


@lru_cache(maxsize=256)
def _svg_text(name: str) -> str:
    path = icons_dir() / f"{name}.svg"
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=512)
def icon(name: str, colour: str | None = None, selected: str | None = None) -> QIcon:
    """The named icon from ``resources/icons`` in the theme's colours (or the given ones)."""
    normal, sel, disabled = _DEFAULT_COLOURS
    try:
        svg = _svg_text(name)
    except FileNotFoundError:
        return QIcon()
    return QIcon(SvgIconEngine(svg, colour or normal, selected or sel, disabled))

