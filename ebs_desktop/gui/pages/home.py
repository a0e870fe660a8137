"""Home: the first screen of managers and administrators, the day at a glance.

One call (``staff.dashboard.dashboard()``) brings one frozen record with every part the
user may see; the page lays it out in cards and asks again every minute while it is
shown (a timer that skips its turn when the page is hidden, and a refresh as soon as it
is shown again if a turn was missed or another screen changed data meanwhile). Every
figure is a link to the screen behind it, through the main window's own navigation
(``show_page``); a figure whose screen the user does not have is plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.permissions import allowed
from ebs_desktop.domain.scales import nice_ticks
from ebs_desktop.gui.changes import DataChange
from ebs_desktop.gui.pages.base import Page
from ebs_desktop.gui.qt import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QColor,
    QFont,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLocale,
    QPainter,
    QPalette,
    QPushButton,
    QScrollArea,
    QShowEvent,
    QSizePolicy,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.session import allowed_pages
from ebs_desktop.gui.widgets import money_text, qty_text
from ebs_desktop.services.dashboard import (
    Arrears,
    Collections,
    Dashboard,
    MissingReadings,
    RunLine,
    ShiftLine,
    SystemHealth,
)

REFRESH_MS = 60_000
LINK_STYLE = (
    "QPushButton#FigureLink { border: none; background: transparent; color: palette(link);"
    " padding: 0px; text-align: right; }"
    "QPushButton#FigureLink:hover { text-decoration: underline; }"
    "QPushButton#BigFigure { border: none; background: transparent; color: palette(link);"
    " padding: 0px; text-align: left; font-size: 20pt; font-weight: 600; }"
    "QPushButton#BigFigure:hover { text-decoration: underline; }")

# where each figure leads: the first of these screens the user has
TO_COLLECTIONS = ("counter", "reports")
TO_SHIFTS = ("counter", "reports")
TO_ARREARS = ("reports",)
TO_RUNS = ("billing", "reports")
TO_READINGS = ("reports", "readings")  # the reading-completeness report
TO_ADMIN = ("administration",)


def size_text(n: int) -> str:
    """Bytes for people, with the interface's number format (1,234.5 MiB)."""
    if abs(n) < 1024:
        return f"{qty_text(n)} B"
    value = Decimal(n)
    units = ("KiB", "MiB", "GiB", "TiB")
    step = 0
    while True:
        value /= 1024
        if abs(value) < 1024 or step == len(units) - 1:
            return f"{qty_text(value.quantize(Decimal('0.1')))} {units[step]}"
        step += 1


def time_text(at: datetime | None) -> str:
    if at is None:
        return "—"
    local = at.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


