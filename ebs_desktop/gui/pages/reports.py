"""Reports: choose one, set its days, preview it as a table, print it, save it.

The list is the reports service's registry (the same one ``ebs report NAME`` offers), so a
new report appears here without touching the screen. Building a report and writing its
file run on the worker thread; the preview is the report's own rows (sections, totals)
formatted for this locale. Printing lays the same report out as a document for the
system printer (QPrinter); "Save" writes PDF, CSV or XLSX with the report builders the
CLI uses, so the files are identical whichever way they were made. This build of Qt has
no PDF viewer module, hence a table preview rather than page images; the chart above it
is the PDF's own drawing (reportlab, as SVG), so the preview shows the same picture.

Each report opens with its own days (:func:`~ebs_desktop.services.reports.common.
default_range`): the last complete month, the last twelve for a trend, today for arrears,
which are a state "as of" one day and so have no "from".
"""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from ebs_desktop.domain.formatting import format_decimal
from ebs_desktop.domain.money import Money
from ebs_desktop.gui.i18n import QT_TRANSLATE_NOOP, translate, ui_locale
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column, LazyTableModel
from ebs_desktop.gui.pages.base import Page
from ebs_desktop.gui.qt import (
    QByteArray,
    QColor,
    QDate,
    QDateEdit,
    QFileDialog,
    QFont,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QImage,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPainter,
    QPixmap,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QSpinBox,
    QSvgRenderer,
    Qt,
    QTextDocument,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import date_text, money_text, qty_text, set_rows, table
from ebs_desktop.reports.tabular import Cell, ChartSpec, TableReport
from ebs_desktop.reports.tabular import Column as ReportColumn
from ebs_desktop.reports.tabular_export import write_csv, write_xlsx
from ebs_desktop.reports.tabular_pdf import chart_svg, render_table_pdf
from ebs_desktop.services.reports import REPORTS, ReportRange
from ebs_desktop.services.reports.common import AS_OF_REPORTS, default_range

#: The chart's width in the PDF (A4 less the margins, in points): the preview draws the
#: same drawing, scaled to the page's width.
CHART_WIDTH = {True: 757.0, False: 510.0}
CHART_HEIGHT = 170.0

TITLES = {
    "daily-collections": QT_TRANSLATE_NOOP("Reports", "Daily collections"),
    "shift-z": QT_TRANSLATE_NOOP("Reports", "Shift Z-reports"),
    "revenue": QT_TRANSLATE_NOOP("Reports", "Revenue by tariff"),
    "arrears-aging": QT_TRANSLATE_NOOP("Reports", "Arrears aging"),
    "consumption-trends": QT_TRANSLATE_NOOP("Reports", "Consumption trends"),
    "billing-exceptions": QT_TRANSLATE_NOOP("Reports", "Billing exceptions"),
    "reading-completeness": QT_TRANSLATE_NOOP("Reports", "Reading completeness"),
    "ledger-reconciliation": QT_TRANSLATE_NOOP("Reports", "Ledger reconciliation"),
}


def report_title(name: str) -> str:
    source = TITLES.get(name)
    return translate("Reports", source) if source else name.replace("-", " ").capitalize()


def cell_text(value: Cell, column: ReportColumn | None = None) -> str:
    """A cell for this locale: grouped digits; a quantity to its column's places when it
    has no more (whole kWh read "1,234", never "1,234.000")."""
    if value is None:
        return ""
    if isinstance(value, Money):
        return money_text(value)
    if isinstance(value, date):
        return date_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal) and column is not None and column.places is not None:
        shown = value.quantize(Decimal(1).scaleb(-column.places))
        if shown == value:
            return format_decimal(shown, ui_locale(), places=column.places)
    return qty_text(value)


def column_text(column: ReportColumn, value: Cell) -> str:
    return cell_text(value, column)


def table_rows(report: TableReport) -> tuple[list[tuple[Any, ...]], set[int], set[int]]:
    """Sections flattened for the preview: a title line, the rows, the section's totals;
    with the indexes of the title rows and of the totals rows."""
    width = len(report.columns)
    out: list[tuple[Any, ...]] = []
    titles: set[int] = set()
    totals: set[int] = set()
    for section in report.all_sections():
        if section.title:
            titles.add(len(out))
            out.append((section.title,) + ("",) * (width - 1))
        out.extend(section.rows)
        if section.totals is not None:
            totals.add(len(out))
            out.append(section.totals)
    if report.totals is not None:
        totals.add(len(out))
        out.append(report.totals)
    return out, titles, totals


