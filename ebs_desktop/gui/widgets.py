"""Small building blocks the screens share: record tables, formatters, a debounce, forms.

Kept here so each page is its layout and its service calls, not table boilerplate.
Formatting goes through :mod:`ebs_desktop.domain.formatting` with the interface's locale,
so money, dates and quantities read the same on every screen; the raw value stays in the
model's ``UserRole`` for sorting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ebs_desktop.domain.formatting import format_date, format_decimal, format_money
from ebs_desktop.domain.money import Money
from ebs_desktop.gui.i18n import ui_locale
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column, LazyTableModel, Row
from ebs_desktop.gui.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    Qt,
    QTableView,
    QTimer,
    QWidget,
)


def money_text(value: Any) -> str:
    return format_money(value, ui_locale()) if isinstance(value, Money) else str(value)


def date_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return format_date(value, ui_locale())
    return str(value)


def qty_text(value: Any) -> str:
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return format_decimal(value, ui_locale())
    return str(value)


def yes_no(value: Any) -> str:
    return "✓" if value else ""


def money_col(title: str) -> Column:
    return Column(title, money_text, align_right=True)


def qty_col(title: str) -> Column:
    return Column(title, qty_text, align_right=True)


def date_col(title: str) -> Column:
    return Column(title, date_text)


def rows_model(columns: Sequence[Column], parent: QObject | None = None) -> LazyTableModel:
    """An empty model; fill it with :func:`set_rows` when a task's records arrive."""
    return LazyTableModel(columns, 0, lambda offset, limit: [], parent=parent)


def set_rows(model: LazyTableModel, rows: Sequence[Row]) -> None:
    data = list(rows)
    model.reload(len(data), lambda offset, limit: data[offset:offset + limit])


def table(model: LazyTableModel, *, stretch: int | None = None) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(28)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    # Fit columns to the first rows only: measuring every row of a long list on the GUI
    # thread froze the window for 150-260 ms after a handheld sync (551 rows).
    header.setResizeContentsPrecision(50)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    # Columns follow what they hold: each time new rows arrive (a reset or a page of
    # rows), every column that is not stretched grows to its header and its widest cell.
    model.modelReset.connect(lambda: fit_columns(view))
    model.rowsInserted.connect(lambda *_a: fit_columns(view))
    model.layoutChanged.connect(lambda *_a: fit_columns(view))
    if stretch is not None:
        view.viewport().installEventFilter(_StretchFloor(view))
    return view


class _StretchFloor(QObject):
    """Once a table is laid out, a stretched column left narrower than its content gives
    up stretching for its content's width (the table scrolls sideways instead of cutting
    the text; the last column takes what room is left)."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            QTimer.singleShot(0, self, lambda: floor_stretched(self._view))
        return False


def floor_stretched(view: QTableView) -> None:
    """Give each stretched column at least its content's width (see :class:`_StretchFloor`)."""
    if not view.isVisible() or view.model() is None:
        return
    header = view.horizontalHeader()
    for column in range(view.model().columnCount()):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch:
            continue
        wanted = max(view.sizeHintForColumn(column), header.sectionSizeHint(column))
        if header.sectionSize(column) < wanted:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.setStretchLastSection(True)
            view.setColumnWidth(column, wanted)


def size_columns(view: QTableView, widths: Sequence[int]) -> None:
    """Starting widths (before any rows arrive); :func:`fit_columns` widens each column to
    its content, never narrower than these."""
    for i, width in enumerate(widths):
        view.setColumnWidth(i, width)
    view.setProperty("minimum_widths", list(widths))


def fit_columns(view: QTableView) -> None:
    """Size every column that is not stretched to its header and the widest of its first
    rows (the header's resize precision), never below the widths given by
    :func:`size_columns`; nothing is elided that fits on the screen."""
    header = view.horizontalHeader()
    model = view.model()
    if model is None:
        return
    minimums = view.property("minimum_widths") or []
    for column in range(model.columnCount()):
        if view.isColumnHidden(column):
            continue
        if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
            continue
        wanted = max(view.sizeHintForColumn(column), header.sectionSizeHint(column))
        if column < len(minimums):
            wanted = max(wanted, int(minimums[column]))
        if wanted > 0:
            view.setColumnWidth(column, wanted)
    floor_stretched(view)


def selected_value(view: QTableView, column: int = 0) -> Any:
    """The raw value (UserRole) of ``column`` in the selected row, or None."""
    index = view.currentIndex()
    if not index.isValid():
        return None
    return view.model().index(index.row(), column).data(Qt.ItemDataRole.UserRole)


def banner(text: str, object_name: str = "InfoBanner") -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    return label


def error_label() -> QLabel:
    """A form's error line: hidden until there is a message, red by the style sheets'
    ``QLabel#ErrorLabel`` (a label named otherwise shows an error as plain text)."""
    label = QLabel()
    label.setObjectName("ErrorLabel")
    label.setWordWrap(True)
    label.hide()
    return label


def ok_cancel(dialog: QDialog, on_ok: Callable[[], object], *,
              save: bool = False) -> QDialogButtonBox:
    """A dialog's Ok (or Save) and Cancel buttons; Cancel rejects the dialog, Ok calls
    ``on_ok`` (the dialog's ``accept``, or a check that accepts when the form is valid)."""
    ok = QDialogButtonBox.StandardButton.Save if save else QDialogButtonBox.StandardButton.Ok
    buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


def muted(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("Muted")
    label.setWordWrap(True)
    return label


def filter_row(filters: Sequence[tuple[str, QWidget]], reload: Callable[[], None],
               show: str) -> tuple[QHBoxLayout, QLabel, QPushButton]:
    """A list page's filter bar: each filter after its caption (the caption's buddy, so
    Alt+its letter reaches it), a choice reloading when it changes and a text field on
    Enter; then a muted count and the Show button. Returns (row, count, button)."""
    row = QHBoxLayout()
    for label, widget in filters:
        caption = QLabel(label)
        caption.setBuddy(widget)
        row.addWidget(caption)
        row.addWidget(widget)
        if isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _i: reload())
        elif isinstance(widget, QLineEdit):
            widget.returnPressed.connect(reload)
    counts = muted("")
    row.addWidget(counts, 1)
    button = QPushButton(icon("refresh"), show)
    button.clicked.connect(reload)
    row.addWidget(button)
    return row, counts, button


class Debounce(QObject):
    """Calls ``fn`` once typing pauses for ``ms`` (search as you type without a query
    per key press)."""

    def __init__(self, ms: int, fn: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(ms)
        self._timer.timeout.connect(fn)
        self._fn = fn

    def poke(self, *_args: object) -> None:
        self._timer.start()

    def flush(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._fn()
