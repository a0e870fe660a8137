"""What every screen shares: a header, a body, and a plain placeholder when its service
is missing.

A page gets a :class:`PageContext` (the task runner, the signed-in user, the service
facade) and builds its body in :meth:`Page.build_body`. If the service it needs is not in
this build, the body is a :class:`ServicePlaceholder` saying so and listing what the
screen will do, never a blank area. Actions from the registry reach the page through
:meth:`Page.trigger`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ebs_desktop.gui.i18n import translate
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.pages import PageSpec, service_installed
from ebs_desktop.gui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.session import SignedInUser
from ebs_desktop.gui.tasks import SyncRunner, TaskRunner


@dataclass
class PageContext:
    runner: TaskRunner = field(default_factory=SyncRunner)
    user: SignedInUser | None = None
    services: Any = None  # the service facade, once the services land
    service_available: Callable[[str], bool] = service_installed


class ServicePlaceholder(QFrame):
    """Says plainly that a screen waits for its service, and what the screen will offer."""

    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Placeholder")
        self.setFixedWidth(620)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(10)
        top = QHBoxLayout()
        badge = QLabel()
        badge.setPixmap(icon(spec.icon).pixmap(QSize(40, 40)))
        top.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        title = QLabel(self.tr("{0} is not available yet").format(translate("Pages", spec.title)))
        title.setObjectName("PlaceholderTitle")
        title.setWordWrap(True)
        top.addWidget(title, 1)
        layout.addLayout(top)
        body = QLabel(self.tr(
            "This screen needs a service that is not part of this build yet. "
            "It will appear here as soon as the service is installed; nothing is lost "
            "in the meantime."))
        body.setObjectName("PlaceholderBody")
        body.setWordWrap(True)
        layout.addWidget(body)
        module = QLabel(spec.service_module)
        module.setObjectName("PlaceholderCode")
        module.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(module, 0, Qt.AlignmentFlag.AlignLeft)
        if spec.features:
            heading = QLabel(self.tr("What this screen will do"))
            heading.setObjectName("SectionTitle")
            layout.addSpacing(6)
            layout.addWidget(heading)
            for feature in spec.features:
                item = QLabel("•  " + translate("Pages", feature))
                item.setWordWrap(True)
                layout.addWidget(item)
        # Wrapped labels under-report their height in a fixed-width card; give each the
        # height its text needs at the card's inner width so nothing is clipped.
        inner = 620 - 64
        for label in self.findChildren(QLabel):
            if label.wordWrap():
                label.setMinimumHeight(label.heightForWidth(inner - 8) + 2)


class Page(QWidget):
    """One screen. Subclasses override :meth:`build_body` and :meth:`trigger`."""

    def __init__(self, spec: PageSpec, context: PageContext) -> None:
        super().__init__()
        self.spec = spec
        self.context = context
        self.setObjectName(f"page_{spec.key}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._header())
        content = QWidget()
        self.content_layout = QVBoxLayout(content)
        self.content_layout.setContentsMargins(20, 16, 20, 16)
        self.content_layout.setSpacing(12)
        outer.addWidget(content, 1)
        self.available = context.service_available(spec.service_module)
        if self.available:
            self.body: QWidget = self.build_body()
            self.content_layout.addWidget(self.body, 1)
        else:
            self.body = ServicePlaceholder(spec)
            self.content_layout.addStretch(1)
            self.content_layout.addWidget(self.body, 0, Qt.AlignmentFlag.AlignHCenter)
            self.content_layout.addStretch(2)

    def _header(self) -> QWidget:
        header = QWidget()
        header.setObjectName("PageHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(header)
        layout.setContentsMargins(20, 14, 20, 12)
        layout.setSpacing(2)
        title = QLabel(translate("Pages", self.spec.title))
        title.setObjectName("PageTitle")
        subtitle = QLabel(translate("Pages", self.spec.subtitle))
        subtitle.setObjectName("PageSubtitle")
        layout.addWidget(title)
        layout.addWidget(subtitle)
        return header

    def build_body(self) -> QWidget:
        return QWidget()

    def trigger(self, action_id: str) -> bool:
        """Handle a registry action; False if this page cannot do it (yet)."""
        return False

    def activated(self) -> None:
        """Called each time the page is shown: put the focus where work starts."""
        if self.available:
            self.body.setFocus()


def wiring_banner(service_module: str) -> QLabel:
    """Shown on a screen whose service exists but whose actions are not connected yet."""
    label = QLabel(translate(
        "Pages", "Layout ready; actions are being connected to {0}.").format(service_module))
    label.setObjectName("InfoBanner")
    label.setWordWrap(True)
    return label
