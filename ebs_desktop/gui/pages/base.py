"""What every screen shares: a header, a body, a plain placeholder when its service is
missing, and the one way to call the services.

A page gets a :class:`PageContext` (the task runner, the signed-in user, the service hub,
the change bus) and builds its body in :meth:`Page.build_body`. If the service it needs
is not in this build, the body is a :class:`ServicePlaceholder` saying so and listing what
the screen will do, never a blank area. Actions from the registry reach the page through
:meth:`Page.trigger`.

Every service call goes through :meth:`ServiceUser.call` (pages and their tabs)::

    self.call(lambda _task: self.staff.counter.post_payment(...), self.show_receipt,
              changes={PAYMENTS, ACCOUNTS})

It runs on the worker thread, hands the result to ``done`` on the GUI thread, reports a
failure the one way (``failed`` if given, else the error dialog), and after a call that
changed data announces the kinds changed, so that every page showing them refreshes itself
in :meth:`Page.data_changed` (see :mod:`ebs_desktop.gui.changes`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.changes import KINDS, SETTINGS, ChangeBus, DataChange, change_kinds
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
from ebs_desktop.gui.tasks import SyncRunner, Task, TaskHandle, TaskRunner
from ebs_desktop.services.facade import StaffServices
from ebs_desktop.services.progress import Progress, TaskState
from ebs_desktop.services.settings import UtilitySettings

T = TypeVar("T")


@dataclass
class PageContext:
    runner: TaskRunner = field(default_factory=SyncRunner)
    user: SignedInUser | None = None
    services: ServiceHub | None = None
    service_available: Callable[[str], bool] = service_installed
    changes: ChangeBus = field(default_factory=ChangeBus)


class ServiceUser:
    """What a page and each of its tabs use to reach the services (a mixin for widgets
    that have a :class:`PageContext` in ``self.context``)."""

    context: PageContext

    @property
    def hub(self) -> ServiceHub:
        hub = self.context.services
        if hub is None:
            raise RuntimeError("this screen has no services")
        return hub

    @property
    def connected(self) -> bool:
        """Whether services are there (a screen shown without them loads nothing)."""
        return self.context.services is not None

    @property
    def staff(self) -> StaffServices:
        """The signed-in user's facade."""
        return self.hub.staff

    @property
    def settings(self) -> UtilitySettings:
        """The utility settings snapshot of this sign-in."""
        return self.hub.settings

    def call(self, fn: Callable[[TaskState], T], done: Callable[[T], None] | None = None, *,
             failed: Callable[[BaseException], None] | None = None,
             cancelled: Callable[[], None] | None = None,
             progress: Callable[[Progress], None] | None = None,
             progress_dialog: str | None = None,
             changes: Iterable[str] = ()) -> TaskHandle:
        """Run ``fn`` on the worker thread; ``done`` gets its result on the GUI thread.

        A failure goes to ``failed``, else to the error dialog; a cancelled task to
        ``cancelled``. After success the ``changes`` (kinds of data, see
        :mod:`ebs_desktop.gui.changes`) are announced to every page, after ``done``; a
        change of the settings reads the settings snapshot again first (on the worker).
        A cancelled task announces them too: a long job keeps the units it committed
        before it stopped."""
        kinds = change_kinds(changes)
        hub = self.context.services
        bus = self.context.changes
        owner = self if isinstance(self, QWidget) else None

        def work(state: TaskState) -> T:
            result = fn(state)
            if SETTINGS in kinds and hub is not None:
                hub.reload_settings()
            return result

        def succeeded(result: T) -> None:
            if done is not None:
                done(result)
            bus.announce(kinds, self)

        def stopped() -> None:
            if cancelled is not None:
                cancelled()
            bus.announce(kinds, self)

        task = Task(work, success=succeeded, parent=owner).cancelled(stopped)
        if failed is not None:
            task.failure(failed)
        if progress is not None:
            task.on_progress(progress)
        if progress_dialog is not None:
            task.with_progress(owner, progress_dialog)
        return task.run(self.context.runner)

    def changed(self, kinds: Iterable[str]) -> None:
        """Announce a change made outside :meth:`call` (a dialog that saved by itself)."""
        self.context.changes.announce(kinds, self)


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


class Page(QWidget, ServiceUser):
    """One screen. Subclasses override :meth:`build_body`, :meth:`trigger` and, to
    refresh what they show when data changes, :meth:`data_changed`."""

    def __init__(self, spec: PageSpec, context: PageContext) -> None:
        super().__init__()
        self.spec = spec
        self.context = context
        context.changes.changed.connect(self._data_changed)
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

    def _data_changed(self, change: DataChange) -> None:
        if self.available and self.connected:
            self.data_changed(change)

    def data_changed(self, change: DataChange) -> None:
        """Some call changed ``change.kinds`` of data: refresh what this page shows of
        them (a page not loaded yet loads when shown)."""

    def refresh(self) -> bool:
        """Read again what this page shows (the window's Refresh); False when it has
        nothing to read again. By default: every kind of data changed (the page's own
        :meth:`data_changed`), or, for a page that only loads once when first shown
        (``_loaded``), load it again. A page that knows better overrides this."""
        if not (self.available and self.connected):
            return False
        if type(self).data_changed is not Page.data_changed:
            self.data_changed(DataChange(KINDS))
        elif hasattr(self, "_loaded"):
            self._loaded = False
        else:
            return False
        self.activated()
        return True


def page_class(spec: PageSpec) -> Callable[[PageSpec, PageContext], Page]:
    module = importlib.import_module(f"ebs_desktop.gui.pages.{spec.module}")
    cls: Callable[[PageSpec, PageContext], Page] = module.PAGE
    return cls
