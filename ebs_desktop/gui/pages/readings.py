"""Reading entry: a route in walk order, keyed in from the keyboard, with inline warnings.

The reader picks a route and a reading date; the route's registers come back (on the
worker thread) in walk order with the previous reading and the expected range. The
entry line under the table always holds the current register: type the value, Enter
saves it and moves to the next one. A reading the rules find implausible (rollover, high,
low, zero) is not stored: its warnings show inline, Ctrl+Enter confirms it as keyed, or
the reader simply types it again. Errors (below the previous reading, not a number) show
in the same place and keep the focus on the value. The handheld and direct-readout panels
live in :mod:`ebs_desktop.gui.pages.readings_devices`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ebs_desktop.domain.formatting import format_decimal
from ebs_desktop.domain.money import parse_number
from ebs_desktop.domain.readings.rules import REGISTER_LIMIT, day_text
from ebs_desktop.domain.registers import register_words
from ebs_desktop.errors import EbsError, ValidationError
from ebs_desktop.gui.changes import READINGS, DataChange
from ebs_desktop.gui.i18n import ui_locale
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import Page
from ebs_desktop.gui.pages.readings_devices import DevicesPanel
from ebs_desktop.gui.pages.readings_held import HeldReadsPanel
from ebs_desktop.gui.qt import (
    QComboBox,
    QDate,
    QDateEdit,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QShortcut,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.tasks import show_error
from ebs_desktop.gui.widgets import (
    qty_text,
    rows_model,
    set_rows,
    size_columns,
    table,
)
from ebs_desktop.services.readings import NeedsConfirmation, RouteEntry, SavedReading
from ebs_desktop.services.screens import Choice


def parse_value(text: str) -> Decimal:
    """A typed meter value; a comma is accepted as the decimal separator."""
    cleaned = text.strip().replace(" ", "").replace(",", ".")
    try:  # the syntax of the reading sheets; the reading rules bound it by the dials
        value = parse_number(cleaned, field="value")
    except ValidationError as exc:
        raise ValueError(text) from exc
    if value.copy_abs() >= REGISTER_LIMIT:  # no meter shows it (abs() would round)
        raise ValueError(text)
    return value


def meter_text(value: Decimal | None, places: int) -> str:
    """A meter figure at the register's own resolution: "7,000" on a meter without
    decimals (never "7,000.000"), "7,647.700" on one with three; a value with more digits
    than that is shown in full."""
    if value is None:
        return ""
    step = Decimal(1).scaleb(-places)
    if value.quantize(step) == value:
        return format_decimal(value, ui_locale(), places=places)
    return qty_text(value)


def expected_text(e: RouteEntry) -> str:
    return f"{meter_text(e.expected_low, e.places)}–{meter_text(e.expected_high, e.places)}"


def message_text(exc: EbsError) -> str:
    """The service's sentence without the register it names (the entry line shows it)."""
    text = str(exc)
    location = getattr(exc, "location", None)
    if location and text.startswith(f"{location}: "):
        text = text[len(location) + 2:]
    return text[:1].upper() + text[1:]


class ReadingsPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Route")))
        self.route = QComboBox()
        self.route.setObjectName("reading_route")
        self.route.setMinimumWidth(240)
        bar.addWidget(self.route)
        bar.addSpacing(12)
        bar.addWidget(QLabel(self.tr("Read on")))
        self.read_on = QDateEdit(QDate.currentDate())
        self.read_on.setCalendarPopup(True)
        self.read_on.setDisplayFormat("yyyy-MM-dd")
        bar.addWidget(self.read_on)
        self.load_button = QPushButton(icon("refresh"), self.tr("Load route"))
        self.load_button.clicked.connect(self.load_route)
        bar.addWidget(self.load_button)
        bar.addStretch(1)
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("Muted")
        bar.addWidget(self.progress_label)
        layout.addLayout(bar)
        row = QHBoxLayout()
        left = QVBoxLayout()
        self.model = rows_model(
            [Column(self.tr("#")), Column(self.tr("Account")), Column(self.tr("Meter")),
             Column(self.tr("Register")), Column(self.tr("Previous"), align_right=True),
             Column(self.tr("Reading"), align_right=True), Column(self.tr("Status")),
             Column(self.tr("Expected"), align_right=True)], self)
        self.table = table(self.model)
        size_columns(self.table, [40, 100, 110, 70, 100, 100, 80, 180])
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.select_row(cur.row()))
        left.addWidget(self.table, 1)
        left.addWidget(self._entry_line())
        row.addLayout(left, 1)
        self.devices = DevicesPanel(self.context, self.current_route)
        side = QVBoxLayout()
        side.addWidget(self.devices)
        self.held = HeldReadsPanel(self.context)
        self.held.setMaximumWidth(260)
        side.addWidget(self.held)
        row.addLayout(side)
        layout.addLayout(row, 1)
        self.entries: list[RouteEntry] = []
        self.results: dict[int, tuple[Decimal, str]] = {}
        self.current = -1
        self.pending_warnings: list[str] = []
        self._loaded = False
        self._sized_route: str | None = None  # the route the columns were last fitted to
        self.route.activated.connect(lambda _i: self.load_route())
        self.setFocusProxy(self.route)
        return body

    def _entry_line(self) -> QWidget:
        box = QWidget()
        box.setObjectName("EntryLine")
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 6, 0, 0)
        self.meter_label = QLabel(self.tr("Choose a route to start"))
        self.meter_label.setObjectName("SectionTitle")
        self.meter_label.setWordWrap(True)  # a long expected range wraps, never cut
        outer.addWidget(self.meter_label)
        line = QHBoxLayout()
        line.addWidget(QLabel(self.tr("Reading")))
        self.value = QLineEdit()
        self.value.setObjectName("reading_value")
        self.value.setPlaceholderText(self.tr("value, Enter saves"))
        self.value.setMaximumWidth(180)
        self.value.returnPressed.connect(lambda: self.save(confirm=False))
        self.value.textEdited.connect(lambda _t: self.clear_message())
        line.addWidget(self.value)
        self.confirm_button = QPushButton(icon("check"), self.tr("Confirm  (Ctrl+Enter)"))
        self.confirm_button.clicked.connect(lambda: self.save(confirm=True))
        self.confirm_button.hide()
        line.addWidget(self.confirm_button)
        self.reenter_button = QPushButton(self.tr("Re-enter"))
        self.reenter_button.clicked.connect(self.reenter)
        self.reenter_button.hide()
        line.addWidget(self.reenter_button)
        line.addStretch(1)
        outer.addLayout(line)
        self.message = QLabel("")
        self.message.setObjectName("WarningBanner")
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.value)
            shortcut.activated.connect(lambda: self.save(confirm=True))
        return box

    # -- loading ---------------------------------------------------------------------------
    def load_routes(self) -> None:
        staff = self.staff

        def done(routes: list[Choice]) -> None:
            self.route.clear()
            for route in routes:
                self.route.addItem(route.label, route.code)
            self._loaded = True
            if routes:
                self.load_route()

        self.call(lambda _task: staff.screens.route_choices(), done)

    def current_route(self) -> str | None:
        code = self.route.currentData()
        return str(code) if code else None

    def reading_date(self) -> date:
        d = self.read_on.date()
        return date(d.year(), d.month(), d.day())

    def load_route(self) -> None:
        code = self.current_route()
        if code is None:
            return
        staff = self.staff
        on = self.reading_date()

        def done(entries: list[RouteEntry]) -> None:
            self.entries = entries
            self.results = {}
            self.current = -1  # the entry line shows the reloaded row, not the old one
            # Fitting the columns measures every cell (a 100 ms stall on a 550-line route):
            # done when a route is first shown, not when the same route comes back reloaded.
            self.refresh_rows(fit=code != self._sized_route)
            self._sized_route = code
            if entries:
                self.table.selectRow(0)
                self.select_row(0)
            self.value.setFocus()

        self.call(lambda _task: staff.readings.list_route(code, on), done)

    def data_changed(self, change: DataChange) -> None:
        """Readings stored elsewhere (the handheld, a meter readout): show the route again
        with what it holds now. This page's own entries are already in its rows."""
        self.held.reload_if(change.touches(READINGS) and change.origin is not self.held)
        if change.touches(READINGS) and change.origin is not self and self._loaded:
            self.load_route()

    def refresh_rows(self, *, fit: bool = False) -> None:
        rows = []
        for i, e in enumerate(self.entries):
            value, status = self.results.get(i, (None, ""))
            rows.append((e.walk_order, e.account_number, e.meter_serial, register_words(e.register),
                         meter_text(e.previous_value, e.places), meter_text(value, e.places),
                         status, expected_text(e)))
        set_rows(self.model, rows)
        if fit:
            self.table.resizeColumnsToContents()
            for column, least in ((5, 90), (6, 70)):  # room for what is keyed in
                self.table.setColumnWidth(column, max(least, self.table.columnWidth(column)))
        self.progress_label.setText(self.tr("{0} of {1} keyed").format(
            len(self.results), len(self.entries)))

    # -- entry -----------------------------------------------------------------------------
    def select_row(self, row: int) -> None:
        if not 0 <= row < len(self.entries) or row == self.current:
            return
        self.current = row
        e = self.entries[row]
        previous = "—" if e.previous_value is None else self.tr("{0} of {1}").format(
            meter_text(e.previous_value, e.places),
            day_text(e.previous_read_on) if e.previous_read_on else "?")
        self.meter_label.setText(
            self.tr("{0} {1} · account {2} · previous {3} · expected {4}")
            .format(e.meter_serial, register_words(e.register), e.account_number, previous,
                    expected_text(e)))
        self.value.clear()
        self.clear_message()

    def clear_message(self) -> None:
        self.pending_warnings = []
        self.message.hide()
        self.confirm_button.hide()
        self.reenter_button.hide()

    def show_message(self, text: str, *, warning: bool) -> None:
        self.message.setText(text)
        self.message.setObjectName("WarningBanner" if warning else "ErrorLabel")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()
        self.confirm_button.setVisible(warning)
        self.reenter_button.setVisible(warning)

    def reenter(self) -> None:
        self.clear_message()
        self.value.setFocus()
        self.value.selectAll()

    def save(self, *, confirm: bool) -> None:
        if not 0 <= self.current < len(self.entries):
            return
        if confirm and not self.pending_warnings:
            return  # Ctrl+Enter only confirms a warning that is showing
        row = self.current
        e = self.entries[row]
        try:
            value = parse_value(self.value.text())
        except ValueError:
            self.show_message(self.tr("{0} is not a number: type the figures the meter "
                                      "shows").format(repr(self.value.text())), warning=False)
            return
        staff = self.staff
        on = self.reading_date()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, NeedsConfirmation):
                self.pending_warnings = list(exc.warnings)
                self.show_message(self.tr("Check this reading: {0}. Confirm it as keyed "
                                          "(Ctrl+Enter) or type it again.")
                                  .format("; ".join(exc.warnings)), warning=True)
            elif isinstance(exc, EbsError):
                self.show_message(message_text(exc), warning=False)
            else:
                show_error(self, exc)
            self.value.setFocus()
            self.value.selectAll()

        self.call(lambda _task: staff.readings.save_reading(e.meter_serial, e.register, on,
                                                            value, confirm=confirm),
                  lambda saved: self.saved(row, value, saved), failed=failed,
                  changes={READINGS})

    def saved(self, row: int, value: Decimal, saved: SavedReading) -> None:
        self.results[row] = (value, saved.status)
        self.clear_message()
        self.refresh_rows()
        following = row + 1
        if following < len(self.entries):
            self.current = -1
            self.table.selectRow(following)
            self.select_row(following)
        else:
            self.meter_label.setText(self.tr("Route complete: {0} readings saved").format(
                len(self.results)))
            self.value.clear()
        self.value.setFocus()

    # -- page --------------------------------------------------------------------------------
    def trigger(self, action_id: str) -> bool:
        if self.available and action_id == "readings.route":
            self.route.setFocus()
            self.route.showPopup()
            return True
        return False

    def activated(self) -> None:
        if not self.available:
            return
        if self.connected and not self._loaded:
            self.load_routes()
        (self.value if self.entries else self.route).setFocus()


PAGE = ReadingsPage
