"""The tariffs tab: the list, a read-only view of each version's components, and a bill
calculator that prices typed consumption with the same pure calculation as the billing run
(:func:`ebs_desktop.domain.billcalc.calculate_bill`), so what it shows is what a bill
would say. Versions are never edited in place: a change is a new version (imported).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ebs_desktop.domain.billcalc import AccountFacts, BillCalculation, Usage
from ebs_desktop.domain.formatting import format_rate
from ebs_desktop.domain.money import parse_quantity
from ebs_desktop.domain.tariffs.describe import PriceRow, describe_spec
from ebs_desktop.domain.tariffs.model import Tariff, TariffVersion
from ebs_desktop.errors import EbsError, ValidationError
from ebs_desktop.gui.i18n import ui_locale
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import PageContext, ServiceUser
from ebs_desktop.gui.qt import (
    QComboBox,
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
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import (
    date_text,
    money_col,
    money_text,
    muted,
    qty_text,
    rows_model,
    set_rows,
    table,
)


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


def rate_text(row: PriceRow, currency: str) -> str:
    """A rate as staff read it: ``0.085 USD``, ``12.00 USD``, ``5%`` (locale digits)."""
    if row.rate is None:
        return ""
    if row.kind == "percent":
        return f"{qty_text(row.rate)}%"
    return format_rate(row.rate, currency, ui_locale())


def per_text(per: str) -> str:
    return {"month": "a month", "day": "a day", "": ""}.get(per, f"per {per}")


def version_rows(version: TariffVersion, currency: str) -> list[tuple[str, str, str, str, str]]:
    """The version's prices as table rows: part (on its first row), component, rate, per,
    how it applies."""
    out, last = [], ""
    for row in describe_spec(version.spec):
        part = row.section if row.section != last else ""
        last = row.section
        out.append((part, row.label, rate_text(row, currency), per_text(row.per), row.note))
    return out


def in_force(tariff: Tariff, today: date) -> TariffVersion | None:
    """The version in force on ``today`` (the last one effective by then), else None."""
    found = None
    for version in tariff.versions:
        if version.effective_from <= today:
            found = version
    return found


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
        self.list.selectionModel().currentRowChanged.connect(lambda cur, _p: self._picked())
        split.addWidget(self.list)
        split.addWidget(self._prices())
        split.addWidget(self._calculator())
        split.setSizes([250, 560, 320])
        split.setStretchFactor(1, 1)
        layout.addWidget(split)

    def _prices(self) -> QWidget:
        """The chosen version's prices as a table (component, rate, per, how it applies)."""
        box = QGroupBox(self.tr("Prices"))
        v = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Version")))
        self.version_pick = QComboBox()
        self.version_pick.currentIndexChanged.connect(lambda _i: self._show_version())
        row.addWidget(self.version_pick, 1)
        v.addLayout(row)
        self.prices_model = rows_model([
            Column(self.tr("Part")), Column(self.tr("Component")),
            Column(self.tr("Rate"), align_right=True), Column(self.tr("Per"))], self)
        self.prices = table(self.prices_model)
        self.prices.selectionModel().currentRowChanged.connect(
            lambda cur, _p: self._show_how(cur.row()))
        v.addWidget(self.prices, 1)
        self.how = QLabel("")
        self.how.setWordWrap(True)
        v.addWidget(self.how)
        self.version_note = muted("")
        self.version_note.setWordWrap(True)
        v.addWidget(self.version_note)
        return box

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
            self.list.setColumnHidden(2, True)  # the name says the category
            self.list.setColumnHidden(3, True)  # the version list shows them
            self.list.resizeColumnsToContents()
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
        current = in_force(tariff, date.today())
        self.version_pick.blockSignals(True)
        self.version_pick.clear()
        for version in reversed(tariff.versions):
            text = self.tr("Version {0}, from {1}").format(
                version.version, date_text(version.effective_from))
            if version is current:
                text += self.tr(" (in force)")
            self.version_pick.addItem(text, version.version)
        chosen = current or (tariff.versions[-1] if tariff.versions else None)
        if chosen is not None:
            self.version_pick.setCurrentIndex(self.version_pick.findData(chosen.version))
        self.version_pick.blockSignals(False)
        self._show_version()

    def _show_version(self) -> None:
        tariff = self.tariff
        number = self.version_pick.currentData()
        version = next((v for v in tariff.versions if v.version == number), None) \
            if tariff is not None else None
        if tariff is None or version is None:
            set_rows(self.prices_model, [])
            self.version_note.setText("")
            return
        rows = version_rows(version, tariff.currency)
        self._notes = [row[4] for row in rows]
        set_rows(self.prices_model, [row[:4] for row in rows])
        self.prices.resizeColumnsToContents()
        if rows:
            self.prices.selectRow(0)
        self._show_how(0)
        self.version_note.setText(self.tr(
            "Prices in {0}. A change of prices is a new version from a later date; bills "
            "are priced by the version in force in their period.").format(tariff.currency))

    def _show_how(self, row: int) -> None:
        """How the chosen price applies (proration, register, base of a tax...)."""
        notes = getattr(self, "_notes", [])
        note = notes[row] if 0 <= row < len(notes) else ""
        name = self.prices_model.index(row, 1).data() if 0 <= row < len(notes) else ""
        self.how.setText(self.tr("{0}: {1}").format(name, note) if note else "")

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