class ReportModel(LazyTableModel):
    """The preview's rows: section titles and totals in bold."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bold_rows: set[int] = set()

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid() \
                and index.row() in self.bold_rows:
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


def chart_pixmap(spec: ChartSpec, landscape: bool, width: int, ratio: float = 1.0) -> QPixmap:
    """The PDF's chart drawn for the screen, ``width`` pixels wide."""
    renderer = QSvgRenderer(QByteArray(chart_svg(spec, CHART_WIDTH[landscape])))
    height = round(width * CHART_HEIGHT / CHART_WIDTH[landscape])
    image = QImage(round(width * ratio), round(height * ratio),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def report_html(report: TableReport, chart: str = "") -> str:
    """The report as a simple HTML document for QPrinter (QTextDocument); ``chart`` names
    an image resource of the document holding the report's chart."""
    head = "".join(f"<th>{html.escape(c.title)}</th>" for c in report.columns)
    body = []
    for row in table_rows(report)[0]:
        cells = "".join(
            f"<td align='{'left' if c.kind in ('text', 'date') else 'right'}'>"
            f"{html.escape(cell_text(v, c))}</td>"
            for c, v in zip(report.columns, row, strict=True))
        body.append(f"<tr>{cells}</tr>")
    params = " · ".join(f"{html.escape(k)}: {html.escape(v)}" for k, v in report.parameters)
    return (f"<h2>{html.escape(report.title)}</h2><p>{html.escape(report.subtitle)}</p>"
            f"<p><small>{params}</small></p>"
            + (f"<p><img src='{chart}' width='640'></p>" if chart else "")
            + "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
            f"<tr>{head}</tr>{''.join(body)}</table>")


def write_report(report: TableReport, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(report, path)
    elif suffix == ".xlsx":
        write_xlsx(report, path)
    else:
        render_table_pdf(report, path)


class ReportsPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.reports = QListWidget()
        self.reports.setObjectName("report_list")
        self.reports.setMaximumWidth(250)
        for name in REPORTS:
            item = QListWidgetItem(icon("reports"), report_title(name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.reports.addItem(item)
        self.reports.currentRowChanged.connect(lambda _r: self._report_changed())
        self.reports.itemActivated.connect(lambda _i: self.preview())
        layout.addWidget(self.reports)
        right = QVBoxLayout()
        params = QGroupBox(self.tr("Parameters"))
        form = QFormLayout(params)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(1 - today.day()))
        self.date_to = QDateEdit(today)
        days = QHBoxLayout()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumWidth(140)
        days.addWidget(self.date_from)
        days.addSpacing(8)
        self.to_label = QLabel(self.tr("to"))
        days.addWidget(self.to_label)
        days.addSpacing(8)
        days.addWidget(self.date_to)
        days.addStretch(1)
        self.days_label = QLabel(self.tr("Days"))
        form.addRow(self.days_label, days)
        self.number = QSpinBox()
        self.number.setRange(0, 2_000_000_000)
        self.number.setSpecialValueText(self.tr("all"))
        self.number.setMaximumWidth(140)
        self.number_label = QLabel(self.tr("Shift"))
        form.addRow(self.number_label, self.number)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton(icon("reports"), self.tr("Preview  (Enter)"))
        self.preview_button.setProperty("primary", True)
        self.preview_button.clicked.connect(self.preview)
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        self.print_button = QPushButton(icon("print"), self.tr("Print…"))
        self.print_button.clicked.connect(self.print_report)
        buttons.addWidget(self.print_button)
        self.save_button = QPushButton(self.tr("Save as PDF, CSV or XLSX…"))
        self.save_button.clicked.connect(self.save_dialog)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        right.addWidget(params)
        self.heading = QLabel(self.tr("Choose a report and press Enter"))
        self.heading.setObjectName("SectionTitle")
        right.addWidget(self.heading)
        self.chart = QLabel()
        self.chart.setObjectName("report_chart")
        self.chart.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.chart.hide()
        right.addWidget(self.chart)
        self.model = ReportModel([], 0, lambda o, n: [], parent=self)
        self.view = table(self.model)
        right.addWidget(self.view, 1)
        self.status = QLabel("")
        self.status.setObjectName("Muted")
        right.addWidget(self.status)
        layout.addLayout(right, 1)
        self.report: TableReport | None = None
        self.reports.setCurrentRow(0)
        self._busy(False)
        self.setFocusProxy(self.reports)
        return body

    def current_name(self) -> str:
        item = self.reports.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def _report_changed(self) -> None:
        name = self.current_name()
        self.number_label.setText(self.tr("Billing run") if name == "billing-exceptions"
                                  else self.tr("Shift"))
        wanted = name in ("shift-z", "billing-exceptions")
        self.number.setVisible(wanted)
        self.number_label.setVisible(wanted)
        as_of = name in AS_OF_REPORTS
        self.date_from.setVisible(not as_of)
        self.to_label.setVisible(not as_of)
        self.days_label.setText(self.tr("As of") if as_of else self.tr("Days"))
        if name:
            rng = default_range(name, date.today())
            self.set_days(rng.date_from, rng.date_to)

    def _busy(self, busy: bool) -> None:
        self.preview_button.setEnabled(not busy)
        has = self.report is not None and not busy
        self.print_button.setEnabled(has)
        self.save_button.setEnabled(has)

    def report_range(self) -> ReportRange:
        def day(edit: QDateEdit) -> date:
            d = edit.date()
            return date(d.year(), d.month(), d.day())

        number = self.number.value() or None
        name = self.current_name()
        last = day(self.date_to)
        first = last if name in AS_OF_REPORTS else day(self.date_from)
        return ReportRange(first, last,
                           shift_id=number if name == "shift-z" else None,
                           run_id=number if name == "billing-exceptions" else None)

    def preview(self) -> None:
        name = self.current_name()
        if not name:
            return
        first, last = self.date_from.date(), self.date_to.date()
        if name not in AS_OF_REPORTS and last < first:
            self.status.setText(self.tr("The last day, {0}, is before the first, {1}: "
                                        "swap them.").format(last.toString("yyyy-MM-dd"),
                                                             first.toString("yyyy-MM-dd")))
            return
        rng = self.report_range()
        reports = self.staff.reports
        self._busy(True)
        self.status.setText(self.tr("Building {0}…").format(report_title(name)))

        def failed(exc: BaseException) -> None:
            self._busy(False)
            self.status.setText(str(exc))

        self.call(lambda _task: reports.build_report(name, rng), self.show_report,
                  failed=failed)

    def show_report(self, report: TableReport) -> None:
        self.report = report
        columns = [Column(c.title, partial(column_text, c),
                          align_right=c.kind not in ("text", "date"))
                   for c in report.columns]
        rows, titles, totals = table_rows(report)
        self.model = ReportModel(columns, 0, lambda o, n: [], parent=self)
        self.model.bold_rows = titles | totals
        set_rows(self.model, rows)
        self.view.setModel(self.model)
        self.view.clearSpans()
        for row in titles:  # a section's title runs across the row, widening no column
            self.view.setSpan(row, 0, 1, len(columns))
        self.view.horizontalHeader().setResizeContentsPrecision(-1)  # every row: no clipping
        self.view.resizeColumnsToContents()
        self.show_chart(report)
        self.heading.setText(f"{report.title} — {report.subtitle}" if report.subtitle
                             else report.title)
        self.status.setText(self.tr("{0} rows").format(self.model.rowCount()))
        self._busy(False)

    def show_chart(self, report: TableReport) -> None:
        """The PDF's chart above the table, as wide as the table (at most the PDF's size
        and a half)."""
        if report.chart is None:
            self.chart.clear()
            self.chart.hide()
            return
        available = max(self.view.width(), 480)
        width = min(available, round(CHART_WIDTH[report.landscape] * 1.5))
        width = min(width, round(190 * CHART_WIDTH[report.landscape] / CHART_HEIGHT))
        self.chart.setPixmap(chart_pixmap(report.chart, report.landscape, width,
                                          self.devicePixelRatioF()))
        self.chart.show()

    def print_report(self, *, printer: QPrinter | None = None) -> None:
        """Print on the system printer (a dialog first unless ``printer`` is given)."""
        if self.report is None:
            return
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintDialog(printer, self)
            if dialog.exec() != QPrintDialog.DialogCode.Accepted:
                return
        document = QTextDocument()
        chart = ""
        if self.report.chart is not None:  # the PDF's chart, as on the screen
            chart = "chart.png"
            picture = chart_pixmap(self.report.chart, self.report.landscape, 1280)
            document.addResource(QTextDocument.ResourceType.ImageResource, chart,
                                 picture.toImage())
        document.setHtml(report_html(self.report, chart))
        document.print_(printer)
        self.status.setText(self.tr("Sent to {0}.").format(printer.printerName()
                                                          or printer.outputFileName()))

    def save_dialog(self) -> None:
        if self.report is None:
            return
        suggested = f"{self.current_name()}.pdf"
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save report"), suggested,
            self.tr("PDF (*.pdf);;CSV (*.csv);;Excel workbook (*.xlsx)"))
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> None:
        report = self.report
        if report is None:
            return
        if path.suffix.lower() not in (".pdf", ".csv", ".xlsx"):
            path = path.with_suffix(".pdf")
        self._busy(True)

        def done(_r: None) -> None:
            self._busy(False)
            self.status.setText(self.tr("Saved to {0}").format(path))

        def failed(exc: BaseException) -> None:
            self._busy(False)
            self.status.setText(str(exc))

        self.call(lambda _task: write_report(report, path), done, failed=failed)

    def set_days(self, first: date, last: date) -> None:
        self.date_from.setDate(QDate(first.year, first.month, first.day))
        self.date_to.setDate(QDate(last.year, last.month, last.day))

    def activated(self) -> None:
        if self.available:
            self.reports.setFocus()


PAGE = ReportsPage
