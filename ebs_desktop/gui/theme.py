"""Light and dark themes: the Fusion style, a matching palette, a style sheet, icon colours.

The look is defined by ``ui/styles/<theme>.qss``; the palette here only makes the parts a
style sheet does not reach (message boxes, native dialogs, tooltips) agree with it. The
theme is a person's choice kept in QSettings (``appearance/theme``), default light.
"""

from __future__ import annotations

from dataclasses import dataclass

from ebs_desktop.gui import icons
from ebs_desktop.gui.qt import QApplication, QColor, QPalette
from ebs_desktop.paths import styles_dir

THEMES = ("light", "dark")


@dataclass(frozen=True)
class ThemeColours:
    window: str
    surface: str
    text: str
    muted: str
    accent: str
    icon: str
    icon_on_dark: str
    icon_disabled: str


COLOURS: dict[str, ThemeColours] = {
    "light": ThemeColours(window="#f3f5f8", surface="#ffffff", text="#1b2430", muted="#566273",
                          accent="#1f5fa8", icon="#1f5fa8", icon_on_dark="#d5e0ee",
                          icon_disabled="#a3adb9"),
    "dark": ThemeColours(window="#14181e", surface="#1c2229", text="#e4e9ef", muted="#9aa7b7",
                         accent="#3d82d6", icon="#8fbcf0", icon_on_dark="#c9d3df",
                         icon_disabled="#5b6673"),
}


def style_sheet(theme: str) -> str:
    """The theme's style sheet; ``@STYLES@`` in it is its folder (images beside it)."""
    text = (styles_dir() / f"{theme}.qss").read_text(encoding="utf-8")
    return text.replace("@STYLES@", styles_dir().as_posix())


def _palette(c: ThemeColours) -> QPalette:
    pal = QPalette()
    role = QPalette.ColorRole
    pal.setColor(role.Window, QColor(c.window))
    pal.setColor(role.WindowText, QColor(c.text))
    pal.setColor(role.Base, QColor(c.surface))
    pal.setColor(role.AlternateBase, QColor(c.window))
    pal.setColor(role.Text, QColor(c.text))
    pal.setColor(role.Button, QColor(c.surface))
    pal.setColor(role.ButtonText, QColor(c.text))
    pal.setColor(role.Highlight, QColor(c.accent))
    pal.setColor(role.HighlightedText, QColor("#ffffff"))
    pal.setColor(role.ToolTipBase, QColor(c.surface))
    pal.setColor(role.ToolTipText, QColor(c.text))
    pal.setColor(role.PlaceholderText, QColor(c.muted))
    pal.setColor(role.Link, QColor(c.accent))
    return pal


def apply_theme(app: QApplication, theme: str) -> str:
    """Apply ``theme`` (unknown names fall back to light); returns the theme applied."""
    name = theme if theme in THEMES else "light"
    colours = COLOURS[name]
    app.setStyle("Fusion")
    app.setPalette(_palette(colours))
    icons.set_default_colours(colours.icon, "#ffffff", colours.icon_disabled)
    app.setStyleSheet(style_sheet(name))
    app.setProperty("ebs_theme", name)
    return name


def current_colours(app: QApplication) -> ThemeColours:
    name = app.property("ebs_theme")
    return COLOURS[name if name in COLOURS else "light"]
