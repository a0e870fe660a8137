"""One account on the customer screen: details, meters, ledger, bills, payments, consumption
chart and notes, all from one :class:`~ebs_desktop.services.account_view.AccountView`.

The panel only shows records; the page loads them on the worker thread and hands them
over. Opening a bill (double click or Enter) asks the page for its lines, shown in
:class:`BillDialog` with each line's explanation as printed on the bill.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from ebs_desktop.domain.formatting import format_date
from ebs_desktop.domain.scales import nice_ticks
from ebs_desktop.gui.i18n import ui_locale
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.account_contact import AccountContactTab
from ebs_desktop.gui.pages.account_portal import AccountPortalTab
from ebs_desktop.gui.qt import (
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QColor,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGuiApplication,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPainter,
    QPalette,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import (
    date_col,
    date_text,
    money_col,
    money_text,
    muted,
    qty_col,
    qty_text,
    rows_model,
    set_rows,
    size_columns,
    table,
    yes_no,
)
from ebs_desktop.services.account_view import AccountView, BillView, ConsumptionPoint


def period_label(period: str) -> str:
    """``2026-10`` -> ``Oct 26`` in the interface's language (the period as it is if it
    is not a month)."""
    try:
        year, month = (int(part) for part in period.split("-")[:2])
        return format_date(date(year, month, 1), ui_locale(), "MMM yy")
    except ValueError:
        return period


def label_every(count: int, width: int = 420, label_width: int = 60) -> int:
    """Label every n-th bar so that labels of about ``label_width`` pixels never touch
    (Qt cuts a label wider than its share of the axis to "May ..."): the plot is about
    ``width`` pixels wide beside the account list at 1366x768; half a year labels every
    month, a year every second, two years every fourth."""
    if count <= 0:
        return 1
    fits = max(1, width // label_width)
    return max(1, -(-count // fits))


def consumption_chart(points: tuple[ConsumptionPoint, ...], title: str) -> QChart:
    """Bars per period; the value axis in round steps (0, 200, 400...) with thousands
    separators, the period axis with readable month names, as many as fit unelided."""
    chart = QChart()
    chart.setTitle(title)
    chart.legend().hide()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundVisible(False)
    bars = QBarSet("kWh")
    bars.setColor(QColor("#1f5fa8"))
    bars.setBorderColor(QColor("#1f5fa8"))
    # A chart needs floats to draw; the values shown in tables stay Decimal.
    bars.append([float(p.kwh) for p in points])
    series = QBarSeries()
    series.append(bars)
    chart.addSeries(series)
    # Bar i stands at x = i; a category axis labels chosen bars on their value.
    axis_x = QCategoryAxis()
    axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis_x.setGridLineVisible(False)
    axis_x.setStartValue(-0.5)
    every = label_every(len(points))
    last = len(points) - 1
    for i, p in enumerate(points):
        if (last - i) % every == 0:  # the latest period always labelled
            axis_x.append(period_label(p.period), i)
    axis_x.setRange(-0.5, max(last, 0) + 0.5)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    axis_y = QCategoryAxis()
    axis_y.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    ticks = nice_ticks(max((p.kwh for p in points), default=Decimal(0)), 5)
    axis_y.setStartValue(-1e-9)
    for tick in ticks:
        axis_y.append(qty_text(tick), float(tick))
    axis_y.setRange(0, float(ticks[-1]))
    axis_y.setTitleText("kWh")
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)
    _colour_from_palette(chart, (axis_x, axis_y))
    return chart


def _colour_from_palette(chart: QChart, axes: tuple[QCategoryAxis, ...]) -> None:
    """Title, labels and grid in the theme's text colour (a chart's own theme is light:
    on the dark theme its grey labels and white grid lines were hard to read)."""
    text = QGuiApplication.palette().color(QPalette.ColorGroup.Active,
                                           QPalette.ColorRole.WindowText)
    grid = QColor(text)
    grid.setAlpha(50)
    chart.setTitleBrush(text)
    for axis in axes:
        axis.setLabelsBrush(text)
        axis.setTitleBrush(text)
        axis.setGridLineColor(grid)
        axis.setLinePenColor(grid)


class BillDialog(QDialog):
    """A bill with its lines; billing staff can cancel it (credit note) or rebill it.

    ``cancel(reason)`` and ``rebill()`` are run by the page on the worker thread; the
    buttons show only when the page passes them (the user's roles allow it)."""

    def __init__(self, bill: BillView, parent: QWidget | None = None, *,
                 cancel: Callable[[str], None] | None = None,
                 rebill: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self._cancel, self._rebill = cancel, rebill
        s = bill.summary
        self.setWindowTitle(self.tr("Bill {0}").format(s.bill_number))
        self.resize(860, 480)
        layout = QVBoxLayout(self)
        head = QLabel(self.tr("Bill {0} · account {1} · period {2} ({3} to {4})").format(
            s.bill_number, bill.account_number, s.period, date_text(bill.period_start),
            date_text(bill.period_end)))
        head.setObjectName("SectionTitle")
        layout.addWidget(head)
        facts = self.tr("Consumption {0} kWh{1} · total {2} · after due date {3} · "
                        "due {4}").format(
            qty_text(s.consumption_kwh), self.tr(" (estimated)") if s.estimated else "",
            money_text(s.total), money_text(bill.after_due), date_text(s.due_date))
        layout.addWidget(muted(facts))
        if bill.credit_note:
            layout.addWidget(QLabel(self.tr("Cancelled by credit note {0}").format(
                bill.credit_note)))
        self.model = rows_model([Column(self.tr("Code")),
                                 Column(self.tr("Line and explanation")),
                                 money_col(self.tr("Amount"))], self)
        set_rows(self.model, [(ln.code, ln.description, ln.amount) for ln in bill.lines])
        view = table(self.model, stretch=1)
        size_columns(view, [110, 560, 120])
        layout.addWidget(view, 1)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.cancel_button = buttons.addButton(self.tr("Cancel by credit note…"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.rebill_button = buttons.addButton(self.tr("Rebill"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.setVisible(cancel is not None and not bill.credit_note)
        self.rebill_button.setVisible(rebill is not None and bool(bill.credit_note))
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.rebill_button.clicked.connect(self.ask_rebill)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def ask_cancel(self) -> None:
        reason, ok = QInputDialog.getText(
            self, self.tr("Cancel bill"),
            self.tr("Why is this bill cancelled? (printed on the credit note)"))
        if ok and reason.strip() and self._cancel is not None:
            self.cancel_button.setEnabled(False)
            self._cancel(reason.strip())

    def ask_rebill(self) -> None:
        if self._rebill is not None:
            self.rebill_button.setEnabled(False)
            self._rebill()

    def show_outcome(self, text: str) -> None:
        self.status.setText(text)


class AccountPanel(QWidget):
    """Shows one AccountView; ``open_bill(bill_id)`` and ``add_note(text)`` go to the page."""

    def __init__(self, open_bill: Callable[[int], None], add_note: Callable[[str], None],
                 edit: Callable[[], None]) -> None:
        super().__init__()
        self.view: AccountView | None = None
        self._open_bill = open_bill
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        titles = QVBoxLayout()
        self.title = QLabel(self.tr("No account selected"))
        self.title.setObjectName("SectionTitle")
        self.subtitle = muted(self.tr("Search and select an account to see it here."))
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        self.balance = QLabel("")
        self.balance.setObjectName("SectionTitle")
        top.addWidget(self.balance, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.edit_button = QPushButton(icon("user"), self.tr("Edit"))
        self.edit_button.clicked.connect(edit)
        self.edit_button.setEnabled(False)
        top.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        details = QWidget()
        self.form = QFormLayout(details)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fields: dict[str, QLabel] = {}
        for key, label in (("phone", self.tr("Phone")), ("email", self.tr("E-mail")),
                           ("address", self.tr("Address")), ("premise", self.tr("Premise")),
                           ("category", self.tr("Category")), ("status", self.tr("Status")),
                           ("tariff", self.tr("Tariff")), ("cycle", self.tr("Cycle / route")),
                           ("load", self.tr("Sanctioned load")),
                           ("meters", self.tr("Meters")), ("opened", self.tr("Opened"))):
            value = QLabel("—")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.fields[key] = value
            self.form.addRow(label, value)
        self.tabs.addTab(details, self.tr("Details"))
        self.ledger_model = rows_model([date_col(self.tr("Date")), Column(self.tr("Entry")),
                                        Column(self.tr("Document")), money_col(self.tr("Amount")),
                                        money_col(self.tr("Balance"))], self)
        self.ledger = table(self.ledger_model)  # every column its content's width
        self.tabs.addTab(self.ledger, self.tr("Ledger"))
        self.bills_model = rows_model([Column(self.tr("Bill")), Column(self.tr("Period")),
                                       qty_col(self.tr("kWh")), money_col(self.tr("Total")),
                                       money_col(self.tr("Open")), date_col(self.tr("Due")),
                                       Column(self.tr("Status"))], self)
        self.bills = table(self.bills_model)
        self.bills.doubleClicked.connect(lambda _i: self.open_selected_bill())
        self.bills.activated.connect(lambda _i: self.open_selected_bill())
        bills_tab = QWidget()  # the bills, and one printed as the batch prints it
        bills_layout = QVBoxLayout(bills_tab)
        bills_layout.setContentsMargins(0, 0, 0, 0)
        bills_layout.addWidget(self.bills, 1)
        self.print_bill_button = QPushButton(icon("print"), self.tr("Print or preview bill…"))
        self.print_bill_button.clicked.connect(self.print_selected_bill)
        bills_layout.addWidget(self.print_bill_button, 0, Qt.AlignmentFlag.AlignRight)
        self.tabs.addTab(bills_tab, self.tr("Bills"))
        self.payments_model = rows_model([date_col(self.tr("Received")),
                                          Column(self.tr("Receipt")),
                                          money_col(self.tr("Amount")), Column(self.tr("Tender")),
                                          Column(self.tr("Channel")),
                                          Column(self.tr("Reversed"))], self)
        self.payments = table(self.payments_model)
        self.tabs.addTab(self.payments, self.tr("Payments"))
        self.chart_view = QChartView()
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        self.tabs.addTab(self.chart_view, self.tr("Consumption"))
        notes = QWidget()
        nl = QVBoxLayout(notes)
        self.notes_list = QListWidget()
        self.notes_list.setWordWrap(True)
        nl.addWidget(self.notes_list, 1)
        row = QHBoxLayout()
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("A note on this account (a call, a promise "
                                                  "to pay, access to the meter)"))
        self.note_edit.setFixedHeight(60)
        row.addWidget(self.note_edit, 1)
        self.note_button = QPushButton(icon("add"), self.tr("Add note"))
        self.note_button.clicked.connect(lambda: add_note(self.note_edit.toPlainText()))
        row.addWidget(self.note_button, 0, Qt.AlignmentFlag.AlignBottom)
        nl.addLayout(row)
        self.tabs.addTab(notes, self.tr("Notes"))
        self.contact = AccountContactTab()  # preferences, contact status: account_contact.py
        self.tabs.addTab(self.contact, self.tr("Contact"))
        self.portal = AccountPortalTab()  # portal access and activity: account_portal.py
        self.tabs.addTab(self.portal, self.tr("Portal"))
        self.tabs.setEnabled(False)

    def set_may_edit(self, may: bool) -> None:
        """Offer Edit only to those who may edit accounts (a clerk sees no Edit)."""
        self.edit_button.setVisible(may)
        self.contact.set_may_edit(may)

    def show_view(self, view: AccountView) -> None:
        self.view = view
        d = view.details
        s = d.summary
        self.tabs.setEnabled(True)
        self.edit_button.setEnabled(True)
        self.title.setText(f"{s.name}  ·  {s.account_number}")
        self.subtitle.setText(s.address)
        self.balance.setText(self.tr("Balance {0}").format(money_text(s.balance)))
        values = {"phone": s.phone or "—", "email": d.email or "—", "address": s.address,
                  "premise": d.premise_address, "category": s.category, "status": s.status,
                  "tariff": f"{d.tariff_code} — {d.tariff_name}",
                  "cycle": f"{d.cycle_code} / {d.route_code} #{d.walk_order}",
                  "load": f"{qty_text(d.sanctioned_load_kw)} kW",
                  "meters": ", ".join(d.meter_serials) or "—", "opened": d.opened_on}
        for key, text in values.items():
            self.fields[key].setText(text)
        set_rows(self.ledger_model, [(ln.entry_date, ln.description, ln.document, ln.amount,
                                      ln.balance) for ln in reversed(view.ledger)])
        set_rows(self.bills_model, [
            (b.bill_number, b.period, b.consumption_kwh, b.total, b.open, b.due_date,
             self.tr("cancelled") if b.cancelled else
             (self.tr("paid") if not b.open.minor else self.tr("open")))
            for b in view.bills])
        self._bill_ids = [b.id for b in view.bills]
        from ebs_desktop.gui.dialogs.bill_print import may_print_bills

        self.print_bill_button.setVisible(may_print_bills(self))
        self.print_bill_button.setEnabled(bool(view.bills))
        set_rows(self.payments_model, [(p.received_at, p.receipt_number, p.amount, p.tenders,
                                        p.channel, yes_no(p.reversed)) for p in view.payments])
        self.chart_view.setChart(consumption_chart(
            view.consumption, self.tr("Consumption, last {0} periods (kWh)").format(
                len(view.consumption))))
        self.show_notes()
        self.contact.show_account(s.account_number)
        self.portal.show_account(s.account_number)

    def show_notes(self) -> None:
        self.notes_list.clear()
        if self.view is None:
            return
        for note in self.view.notes:
            self.notes_list.addItem(f"{date_text(note.created_at)}  {note.author}\n{note.text}")

    def print_selected_bill(self) -> None:
        """The selected bill (else the latest) as the customer gets it: preview, print, save."""
        from ebs_desktop.gui.dialogs.bill_print import open_bill_print

        row = max(self.bills.currentIndex().row(), 0)
        if row < self.bills_model.rowCount():
            open_bill_print(self, str(self.bills_model.index(row, 0).data(
                Qt.ItemDataRole.UserRole)))

    def open_selected_bill(self) -> None:
        row = self.bills.currentIndex().row()
        if 0 <= row < len(getattr(self, "_bill_ids", [])):
            self._open_bill(self._bill_ids[row])
