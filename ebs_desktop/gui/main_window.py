"""The main window: a side bar of the screens the user's roles allow, the current screen,
a status bar (user, counter and shift for those who work a counter, the database by
name), and the registry's keyboard shortcuts.

Ctrl+1..9 and Ctrl+0 (the tenth) are fixed per page (:data:`PAGE_NUMBERS`): Ctrl+5 is the
cash counter for a clerk and for a manager alike, and a number whose page a role does not
see does nothing.
Refresh (F5 is the counter's, so Ctrl+Shift+R) reads the current page again and says so.

Thin on purpose: screens live in :mod:`ebs_desktop.gui.pages`, shortcuts in
:mod:`ebs_desktop.gui.actions`, the role mapping in :mod:`ebs_desktop.gui.session`.
Geometry, window state and the last screen are remembered in QSettings.
"""

from __future__ import annotations

from datetime import datetime

from ebs_desktop.domain.permissions import ROLE_LABELS, allowed
from ebs_desktop.gui import settings
from ebs_desktop.gui.actions import ACTIONS, ActionSpec
from ebs_desktop.gui.i18n import translate
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.pages import PAGES
from ebs_desktop.gui.pages.base import Page, PageContext, page_class
from ebs_desktop.gui.qt import (
    QAction,
    QCloseEvent,
    QFrame,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSize,
    QStackedWidget,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ebs_desktop.gui.session import SignedInUser, allowed_pages, database_name, display_name

# page key -> its Ctrl+number, the same in every role (absent pages are skipped, their
# numbers unused). A page not listed gets the next free number, if one is left.
PAGE_NUMBERS: dict[str, int] = {
    "home": 1,
    "customers": 2,
    "readings": 3,
    "billing": 4,
    "counter": 5,
    "reports": 6,
    "administration": 7,
    "collections": 8,
    "outbox": 9,
    "service_requests": 0,  # the tenth: Ctrl+0
}


def page_numbers() -> dict[str, int]:
    """Every registered page's fixed number (1..9, then 0); pages beyond ten have none."""
    numbers = {spec.key: PAGE_NUMBERS[spec.key] for spec in PAGES if spec.key in PAGE_NUMBERS}
    free = [n for n in (*range(1, 10), 0) if n not in numbers.values()]
    for spec in PAGES:
        if spec.key not in numbers and free:
            numbers[spec.key] = free.pop(0)
    return numbers


KEY_GEOMETRY = "main_window/geometry"
KEY_STATE = "main_window/state"
KEY_LAST_PAGE = "main_window/last_page"


class MainWindow(QMainWindow):
    sign_out_requested = Signal()

    def __init__(self, user: SignedInUser, context: PageContext, database: str = "") -> None:
        super().__init__()
        self.user = user
        self.context = context
        context.user = user
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("EBS Desktop"))
        self.setWindowIcon(icon("app"))
        self.setMinimumSize(QSize(1024, 640))
        allowed = allowed_pages(user.roles)
        self.specs = [spec for spec in PAGES if spec.key in allowed]
        self.pages: dict[str, Page] = {}
        self.stack = QStackedWidget()
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("Sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFrameShape(QFrame.Shape.NoFrame)
        self.numbers = page_numbers()
        for spec in self.specs:
            page = page_class(spec)(spec, context)
            self.pages[spec.key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(icon(spec.icon, "#d5e0ee"), translate("Pages", spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            number = self.numbers.get(spec.key)
            tip = translate("Pages", spec.subtitle)
            item.setToolTip(f"{tip}  (Ctrl+{number})" if number is not None else tip)
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._row_changed)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self._sidebar_frame())
        if self.specs:
            row.addWidget(self.stack, 1)
        else:
            nothing = QLabel(self.tr("Your roles do not give access to any screen. "
                                     "Ask an administrator to assign a role."))
            nothing.setObjectName("InfoBanner")
            nothing.setWordWrap(True)
            row.addWidget(nothing, 1, Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(central)
        self._build_status(database)
        self.actions_by_id: dict[str, QAction] = {}
        self._build_actions()
        self._restore()

    # -- layout --------------------------------------------------------------------------
    def _sidebar_frame(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("SidebarFrame")
        frame.setFixedWidth(220)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        brand = QLabel(self.tr("EBS Desktop"))
        brand.setObjectName("Brand")
        layout.addWidget(brand)
        sub = QLabel(self.tr("Electricity billing and service"))
        sub.setObjectName("BrandSub")
        layout.addWidget(sub)
        layout.addWidget(self.sidebar, 1)
        self.sign_out_button = QToolButton()
        self.sign_out_button.setObjectName("SidebarButton")
        self.sign_out_button.setIcon(icon("logout", "#d5e0ee"))
        self.sign_out_button.setText(self.tr("Sign out {0}").format(display_name(self.user)))
        self.sign_out_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.sign_out_button.clicked.connect(self.sign_out_requested.emit)
        layout.addWidget(self.sign_out_button)
        return frame

    def _build_status(self, database: str) -> None:
        bar = self.statusBar()
        self.status_user = QLabel(self.tr("User: {0} ({1})").format(
            display_name(self.user),
            ", ".join(translate("Roles", ROLE_LABELS.get(r, r)) for r in sorted(self.user.roles))))
        self.status_counter = QLabel(self.tr("Counter: none"))
        self.status_shift = QLabel(self.tr("Shift: closed"))
        self.status_database = QLabel(self.tr("Database: {0}").format(
            database_name(database) or "—"))
        for label in (self.status_user, self.status_counter, self.status_shift,
                      self.status_database):
            bar.addPermanentWidget(label)
        # counter and shift mean something only to those who work a counter
        works_counter = "counter" in self.pages and allowed(frozenset(self.user.roles),
                                                              "shift.open")
        self.status_counter.setVisible(works_counter)
        self.status_shift.setVisible(works_counter)

    def set_status(self, *, counter: str | None = None, shift: str | None = None,
                   database: str | None = None) -> None:
        """Update the status bar; services report counter, shift and database names."""
        if counter is not None:
            self.status_counter.setText(self.tr("Counter: {0}").format(counter))
        if shift is not None:
            self.status_shift.setText(self.tr("Shift: {0}").format(shift))
        if database is not None:
            self.status_database.setText(self.tr("Database: {0}").format(
                database_name(database)))

    # -- actions -------------------------------------------------------------------------
    def _build_actions(self) -> None:
        for spec in self.specs:
            number = self.numbers.get(spec.key)
            if number is None:
                continue
            action = QAction(translate("Pages", spec.title), self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, key=spec.key: self.show_page(key))
            self.addAction(action)
            self.actions_by_id[f"page.{spec.key}"] = action
        roles = frozenset(self.user.roles)
        for registered in ACTIONS:
            if registered.page is not None and registered.page not in self.pages:
                continue
            if registered.permission is not None and not allowed(roles, registered.permission):
                continue  # shown only to those who may do it
            action = QAction(translate("Actions", registered.text), self)
            action.setShortcut(QKeySequence(registered.shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            if registered.icon:
                action.setIcon(icon(registered.icon))
            action.triggered.connect(lambda _=False, s=registered: self.run_action(s))
            self.addAction(action)
            self.actions_by_id[registered.id] = action

    def run_action(self, spec: ActionSpec) -> bool:
        if spec.page is None:
            if spec.id == "window.sign_out":
                self.sign_out_requested.emit()
            elif spec.id == "window.quit":
                self.close()
            elif spec.id == "window.refresh":
                return self.refresh()
            return True
        if not self.show_page(spec.page):
            return False
        handled = self.pages[spec.page].trigger(spec.id)
        if not handled:
            self.statusBar().showMessage(
                self.tr("{0}: not available yet").format(translate("Actions", spec.text)), 4000)
        return handled

    def refresh(self) -> bool:
        """Read the current page again from the database, and say so in the status bar."""
        key = self.current_page()
        if key is None:
            return False
        page = self.pages[key]
        title = translate("Pages", page.spec.title)
        if not page.refresh():
            self.statusBar().showMessage(self.tr("{0}: nothing to refresh").format(title), 4000)
            return False
        self.statusBar().showMessage(self.tr("{0} refreshed at {1}").format(
            title, datetime.now().strftime("%H:%M:%S")), 6000)
        return True

    # -- pages ---------------------------------------------------------------------------
    def visible_pages(self) -> list[str]:
        return [spec.key for spec in self.specs]

    def current_page(self) -> str | None:
        row = self.sidebar.currentRow()
        return self.specs[row].key if 0 <= row < len(self.specs) else None

    def show_page(self, key: str) -> bool:
        keys = self.visible_pages()
        if key not in keys:
            return False
        self.sidebar.setCurrentRow(keys.index(key))
        return True

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self.specs):
            page = self.pages[self.specs[row].key]
            self.stack.setCurrentWidget(page)
            page.activated()

    # -- remembered state ----------------------------------------------------------------
    def _restore(self) -> None:
        geometry = settings.get_bytes(KEY_GEOMETRY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)
        state = settings.get_bytes(KEY_STATE)
        if state is not None:
            self.restoreState(state)
        last = settings.get_str(KEY_LAST_PAGE)
        if not self.show_page(last) and self.specs:
            self.sidebar.setCurrentRow(0)

    def save_state(self) -> None:
        settings.set_value(KEY_GEOMETRY, self.saveGeometry())
        settings.set_value(KEY_STATE, self.saveState())
        current = self.current_page()
        if current:
            settings.set_value(KEY_LAST_PAGE, current)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)