class Card(QFrame):
    """A titled card whose body is a grid: label on the left, figures on the right."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("Card")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 14)
        outer.setSpacing(8)
        heading = QLabel(title)
        heading.setObjectName("SectionTitle")
        outer.addWidget(heading)
        self.body = QVBoxLayout()
        self.body.setSpacing(6)
        outer.addLayout(self.body)
        outer.addStretch(1)

    def clear(self) -> None:
        while self.body.count():
            item = self.body.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
            elif item is not None and item.layout() is not None:
                _delete_layout(item.layout())


def _delete_layout(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
        elif item.layout() is not None:
            _delete_layout(item.layout())


class HomePage(Page):
    """The dashboard (see the module docstring)."""

    def build_body(self) -> QWidget:
        self.dashboard: Dashboard | None = None
        self._loading = False
        self._stale = True
        user = self.context.user
        self._pages = allowed_pages(user.roles) if user is not None else frozenset()
        body = QWidget()
        body.setStyleSheet(LINK_STYLE)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.updated = QLabel(self.tr("Not loaded yet"))
        self.updated.setObjectName("Muted")
        top.addWidget(self.updated, 1)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.grid = QGridLayout(inner)
        self.grid.setContentsMargins(0, 0, 4, 0)
        self.grid.setSpacing(12)
        self.collections_card = Card(self.tr("Today's collections"))
        self.shifts_card = Card(self.tr("Counter shifts"))
        self.readings_card = Card(self.tr("Readings still missing"))
        self.arrears_card = Card(self.tr("Arrears by age"))
        self.runs_card = Card(self.tr("Last billing runs"))
        self.health_card = Card(self.tr("System health"))
        # an administrator looks at the system first; everyone else at the business
        admin = user is not None and allowed(frozenset(user.roles), "db.manage")
        first = 1 if admin else 0
        self.grid.addWidget(self.health_card, 0 if admin else 2, 0, 1, 3)
        self.grid.addWidget(self.collections_card, first, 0)
        self.grid.addWidget(self.shifts_card, first, 1)
        self.grid.addWidget(self.readings_card, first, 2)
        self.grid.addWidget(self.arrears_card, first + 1, 0, 1, 2)
        self.grid.addWidget(self.runs_card, first + 1, 2)
        for column in range(3):
            self.grid.setColumnStretch(column, 1)
        self.grid.setRowStretch(3, 1)
        for card in (self.collections_card, self.shifts_card, self.readings_card,
                     self.arrears_card, self.runs_card, self.health_card):
            card.hide()
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        return body

    # -- when to load ------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.available and self.connected:
            if not self.timer.isActive():
                self.timer.start()  # its turns while the page is hidden ask nothing
            if self._stale:
                self.refresh()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def data_changed(self, change: DataChange) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def refresh(self) -> bool:
        """Ask for the dashboard again (the timer, Refresh, a change elsewhere)."""
        if not self.connected:
            return False
        if self._loading:
            return True
        self._loading = True
        self._stale = False
        staff = self.staff
        self.call(lambda _t: staff.dashboard.dashboard(), self.show_dashboard,
                  failed=self._failed)
        return True

    def _failed(self, error: BaseException) -> None:
        self._loading = False
        self._stale = True
        self.updated.setText(self.tr("Could not refresh: {0}").format(error))

    # -- links -------------------------------------------------------------------------
    def target(self, keys: Sequence[str]) -> str | None:
        return next((k for k in keys if k in self._pages), None)

    def open_page(self, key: str) -> bool:
        window = self.window()
        show = getattr(window, "show_page", None)
        return bool(show(key)) if show is not None else False

    def figure(self, text: str, keys: Sequence[str], *, big: bool = False,
               tip: str = "") -> QWidget:
        """A figure: a link to the first of ``keys`` the user has, else plain text."""
        key = self.target(keys)
        if key is None:
            label = QLabel(text)
            if big:
                label.setObjectName("BigAmount")
            label.setAlignment(Qt.AlignmentFlag.AlignLeft if big else Qt.AlignmentFlag.AlignRight)
            return label
        button = QPushButton(text)
        button.setObjectName("BigFigure" if big else "FigureLink")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setFlat(True)
        button.setProperty("target_page", key)
        button.setToolTip(tip or self.tr("Open {0}").format(key))
        button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda _=False, k=key: self.open_page(k))
        return button

    def rows(self, card: Card, rows: Sequence[tuple[str, Sequence[QWidget | str]]],
             headers: Sequence[str] = ()) -> None:
        """A small table in a card: a text label, then figures right-aligned."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(0, 1)
        start = 0
        if headers:
            for col, text in enumerate(headers):
                head = QLabel(text)
                head.setObjectName("Muted")
                if col:
                    head.setAlignment(Qt.AlignmentFlag.AlignRight)
                grid.addWidget(head, 0, col)
            start = 1
        for r, (label, cells) in enumerate(rows, start=start):
            grid.addWidget(QLabel(label), r, 0)
            for c, cell in enumerate(cells, start=1):
                widget = QLabel(cell) if isinstance(cell, str) else cell
                if isinstance(widget, QLabel):
                    widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                grid.addWidget(widget, r, c)
        card.body.addLayout(grid)

    def note(self, card: Card, text: str) -> None:
        label = QLabel(text)
        label.setObjectName("Muted")
        label.setWordWrap(True)
        card.body.addWidget(label)

    # -- showing the record ------------------------------------------------------------
    def show_dashboard(self, dashboard: Dashboard) -> None:
        self._loading = False
        self.dashboard = dashboard
        self.updated.setText(self.tr("Updated {0} · refreshes every minute while shown")
                             .format(time_text(dashboard.generated_at)))
        self._show(self.collections_card, dashboard.collections, self._collections)
        self._show(self.shifts_card, dashboard.open_shifts is not None or None,
                   lambda _x: self._shifts(dashboard.open_shifts or (),
                                           dashboard.to_approve or ()))
        self._show(self.readings_card, dashboard.readings, self._readings)
        self._show(self.arrears_card, dashboard.arrears, self._arrears)
        self._show(self.runs_card, dashboard.runs, self._runs)
        self._show(self.health_card, dashboard.health, self._health)

    def _show(self, card: Card, part: Any, fill: Any) -> None:
        card.clear()
        card.setVisible(part is not None)
        if part is not None:
            fill(part)

    def _collections(self, c: Collections) -> None:
        card = self.collections_card
        card.body.addWidget(self.figure(money_text(c.total), TO_COLLECTIONS, big=True))
        self.note(card, self.tr("{0} payments today").format(qty_text(c.payments))
                  + (self.tr(", {0} reversed").format(qty_text(c.reversed)) if c.reversed
                     else ""))
        if c.by_tender:
            self.rows(card, [(t.label.capitalize(), [qty_text(t.payments),
                                                    self.figure(money_text(t.amount),
                                                                TO_COLLECTIONS)])
                             for t in c.by_tender],
                      (self.tr("By tender"), self.tr("Payments"), self.tr("Amount")))
        if c.by_counter:
            self.rows(card, [(t.label, [qty_text(t.payments),
                                        self.figure(money_text(t.amount), TO_COLLECTIONS)])
                             for t in c.by_counter],
                      (self.tr("By counter"), self.tr("Payments"), self.tr("Amount")))

    def _shifts(self, open_: Sequence[ShiftLine], waiting: Sequence[ShiftLine]) -> None:
        card = self.shifts_card
        card.body.addWidget(self.figure(
            self.tr("{0} open").format(qty_text(len(open_))), TO_SHIFTS, big=True))
        if open_:
            self.rows(card, [(f"{s.counter} · {s.clerk}",
                              [time_text(s.at), self.figure(money_text(s.taken), TO_SHIFTS)])
                             for s in open_],
                      (self.tr("Open shift"), self.tr("Since"), self.tr("Taken")))
        else:
            self.note(card, self.tr("No shift is open."))
        waiting_text = self.tr("{0} awaiting approval").format(qty_text(len(waiting)))
        card.body.addWidget(self._left(self.figure(waiting_text, TO_SHIFTS)))
        if waiting:
            self.rows(card, [(f"{s.counter} · {s.clerk}", [time_text(s.at)]) for s in waiting],
                      (self.tr("Closed with a difference"), self.tr("Closed")))

    def _left(self, widget: QWidget) -> QWidget:
        if isinstance(widget, QPushButton):
            widget.setStyleSheet("text-align: left;")
        elif isinstance(widget, QLabel):
            widget.setAlignment(Qt.AlignmentFlag.AlignLeft)
        return widget

    def _readings(self, r: MissingReadings) -> None:
        card = self.readings_card
        card.body.addWidget(self.figure(qty_text(r.missing), TO_READINGS, big=True))
        self.note(card, self.tr("registers without a reading for period {0}").format(r.period))
        self.rows(card, [(self.tr("Expected"), [self.figure(qty_text(r.expected), TO_READINGS)]),
                         (self.tr("Read"), [self.figure(qty_text(r.read), TO_READINGS)]),
                         (self.tr("Estimated"), [self.figure(qty_text(r.estimated),
                                                             TO_READINGS)])])
        if r.worst_routes:
            self.rows(card, [(route, [self.figure(qty_text(n), TO_READINGS)])
                             for route, n in r.worst_routes],
                      (self.tr("Most missing"), self.tr("Registers")))

    def _arrears(self, a: Arrears) -> None:
        card = self.arrears_card
        row = QHBoxLayout()
        row.setSpacing(18)
        left = QVBoxLayout()
        left.addWidget(self.figure(money_text(a.overdue), TO_ARREARS, big=True))
        note = QLabel(self.tr("past due today"))
        note.setObjectName("Muted")
        left.addWidget(note)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(3)
        for r, (label, amount) in enumerate(a.buckets):
            grid.addWidget(QLabel(self._bucket(label)), r, 0)
            grid.addWidget(self.figure(money_text(amount), TO_ARREARS), r, 1)
        left.addLayout(grid)
        left.addStretch(1)
        row.addLayout(left)
        row.addWidget(self._trend_chart(a.trend), 1)
        card.body.addLayout(row)

    def _bucket(self, label: str) -> str:
        return {"Not due": self.tr("Not due yet"), "1-30 days": self.tr("1–30 days"),
                "31-60 days": self.tr("31–60 days"), "61-90 days": self.tr("61–90 days"),
                "Over 90 days": self.tr("Over 90 days")}.get(label, label)

    def _trend_chart(self, trend: Sequence[tuple[str, Money]]) -> QChartView:
        chart = QChart()
        first, last = trend[0][0] if trend else "", trend[-1][0] if trend else ""
        chart.setTitle(self.tr("Past due at each month's end, {0} to {1}").format(first, last))
        chart.legend().hide()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundVisible(False)
        chart.layout().setContentsMargins(0, 0, 0, 0)
        bars = QBarSet(self.tr("Past due"))
        bars.setColor(QColor("#1f5fa8"))
        # A chart needs floats to draw (thousands here); the figures beside it stay Money.
        bars.append([float(m.amount) / 1000 for _p, m in trend])
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        locale = QLocale()
        axis_x.append([locale.monthName(int(p[5:7]), QLocale.FormatType.ShortFormat)
                       for p, _m in trend])
        small = QFont()
        # a month name must fit a twelfth of the card ("May" was cut to "M...")
        small.setPointSizeF(max(small.pointSizeF() - 2, 7))
        axis_x.setLabelsFont(small)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        grid = self.palette().color(QPalette.ColorRole.Mid)
        chart.setTitleBrush(text)
        axis_x.setLabelsColor(text)
        axis_x.setGridLineColor(grid)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        # Round ticks in thousands (0k, 50k, 100k...), not the top split in three.
        axis_y = QCategoryAxis()
        axis_y.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        top = max((m.amount for _p, m in trend), default=Decimal(0)) / 1000
        ticks = nice_ticks(top, 4)
        axis_y.setStartValue(-1e-9)
        for tick in ticks:
            axis_y.append(f"{qty_text(tick)}k", float(tick))
        axis_y.setRange(0, float(ticks[-1]))
        axis_y.setLabelsFont(small)
        axis_y.setLabelsColor(text)
        axis_y.setGridLineColor(grid)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(190)
        view.setStyleSheet("background: transparent;")
        view.setToolTip("\n".join(f"{p}: {money_text(m)}" for p, m in trend))
        return view

    def _runs(self, runs: Sequence[RunLine]) -> None:
        card = self.runs_card
        if not runs:
            self.note(card, self.tr("No billing run yet."))
            return
        status = {"completed": self.tr("completed"), "running": self.tr("running"),
                  "failed": self.tr("failed"), "cancelled": self.tr("cancelled")}
        self.rows(card, [(f"{r.period} · {status.get(r.status, r.status)}",
                          [self.figure(qty_text(r.bills), TO_RUNS),
                           self.figure(qty_text(r.exceptions), TO_RUNS)])
                         for r in runs],
                  (self.tr("Period"), self.tr("Bills"), self.tr("Exceptions")))
        last = runs[0]
        self.note(card, self.tr("Last run {0}: {1} billed").format(
            time_text(last.started_at), money_text(last.total)))

    def _health(self, h: SystemHealth) -> None:
        card = self.health_card
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        growth = "—"
        if h.growth_bytes is not None and h.growth_since is not None:
            sign = "+" if h.growth_bytes >= 0 else "−"
            growth = self.tr("{0} since {1}").format(sign + size_text(abs(h.growth_bytes)),
                                                     time_text(h.growth_since))
        schema = h.schema_version or "—"
        if h.schema_version != h.program_schema:
            schema = self.tr("{0} (this program: {1})").format(schema, h.program_schema)
        connections = (self.tr("this PC") if h.connections is None
                       else qty_text(h.connections))
        backup = self.tr("none recorded")
        if h.last_backup is not None:
            backup = self.tr("{0}, {1} ({2})").format(
                time_text(h.last_backup.taken_at), size_text(h.last_backup.size_bytes),
                self.tr("daily") if h.last_backup.kind == "daily" else self.tr("manual"))
        audit = "—"
        if h.audit_ok is not None:
            audit = (self.tr("intact, {0} entries").format(qty_text(h.audit_entries))
                     if h.audit_ok else self.tr("BROKEN: {0}").format(h.audit_problem or ""))
        outbox = (self.tr("not in use") if h.outbox is None else
                  ", ".join(f"{qty_text(n)} {status}" for status, n in h.outbox))
        portal = (self.tr("not in use") if h.portal_actions is None else
                  self.tr("{0} actions in 24 h").format(qty_text(h.portal_actions)))
        failed = "—" if h.failed_sign_ins is None else qty_text(h.failed_sign_ins)
        pairs = [
            (self.tr("Database"), f"{size_text(h.database_bytes)} ({h.backend})"),
            (self.tr("Growth"), growth),
            (self.tr("Schema version"), schema),
            (self.tr("Connections"), connections),
            (self.tr("Last backup"), backup),
            (self.tr("Failed sign-ins (24 h)"), failed),
            (self.tr("Audit chain"), audit),
            (self.tr("Notifications"), outbox),
            (self.tr("Portal"), portal),
        ]
        per_column = 3
        for i, (label, value) in enumerate(pairs):
            r, c = i % per_column, (i // per_column) * 2
            name = QLabel(label)
            name.setObjectName("Muted")
            grid.addWidget(name, r, c)
            link = self._left(self.figure(value, TO_ADMIN))
            if label == self.tr("Audit chain") and h.audit_ok is False:
                link.setProperty("broken", True)
                link.setStyleSheet("color: #b3261e; font-weight: 600; text-align: left;")
            grid.addWidget(link, r, c + 1)
        for c in (1, 3, 5):
            grid.setColumnStretch(c, 1)
        card.body.addLayout(grid)


PAGE = HomePage
