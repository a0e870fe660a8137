"""No screen cuts its text: every page, for every role that sees it, at 1366x768 with the
demo utility, shows each visible header and cell in full, and no chart label is "…".

For each page in the registry (pages added later are walked too) and each role in
``PAGE_ROLES``, the test signs in as that role's demo user, opens the main window at
1366x768, puts the page in the state a person sees mid-task (the screenshot tool's
:func:`~ebs_desktop.gui.screenshots.prepare_page`), then shows every tab of every tab
widget in turn. In each visible table or tree it measures, with ``QFontMetrics``, the
text of each header section and of each cell in the rows on screen, adds the margins the
style puts around text (the delegate's and header's own size hints minus the text), and
fails when that is wider than the section: Qt would draw the text elided. Chart labels
are drawn as text items in the chart's scene; one that reads "…" is an elided label.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QGraphicsView, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from ebs_desktop.domain.permissions import PAGE_ROLES
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages import PAGES
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.qt import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QModelIndex,
    Qt,
    QTableView,
    QTabWidget,
    QTimer,
    QTreeView,
    QWidget,
)
from ebs_desktop.gui.screenshots import prepare_page
from ebs_desktop.gui.tasks import SyncRunner
from tests.gui.conftest import DEMO_PASSWORDS

SIZE = (1366, 768)
CASES = [(spec.key, role) for spec in PAGES
         for role in sorted(PAGE_ROLES.get(spec.key, frozenset()))]


@dataclass(frozen=True)
class Cut:
    where: str
    text: str
    needed: int
    width: int

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r} needs {self.needed}px, has {self.width}px"


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _header_cuts(view: QAbstractItemView, header: QHeaderView, name: str) -> Iterator[Cut]:
    model = view.model()
    metrics = QFontMetrics(header.font())
    for column in range(model.columnCount()):
        if header.isSectionHidden(column) or header.sectionSize(column) == 0:
            continue
        text = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        if not text:
            continue
        width = header.sectionSize(column)
        hint = header.sectionSizeFromContents(column).width()
        # the header's hint is its text plus margins (and a sort arrow when shown)
        needed = max(hint, metrics.horizontalAdvance(text))
        if needed > width:
            yield Cut(f"{name} header column {column}", text, needed, width)


def _visible_rows(view: QAbstractItemView) -> Iterator[QModelIndex]:
    """Index of column 0 of each row on screen (top-level rows and expanded children)."""
    height = view.viewport().height()
    index = view.indexAt(view.viewport().rect().topLeft())
    seen = 0
    while index.isValid() and seen < 200:
        rect = view.visualRect(index)
        if rect.top() >= height:
            break
        yield index.siblingAtColumn(0)
        seen += 1
        index = view.indexBelow(index) if isinstance(view, QTreeView) else (
            view.model().index(index.row() + 1, 0, index.parent()))


def _depth(index: QModelIndex) -> int:
    depth = 0
    while index.parent().isValid():
        index = index.parent()
        depth += 1
    return depth


def _cell_cuts(view: QAbstractItemView, name: str) -> Iterator[Cut]:
    model = view.model()
    header = view.horizontalHeader() if isinstance(view, QTableView) else (
        view.header() if isinstance(view, QTreeView) else None)
    if header is None:
        return
    delegate = view.itemDelegate()
    for first in _visible_rows(view):
        for column in range(model.columnCount(first.parent())):
            if header.isSectionHidden(column) or header.sectionSize(column) == 0:
                continue
            index = first.siblingAtColumn(column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text is None or str(text) == "":
                continue
            text = str(text).split("\n")[0]
            option = QStyleOptionViewItem()
            option.initFrom(view)
            font = index.data(Qt.ItemDataRole.FontRole)
            if font is not None:
                option.font = font
            metrics = QFontMetrics(option.font)
            text_width = metrics.horizontalAdvance(text)
            hint = delegate.sizeHint(option, index).width()
            needed = max(hint, text_width)
            width = header.sectionSize(column)
            if isinstance(view, QTreeView) and column == 0:
                levels = _depth(index) + (1 if view.rootIsDecorated() else 0)
                width -= view.indentation() * levels
            if needed > width:
                yield Cut(f"{name} row {index.row()} column {column}", text, needed, width)


def _chart_cuts(widget: QWidget, name: str) -> Iterator[Cut]:
    for view in widget.findChildren(QGraphicsView):
        if not view.isVisible() or view.scene() is None:
            continue
        for item in view.scene().items():
            if not item.isVisible():
                continue
            text = ""
            if hasattr(item, "toPlainText"):
                text = item.toPlainText()
            elif hasattr(item, "text"):
                text = str(item.text())
            if "…" in text or text.endswith("..."):
                yield Cut(f"{name} chart {view.objectName() or type(view).__name__}",
                          text, 0, 0)


def _view_name(view: QWidget, page: QWidget) -> str:
    parts = []
    widget: QWidget | None = view
    while widget is not None and widget is not page:
        parent = widget.parentWidget()
        if isinstance(parent, QWidget) and parent.parentWidget() is not None and isinstance(
                parent.parentWidget(), QTabWidget):
            tabs = parent.parentWidget()
            assert isinstance(tabs, QTabWidget)
            i = tabs.indexOf(widget)
            if i >= 0:
                parts.append(f"tab {tabs.tabText(i)!r}")
        widget = parent
    label = view.objectName() or type(view).__name__
    return " / ".join([*reversed(parts), label])


def cuts_on_screen(page: QWidget) -> list[Cut]:
    """What the page shows elided right now (visible views only)."""
    found: list[Cut] = []
    for view in page.findChildren(QAbstractItemView):
        if not view.isVisible() or view.model() is None:
            continue
        name = _view_name(view, page)
        if isinstance(view, QTableView) and view.horizontalHeader().isVisible():
            found.extend(_header_cuts(view, view.horizontalHeader(), name))
        elif isinstance(view, QTreeView) and not view.isHeaderHidden():
            found.extend(_header_cuts(view, view.header(), name))
        found.extend(_cell_cuts(view, name))
    found.extend(_chart_cuts(page, _view_name(page, page)))
    return found


def cuts_in_every_tab(page: QWidget) -> list[Cut]:
    """Show each tab of each tab widget in turn; collect what is elided in each state."""
    found = {str(c): c for c in cuts_on_screen(page)}
    for tabs in page.findChildren(QTabWidget):
        if not tabs.isVisibleTo(page):
            continue
        current = tabs.currentIndex()
        for i in range(tabs.count()):
            if not tabs.isTabEnabled(i):
                continue
            tabs.setCurrentIndex(i)
            _settle()
            for cut in cuts_on_screen(page):
                found.setdefault(str(cut), cut)
        tabs.setCurrentIndex(current)
    return list(found.values())


class ModalWatch:
    """Closes any modal dialog that opens (it would wait forever offscreen) and keeps its
    text: a page that greets a role with an error is a failure of its own."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(100)
        self.timer.timeout.connect(self.close_modal)
        self.timer.start()

    def close_modal(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None:
            texts = [lbl.text() for lbl in modal.findChildren(QLabel) if lbl.text()]
            self.seen.append(f"{modal.windowTitle()}: {' / '.join(texts)}")
            modal.close()


@pytest.fixture(autouse=True)
def themed(qapp: QApplication) -> Iterator[None]:
    """The look people get (the app applies its theme: Fusion, style sheet paddings),
    put back afterwards for the other tests."""
    from ebs_desktop.gui.theme import apply_theme

    style, sheet, palette = qapp.style().name(), qapp.styleSheet(), qapp.palette()
    apply_theme(qapp, "light")
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setStyle(style)


@pytest.fixture(scope="module")
def two_years_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo utility over 24 months (two years of bars in the consumption chart, long
    ledgers), small in customers."""
    from ebs_desktop.persistence import migrate
    from ebs_desktop.persistence.engine import open_database
    from ebs_desktop.services.demo import build_demo

    path = tmp_path_factory.mktemp("elision-demo") / "demo.sqlite3"
    db = open_database(f"sqlite:///{path}")
    migrate.upgrade(db)
    build_demo(db, customers=40, months=24, until="2026-06")
    db.dispose()
    return path


@pytest.fixture
def two_years_hub(tmp_path: Path, two_years_template: Path) -> Iterator[ServiceHub]:
    from ebs_desktop.persistence.engine import open_database

    path = tmp_path / "demo.sqlite3"
    shutil.copy(two_years_template, path)
    db = open_database(f"sqlite:///{path}")
    yield ServiceHub(db)
    db.dispose()


@pytest.mark.parametrize(("key", "role"), CASES, ids=[f"{k}-{r}" for k, r in CASES])
def test_nothing_is_elided(qtbot: QtBot, two_years_hub: ServiceHub, key: str,
                           role: str) -> None:
    demo_hub = two_years_hub
    watch = ModalWatch()
    user = demo_hub.sign_in(role, DEMO_PASSWORDS[role])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=demo_hub),
                        demo_hub.database_label)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    assert window.show_page(key)
    page = window.pages[key]
    prepare_page(page, key)
    _settle()
    cuts = cuts_in_every_tab(page)
    watch.timer.stop()
    assert not watch.seen, f"{key} as {role}: a dialog opened: {watch.seen}"
    assert not cuts, f"{key} as {role}: " + "; ".join(str(c) for c in cuts)


def test_the_checker_sees_an_elided_cell(qtbot: QtBot) -> None:  # themed, as above
    """The measure is not vacuous: a column narrower than its text is reported."""
    from ebs_desktop.gui.models.lazy_table import Column
    from ebs_desktop.gui.widgets import rows_model, set_rows, table

    holder = QWidget()
    qtbot.addWidget(holder)
    model = rows_model([Column("Description of the line"), Column("Amount")], holder)
    view = table(model)
    view.setParent(holder)
    holder.resize(600, 300)
    view.resize(600, 300)
    set_rows(model, [("Payment, thank you for paying on time", "5,694.21")])
    holder.show()
    qtbot.waitExposed(holder)
    assert cuts_on_screen(holder) == []  # fitted to content
    view.setColumnWidth(0, 60)
    cuts = cuts_on_screen(holder)
    assert {c.text for c in cuts} == {"Description of the line",
                                      "Payment, thank you for paying on time"}
