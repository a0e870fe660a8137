"""UI state kept between sessions in QSettings (organisation "EBS", application "EBS Desktop").

Only how the window looks and where the person left off lives here: geometry, splitter
state, last page, theme, language. Business settings live in the database.
"""

from __future__ import annotations

from ebs_desktop.gui.qt import QByteArray, QSettings

ORGANISATION = "EBS"
APPLICATION = "EBS Desktop"


def settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


def get_str(key: str, default: str = "") -> str:
    value = settings().value(key, default)
    return value if isinstance(value, str) else default


def set_value(key: str, value: str | QByteArray) -> None:
    s = settings()
    s.setValue(key, value)
    s.sync()


def get_bytes(key: str) -> QByteArray | None:
    value = settings().value(key)
    return value if isinstance(value, QByteArray) else None
