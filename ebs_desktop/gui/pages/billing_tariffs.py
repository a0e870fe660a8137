"""The tariffs tab: the list, a read-only view of each version's components, and a bill
calculator that prices typed consumption with the same pure calculation as the billing run
(:func:`ebs_desktop.domain.billcalc.calculate_bill`), so what it shows is what a bill
would say. Versions are never edited in place: a change is a new version (imported).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ebs_desktop.domain.billcalc import AccountFacts, BillCalculation, Usage
from ebs_desktop.domain.money import parse_quantity
from ebs_desktop.domain.tariffs.model import Tariff
from ebs_desktop.domain.tariffs.spec_dict import spec_to_dict
from ebs_desktop.errors import EbsError, ValidationError
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import PageContext, ServiceUser
from ebs_desktop.gui.qt import (
    QDate,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import money_col, money_text, rows_model, set_rows, size_columns, table


def _parse(text: str, field: str, required: bool = False) -> Decimal | None:
    t = text.strip().replace(",", ".")
    if not t:
        if required:
            raise ValidationError("a value is required", location=field)
        return None
    return parse_quantity(t, field=field)


def parse_registers(text: str) -> dict[str, Decimal]:
    """``peak=120, offpeak=300`` -> register kWh."""
    out: dict[str, Decimal] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        if not sep:
            raise ValidationError(f"{part!r}: write name=kWh", location="registers")
        number = _parse(value, f"registers {name.strip()}", required=True)
        assert number is not None
        out[name.strip()] = number
    return out


def _add_tree(parent: QTreeWidgetItem, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            child = QTreeWidgetItem(parent, [str(key), ""])
            if isinstance(item, (dict, list)):
                _add_tree(child, item)
            else:
                child.setText(1, str(item))
    elif isinstance(value, list):
        for i, item in enumerate(value, start=1):
            child = QTreeWidgetItem(parent, [f"#{i}", ""])
            if isinstance(item, (dict, list)):
                _add_tree(child, item)
            else:
                child.setText(1, str(item))


class TariffsTab(QWidget, ServiceUser):
    def __init__(self, context: PageContext) -> None:
        super().__init__()
        self.context = context
        self.tariff: Tariff | None = None
        layout = QHBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.list_model = rows_model([Column(self.tr("Code")), Column(self.tr("Name")),
                                      Column(self.tr("Category")),
                                      Column(self.tr("Versions"), align_right=True)], self)
        self.list = table(self.list_model, stretch=1)
        size_columns(self.list, [90, 200, 100, 70])
        self.list.selectionModel().currentRowChanged.connect(lambda cur, _p: self._picked())
        split.addWidget(self.list)
        self.versions = QTreeWidget()
        self.versions.setHeaderLabels([self.tr("Component"), self.tr("Value")])
        self.versions.setColumnWidth(0, 220)
        split.addWidget(self.versions)
        split.addWidget(self._calculator())
        split.setSizes([330, 330, 420])
        layout.addWidget(split)

    def _calculator(self) -> QWidget:
        box = QGroupBox(self.tr("Bill calculator"))
        v = QVBoxLayout(box)
        form = QFormLayout()
        self.calc_tariff = QLabel("—")
        self.start = QDateEdit()
        self.start.setDate(QDate(2026, 1, 1))
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.start.setCalendarPopup(True)
        self.end = QDateEdit()
        self.end.setDate(QDate(2026, 1, 31))
        self.end.setDisplayFormat("yyyy-MM-dd")
        self.end.setCalendarPopup(True)
        self.kwh = QLineEdit("250")
        self.registers = QLineEdit()
        self.registers.setPlaceholderText("peak=80, offpeak=170")
        self.demand = QLineEdit()
        self.demand.setPlaceholderText(self.tr("kW, for demand tariffs"))
        self.load_kw = QLineEdit()
        self.load_kw.setPlaceholderText(self.tr("kW, for tariffs charging the load"))
        form.addRow(self.tr("Tariff"), self.calc_tariff)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        form.addRow(self.tr("Consumption (kWh)"), self.kwh)
        form.addRow(self.tr("Registers"), self.registers)
        form.addRow(self.tr("Demand (kW)"), self.demand)
        form.addRow(self.tr("Sanctioned load (kW)"), self.load_kw)
        v.addLayout(form)
        self.calc_button = QPushButton(icon("billing"), self.tr("Calculate"))
        self.calc_button.clicked.connect(self.calculate)
        self.kwh.returnPressed.connect(self.calculate)
        v.addWidget(self.calc_button, 0, Qt.AlignmentFlag.AlignRight)
        self.lines_model = rows_model([Column(self.tr("Line")), money_col(self.tr("Amount"))],
                                      self)
        self.lines = table(self.lines_model, stretch=0)
        v.addWidget(self.lines, 1)
        self.total = QLabel("")
        self.total.setObjectName("SectionTitle")
        self.total.setWordWrap(True)
        v.addWidget(self.total)
        return box

    def load(self) -> None:
        staff = self.staff

        def done(rows: list[tuple[str, str, str, int]]) -> None:
            set_rows(self.list_model, rows)
            if rows:
                self.list.selectRow(0)

        self.call(lambda _task: staff.tariffs.list_tariffs(), done)

    def _picked(self) -> None:
        row = self.list.currentIndex().row()
        code = self.list_model.index(row, 0).data(Qt.ItemDataRole.UserRole)
        if not code:
            return
        staff = self.staff
        self.call(lambda _task: staff.tariffs.get_tariff(str(code)), self.show_tariff)

    def show_tariff(self, tariff: Tariff) -> None:
        self.tariff = tariff
        self.calc_tariff.setText(f"{tariff.code} — {tariff.name}")
        self.versions.clear()
        for version in reversed(tariff.versions):
            top = QTreeWidgetItem(self.versions, [
                self.tr("Version {0}").format(version.version),
                self.tr("from {0}").format(version.effective_from.isoformat())])
            _add_tree(top, spec_to_dict(version.spec))
            top.setExpanded(version is tariff.versions[-1])
        self.versions.expandToDepth(1)

    def calculate(self) -> BillCalculation | None:
        if self.tariff is None:
            return None
        try:
            kwh = _parse(self.kwh.text(), "consumption", required=True)
            assert kwh is not None
            usage = Usage(kwh, parse_registers(self.registers.text()),
                          _parse(self.demand.text(), "demand"))
            facts = AccountFacts(category=self.tariff.category,
                                 sanctioned_load_kw=_parse(self.load_kw.text(), "load"))
            start, end = self.start.date(), self.end.date()
            bill = self.staff.tariffs.price_usage(
                self.tariff, date(start.year(), start.month(), start.day()),
                date(end.year(), end.month(), end.day()), usage, facts,
                self.settings.cash_step_money)
        except EbsError as exc:
            set_rows(self.lines_model, [])
            self.total.setText(str(exc))
            return None
        set_rows(self.lines_model, [(ln.description, ln.amount) for ln in bill.lines])
        self.total.setText(self.tr("Total {0}  ·  after due date {1}").format(
            money_text(bill.total), money_text(bill.after_due)))
        return bill
