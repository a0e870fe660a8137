"""Collections page (issue 20, point 10): accounts per level of the dunning path, holds,
payment arrangements and field orders, and the run itself.

Keyboard first: Alt+letter on every button, the day and account fields take Enter. "Plan"
shows what a run would do on the day (``staff.dunning.run(day, dry_run=True)``); "Run"
does it (billing officers only: the button is not offered to whoever may not). Holds are
placed and released here, arrangements agreed, a crew's work recorded and the crews'
list saved as PDF or CSV, every change through the facade, audited by the services.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ebs_desktop.domain.dunning import HOLD_LABELS, HoldKind
from ebs_desktop.gui.changes import ACCOUNTS, BILLS, DataChange
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column, LazyTableModel
from ebs_desktop.gui.pages.base import Page
from ebs_desktop.gui.qt import (
    QComboBox,
    QDate,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import (
    date_col,
    fit_columns,
    money_col,
    muted,
    qty_col,
    rows_model,
    selected_value,
    set_rows,
    table,
)
from ebs_desktop.services.dunning import CollectionsOverview, DunningRun

LEVEL_TITLES = (("reminder", "Reminder"), ("overdue", "Overdue notice"),
                ("final", "Final notice"), ("disconnect", "Disconnection"))


def _table(model: LazyTableModel, stretch: int) -> QTableView:
    """A table whose columns fit their headers before any row arrives."""
    view = table(model, stretch=stretch)
    fit_columns(view)
    return view


def _day_edit(day: date, name: str) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _day(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class CollectionsPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        v = QVBoxLayout(body)
        v.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("&Day")))
        self.day = _day_edit(date.today(), "collections_day")
        bar.itemAt(0).widget().setBuddy(self.day)  # type: ignore[union-attr]
        bar.addWidget(self.day)
        self.plan_button = QPushButton(icon("search"), self.tr("&Plan"))
        self.plan_button.setObjectName("collections_plan")
        self.plan_button.clicked.connect(lambda: self.run(dry_run=True))
        bar.addWidget(self.plan_button)
        self.run_button = QPushButton(icon("check"), self.tr("&Run"))
        self.run_button.setObjectName("collections_run")
        self.run_button.setProperty("primary", True)
        self.run_button.clicked.connect(lambda: self.run(dry_run=False))
        bar.addWidget(self.run_button)
        self.levels = QLabel()
        self.levels.setObjectName("collections_levels")
        bar.addSpacing(16)
        bar.addWidget(self.levels, 1)
        v.addLayout(bar)
        self.status = muted("")
        v.addWidget(self.status)

        self.tabs = QTabWidget()
        v.addWidget(self.tabs, 1)
        self.path_model = rows_model([
            Column(self.tr("Account")), Column(self.tr("Customer")), Column(self.tr("Level")),
            Column(self.tr("Bill")), date_col(self.tr("On")),
            date_col(self.tr("Disconnection")), money_col(self.tr("Arrears"))], self)
        self.path_view = _table(self.path_model, stretch=1)
        self.tabs.addTab(self.path_view, self.tr("Path"))
        self.plan_model = rows_model([
            Column(self.tr("Step")), Column(self.tr("Account")), Column(self.tr("Customer")),
            Column(self.tr("Bill")), money_col(self.tr("Arrears")),
            date_col(self.tr("Disconnection")), Column(self.tr("Held by"))], self)
        self.plan_view = _table(self.plan_model, stretch=2)
        self.tabs.addTab(self.plan_view, self.tr("Plan"))
        self.tabs.addTab(self._holds_tab(), self.tr("Holds"))
        self.tabs.addTab(self._arrangements_tab(), self.tr("Arrangements"))
        self.tabs.addTab(self._orders_tab(), self.tr("Orders"))
        self._loaded = False
        return body

    # -- tabs -------------------------------------------------------------------------------
    def _account_field(self, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setPlaceholderText(self.tr("account number"))
        field.setMinimumWidth(130)
        return field

    def _holds_tab(self) -> QWidget:
        tab = QWidget()
        v = QVBoxLayout(tab)
        form = QHBoxLayout()
        self.hold_account = self._account_field("hold_account")
        form.addWidget(self.hold_account)
        self.hold_kind = QComboBox()
        self.hold_kind.setObjectName("hold_kind")
        for kind in (HoldKind.DISPUTE, HoldKind.MEDICAL, HoldKind.MORATORIUM):
            self.hold_kind.addItem(self.tr(HOLD_LABELS[kind]), kind.value)
        form.addWidget(self.hold_kind)
        form.addWidget(QLabel(self.tr("from")))
        self.hold_from = _day_edit(date.today(), "hold_from")
        form.addWidget(self.hold_from)
        self.hold_reference = QLineEdit()
        self.hold_reference.setObjectName("hold_reference")
        self.hold_reference.setPlaceholderText(self.tr("reference (certificate, dispute)"))
        self.hold_reference.returnPressed.connect(self.add_hold)
        form.addWidget(self.hold_reference, 1)
        self.hold_button = QPushButton(icon("add"), self.tr("&Hold"))
        self.hold_button.clicked.connect(self.add_hold)
        form.addWidget(self.hold_button)
        self.release_button = QPushButton(self.tr("Re&lease…"))
        self.release_button.clicked.connect(self.release_selected)
        form.addWidget(self.release_button)
        v.addLayout(form)
        self.holds_model = rows_model([
            Column("#", align_right=True), Column(self.tr("Account")),
            Column(self.tr("Customer")), Column(self.tr("Hold")), date_col(self.tr("From")),
            date_col(self.tr("Until")), Column(self.tr("Reference")), Column(self.tr("Note"))],
            self)
        self.holds_view = _table(self.holds_model, stretch=2)
        v.addWidget(self.holds_view, 1)
        return tab

    def _arrangements_tab(self) -> QWidget:
        tab = QWidget()
        v = QVBoxLayout(tab)
        form = QHBoxLayout()
        self.arrange_account = self._account_field("arrange_account")
        form.addWidget(self.arrange_account)
        form.addWidget(QLabel(self.tr("instalments")))
        self.arrange_count = QSpinBox()
        self.arrange_count.setObjectName("arrange_count")
        self.arrange_count.setRange(1, 60)
        self.arrange_count.setValue(3)
        form.addWidget(self.arrange_count)
        form.addWidget(QLabel(self.tr("first due")))
        self.arrange_first = _day_edit(date.today(), "arrange_first")
        form.addWidget(self.arrange_first)
        self.arrange_button = QPushButton(icon("add"), self.tr("&Agree"))
        self.arrange_button.clicked.connect(self.agree)
        self.arrange_account.returnPressed.connect(self.agree)
        form.addWidget(self.arrange_button)
        form.addStretch(1)
        v.addLayout(form)
        self.arrangements_model = rows_model([
            Column("#", align_right=True), Column(self.tr("Account")),
            Column(self.tr("Customer")), Column(self.tr("Reference")),
            date_col(self.tr("Agreed")), money_col(self.tr("Total")), Column(self.tr("Status")),
            qty_col(self.tr("Instalments")), date_col(self.tr("Last due"))], self)
        self.arrangements_view = _table(self.arrangements_model, stretch=2)
        v.addWidget(self.arrangements_view, 1)
        return tab

    def _orders_tab(self) -> QWidget:
        tab = QWidget()
        v = QVBoxLayout(tab)
        buttons = QHBoxLayout()
        self.done_button = QPushButton(icon("check"), self.tr("&Done by the crew"))
        self.done_button.clicked.connect(self.order_done)
        buttons.addWidget(self.done_button)
        self.save_button = QPushButton(icon("print"), self.tr("&Save the crews' list…"))
        self.save_button.clicked.connect(lambda: self.save_orders())
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        v.addLayout(buttons)
        self.orders_model = rows_model([
            Column(self.tr("Order")), Column(self.tr("Kind")), Column(self.tr("Status")),
            Column(self.tr("Route")), qty_col(self.tr("Walk")), Column(self.tr("Account")),
            Column(self.tr("Customer")), Column(self.tr("Address")),
            date_col(self.tr("Ordered")), money_col(self.tr("Arrears")),
            money_col(self.tr("Fee"))], self)
        self.orders_view = _table(self.orders_model, stretch=7)
        v.addWidget(self.orders_view, 1)
        return tab

    # -- loading ----------------------------------------------------------------------------
    def activated(self) -> None:
        if not (self.available and self.connected):
            return
        may_run = self.staff.allows("dunning.run")
        self.run_button.setVisible(may_run)
        may_manage = self.staff.allows("dunning.manage")
        for button in (self.hold_button, self.release_button, self.arrange_button,
                       self.done_button):
            button.setEnabled(may_manage)
        if not self._loaded:
            self.load()
        self.day.setFocus()

    def load(self) -> None:
        day = _day(self.day)
        self._loaded = True
        self.call(lambda _t: self.staff.dunning.overview(day), self.show_overview)

    def data_changed(self, change: DataChange) -> None:
        if change.kinds & {ACCOUNTS, BILLS}:
            self._loaded = False
            if self.isVisible():
                self.load()

    def show_overview(self, o: CollectionsOverview) -> None:
        counts = [f"{self.tr(title)}: {o.levels.get(key, 0)}" for key, title in LEVEL_TITLES]
        self.levels.setText("   ".join(counts))
        words = dict(LEVEL_TITLES)
        set_rows(self.path_model, [(p.account_number, p.name,
                                    self.tr(words.get(p.level, p.level)), p.bill_number, p.on,
                                    p.disconnect_on or "", p.arrears) for p in o.path])
        set_rows(self.holds_model, [(h.hold_id, h.account_number, h.name,
                                     self.tr(HOLD_LABELS[HoldKind(h.kind)]), h.starts_on,
                                     h.ends_on or "", h.reference, h.note) for h in o.holds])
        set_rows(self.arrangements_model, [
            (a.arrangement_id, a.account_number, a.name, a.reference, a.agreed_on, a.total,
             a.status, a.instalments, a.last_due or "") for a in o.arrangements])
        set_rows(self.orders_model, [
            (r.number, r.kind, r.status, r.route, r.walk_order, r.account_number, r.name,
             r.address, r.ordered_on, r.arrears, r.fee) for r in o.orders])

    # -- actions ----------------------------------------------------------------------------
    def run(self, dry_run: bool) -> None:
        day = _day(self.day)
        if dry_run:
            self.call(lambda _t: self.staff.dunning.plan(day), self.show_run)
            return
        self.call(lambda _t: self.staff.dunning.run(day), self.show_run,
                  changes={ACCOUNTS, BILLS})

    def show_run(self, result: DunningRun) -> None:
        set_rows(self.plan_model, [
            (self.tr(s.action.replace("_", " ")), s.account_number, s.name,
             s.bill_number or "", s.arrears, s.disconnect_on or "",
             self.tr(HOLD_LABELS[HoldKind(s.held_by)]) if s.held_by else "")
            for s in result.steps])
        counts = ", ".join(f"{k.replace('_', ' ').replace('held:', 'held, ')}: {v}"
                           for k, v in result.counts().items())
        if result.dry_run:
            self.status.setText(self.tr("Plan for {0}: {1}").format(
                result.as_of.isoformat(), counts or self.tr("nothing to do")))
        else:
            self.status.setText(self.tr("Run of {0}: {1}; {2} notices queued, {3} orders")
                                .format(result.as_of.isoformat(),
                                        counts or self.tr("nothing to do"), result.notices,
                                        len(result.orders)))
        self.tabs.setCurrentIndex(1)

    def add_hold(self) -> None:
        number = self.hold_account.text().strip()
        kind = str(self.hold_kind.currentData())
        start = _day(self.hold_from)
        reference = self.hold_reference.text()
        self.call(lambda _t: self.staff.dunning.place_hold(number, kind, start, None,
                                                           reference),
                  lambda _id: self._after_change(self.tr("Hold placed on {0}").format(number)),
                  changes={ACCOUNTS})

    def release_selected(self, reason: str | None = None) -> None:
        hold_id = selected_value(self.holds_view, 0)
        if hold_id is None:
            self.status.setText(self.tr("Select the hold to release"))
            return
        if reason is None:
            text, ok = QInputDialog.getText(self, self.tr("Release hold"), self.tr("Reason"))
            if not ok:
                return
            reason = text
        why = reason
        self.call(lambda _t: self.staff.dunning.release_hold(int(hold_id), why),
                  lambda _r: self._after_change(self.tr("Hold {0} released").format(hold_id)),
                  changes={ACCOUNTS})

    def agree(self) -> None:
        number = self.arrange_account.text().strip()
        count = self.arrange_count.value()
        first = _day(self.arrange_first)
        self.call(lambda _t: self.staff.dunning.agree_arrangement(number, count, first),
                  lambda _id: self._after_change(
                      self.tr("Arrangement agreed for {0}").format(number)),
                  changes={ACCOUNTS, BILLS})

    def order_done(self) -> None:
        number = selected_value(self.orders_view, 0)
        if number is None:
            self.status.setText(self.tr("Select the order the crew did"))
            return
        self.call(lambda _t: self.staff.dunning.complete_order(str(number)),
                  lambda _r: self._after_change(self.tr("Order {0} done").format(number)),
                  changes={ACCOUNTS})

    def save_orders(self, path: Path | None = None) -> None:
        if path is None:
            name, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Save the crews' list"), "disconnections.pdf",
                self.tr("PDF (*.pdf);;CSV (*.csv)"))
            if not name:
                return
            path = Path(name)
        target = path

        def write(_t: object) -> Path:
            report = self.staff.dunning.field_order_report("disconnect", "open")
            if target.suffix.lower() == ".csv":
                from ebs_desktop.reports.tabular_export import write_csv
                write_csv(report, target)
            else:
                from ebs_desktop.reports.tabular_pdf import render_table_pdf
                render_table_pdf(report, target)
            return target

        self.call(write, lambda p: self.status.setText(self.tr("Saved {0}").format(p)))

    def _after_change(self, message: str) -> None:
        self.status.setText(message)
        self.load()

    def rows(self, model_name: str) -> Sequence[tuple[object, ...]]:
        """What a table shows, as text per cell (for tests and screenshots)."""
        model = getattr(self, model_name)
        return [tuple(model.index(r, c).data() for c in range(model.columnCount()))
                for r in range(model.rowCount())]


PAGE = CollectionsPage
