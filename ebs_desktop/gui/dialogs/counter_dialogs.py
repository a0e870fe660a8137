"""The counter's dialogs: a supervisor's approval, confirming a credit, the blind count,
picking a receipt of the shift (with its text) to print again or reverse, the Z-report as
a full-size document (screen, printer, PDF).

They are opened with ``open()`` (window-modal, non-blocking) and the page reacts to
``accepted``, so the event loop keeps running and a test can fill them in like a person.
The blind count never shows what the drawer should hold: the expected amounts are only
revealed after the count is stored (see :func:`ebs_desktop.services.counter.close_shift`).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from ebs_desktop.domain.cash_count import Denomination, denominations
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.money import parse_money as domain_parse_money
from ebs_desktop.errors import ValidationError
from ebs_desktop.gui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFont,
    QFontDatabase,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QSpinBox,
    Qt,
    QTabWidget,
    QTextDocument,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import error_label, money_text, ok_cancel
from ebs_desktop.reports.tabular import TableReport


def parse_money(text: str, currency: str) -> Money:
    """A typed amount ("12.50", "12,50", blank = 0); ValueError if it is not one.

    The domain's :func:`ebs_desktop.domain.money.parse_money` decides, as for the command
    line and the files: plain digits, the currency's decimals, not negative, within the
    ceiling. Its located ValidationError is the ValueError's cause (``__cause__``)."""
    cleaned = text.strip().replace(" ", "").replace(",", ".") or "0"
    try:
        return domain_parse_money(cleaned, currency, field="amount")
    except ValidationError as exc:
        raise ValueError(text) from exc


class SupervisorDialog(QDialog):
    """A supervisor types their username and password (and the clerk the reason)."""

    def __init__(self, title: str, prompt: str, *, ask_reason: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        text = QLabel(prompt)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("reversal_reason")
        if ask_reason:
            form.addRow(self.tr("Reason"), self.reason)
        self.username = QLineEdit()
        self.username.setObjectName("supervisor_username")
        self.password = QLineEdit()
        self.password.setObjectName("supervisor_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Supervisor"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)
        self.buttons = ok_cancel(self, self.accept)
        layout.addWidget(self.buttons)
        (self.reason if ask_reason else self.username).setFocus()


class CreditConfirmDialog(QDialog):
    """The clerk confirms taking more than the account owes (the rest stays as credit).

    Cancel is the default button: Enter pressed once more by habit does not take the
    money; the clerk chooses "Take ... as credit" deliberately."""

    def __init__(self, account: str, owed: Money, amount: Money,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("More than the account owes"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        credit = amount - owed
        self.message = QLabel(self.tr(
            "Account {0} owes {1}. Taking {2} leaves {3} on the account as credit.\n\n"
            "Check the amount with the customer: is the bill already paid?").format(
            account, money_text(owed), money_text(amount), money_text(credit)))
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.take = self.buttons.addButton(
            self.tr("Take {0} ({1} as credit)").format(money_text(amount), money_text(credit)),
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.take.setObjectName("confirm_credit")
        self.take.setAutoDefault(False)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        cancel.setFocus()
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


class BlindCountDialog(QDialog):
    """Pieces per note and coin, plus totals of card slips, cheques and transfers."""

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self.setWindowTitle(self.tr("Close shift: blind count"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Count the drawer and type how many of each note and coin "
                               "you hold. The expected amounts are shown after the count "
                               "is stored."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        cash = QGroupBox(self.tr("Cash"))
        grid = QGridLayout(cash)
        self.spins: list[tuple[Denomination, QSpinBox]] = []
        table = denominations(currency)
        per_column = (len(table) + 1) // 2
        for i, d in enumerate(table):
            spin = QSpinBox()
            spin.setRange(0, 100000)
            spin.setMinimumWidth(80)
            spin.valueChanged.connect(self._update_total)
            spin.setObjectName(f"count_{d.form}_{d.value.minor}")
            self.spins.append((d, spin))
            col, row = divmod(i, per_column)
            form = self.tr("note") if d.form == "note" else self.tr("coin")
            label = QLabel(f"{money_text(d.value)} {form}")
            grid.addWidget(label, row, col * 2)
            grid.addWidget(spin, row, col * 2 + 1)
        layout.addWidget(cash)
        others = QFormLayout()
        self.card = QLineEdit()
        self.cheque = QLineEdit()
        self.transfer = QLineEdit()
        for edit, caption in ((self.card, self.tr("Card slips total")),
                              (self.cheque, self.tr("Cheques total")),
                              (self.transfer, self.tr("Transfers total"))):
            edit.setPlaceholderText("0.00")
            others.addRow(caption, edit)
        layout.addLayout(others)
        totals = QHBoxLayout()
        self.total = QLabel("")
        self.total.setObjectName("SectionTitle")
        totals.addWidget(self.total)
        totals.addStretch(1)
        layout.addLayout(totals)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = ok_cancel(self, self._accept)
        layout.addWidget(self.buttons)
        self._update_total()

    def set_pieces(self, value: str, pieces: int, form: str = "note") -> None:
        """Type a count (tests and scripts): ``value`` is the face value, e.g. "20"."""
        minor = Money.of(value, self.currency).minor
        for d, spin in self.spins:
            if d.value.minor == minor and d.form == form:
                spin.setValue(pieces)
                return
        raise KeyError(f"{value} {form}")

    def cash_counts(self) -> dict[str | Decimal, int]:
        out: dict[str | Decimal, int] = {}
        for d, spin in self.spins:
            if spin.value():
                out[d.value.amount] = out.get(d.value.amount, 0) + spin.value()
        return out

    def cash_total(self) -> Money:
        total = Money.zero(self.currency)
        for d, spin in self.spins:
            total = total + d.value * spin.value()
        return total

    def other_counts(self) -> dict[str, Money]:
        return {kind: parse_money(edit.text(), self.currency)
                for kind, edit in (("card", self.card), ("cheque", self.cheque),
                                   ("transfer", self.transfer))}

    def _update_total(self) -> None:
        self.total.setText(self.tr("Cash counted: {0}").format(money_text(self.cash_total())))

    def _accept(self) -> None:
        try:
            self.other_counts()
        except ValueError as exc:
            self.error.setText(self.tr("{0} is not an amount").format(repr(str(exc))))
            self.error.show()
            return
        self.accept()


def _fixed_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


class ReceiptPickDialog(QDialog):
    """Choose one of the shift's receipts (the one selected in the list first) and read it
    before it is printed again or reversed; for a reversal the clerk types the reason and
    a supervisor signs in (as :class:`SupervisorDialog`). The owner calls ``ask_preview``
    once it holds the dialog, and again happens on every change of choice."""

    def __init__(self, title: str, prompt: str, receipts: list[tuple[str, str]],
                 current: str | None, preview: Callable[[str], None], *, action: str,
                 supervisor: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.preview_of = preview
        layout = QVBoxLayout(self)
        text = QLabel(prompt)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.choice = QComboBox()
        self.choice.setObjectName("receipt_choice")
        for number, label in receipts:
            self.choice.addItem(label, number)
        form.addRow(self.tr("Receipt"), self.choice)
        layout.addLayout(form)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("receipt_preview")
        self.preview.setReadOnly(True)
        self.preview.setFont(_fixed_font())
        layout.addWidget(self.preview, 1)
        self.resize(560, 680 if supervisor else 560)  # the style sheets set min-heights
        self.reason = QLineEdit()
        self.reason.setObjectName("reversal_reason")
        self.username = QLineEdit()
        self.username.setObjectName("supervisor_username")
        self.password = QLineEdit()
        self.password.setObjectName("supervisor_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if supervisor:
            who = QFormLayout()
            who.addRow(self.tr("Reason"), self.reason)
            who.addRow(self.tr("Supervisor"), self.username)
            who.addRow(self.tr("Password"), self.password)
            layout.addLayout(who)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.act = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.act.setObjectName("receipt_act")
        # the style sheets fix a dialog button's min-width and make this one bold: its own
        # rule wins, with room for the bold text
        room = int(self.act.fontMetrics().horizontalAdvance(action) * 1.2) + 40
        self.act.setStyleSheet(f"min-width: {room}px;")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        index = self.choice.findData(current) if current else -1
        self.choice.setCurrentIndex(index if index >= 0 else 0)
        self.choice.currentIndexChanged.connect(lambda _i: self.ask_preview())
        (self.reason if supervisor else self.choice).setFocus()

    def number(self) -> str:
        return str(self.choice.currentData() or "")

    def ask_preview(self) -> None:
        """Ask for the chosen receipt's text (the caller answers with show_text)."""
        self.preview.setPlainText(self.tr("Reading receipt {0}…").format(self.number()))
        if self.number():
            self.preview_of(self.number())

    def show_text(self, number: str, text: str) -> None:
        """The text of receipt ``number``, if it is still the one chosen."""
        if number == self.number():
            self.preview.setPlainText(text)


def _z_cell(value: object, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Money):
        return money_text(value)
    if isinstance(value, int) and kind == "int":
        return f"{value:,}"
    return str(value)


def z_report_html(report: TableReport) -> str:
    """The Z-report as a document: a table per shift, over/short lines in colour."""
    cols = report.columns
    head = "".join(f"<th align='{'left' if c.kind == 'text' else 'right'}'>"
                   f"{html.escape(c.title)}</th>" for c in cols)
    parts = [f"<h1>{html.escape(report.title)}</h1>"
             f"<p>{html.escape(report.subtitle)}</p>"]
    for section in report.all_sections():
        title = " · ".join(p.strip() for p in section.title.split("  ") if p.strip())
        parts.append(f"<h3>{html.escape(title)}</h3>")
        rows = list(section.rows) + ([section.totals] if section.totals is not None else [])
        body = []
        for i, row in enumerate(rows):
            line = str(row[0] or "")
            style = ""
            if " short by " in line:
                style = " style='color:#e0443a; font-weight:bold'"
            elif " over by " in line:
                style = " style='color:#2e9a4f; font-weight:bold'"
            elif section.totals is not None and i == len(rows) - 1:
                style = " style='font-weight:bold'"
            cells = "".join(
                f"<td align='{'left' if c.kind == 'text' else 'right'}'>"
                f"{html.escape(_z_cell(v, c.kind))}</td>" for c, v in zip(cols, row, strict=True))
            body.append(f"<tr{style}>{cells}</tr>")
        parts.append("<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
                     f"<tr>{head}</tr>{''.join(body)}</table>")
    return "".join(parts)


class ZReportDialog(QDialog):
    """The Z-report full size: the document (print it, save it as PDF) and, on a second
    tab, the receipt-printer copy as it printed."""

    def __init__(self, title: str, report: TableReport, printed_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.report = report
        self.resize(900, 680)
        layout = QVBoxLayout(self)
        tabs = QTabWidget()
        self.document = QTextEdit()
        self.document.setObjectName("z_document")
        self.document.setReadOnly(True)
        # the table is the page's width: no sideways scrolling
        self.document.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.document.setHtml(z_report_html(report))
        tabs.addTab(self.document, self.tr("Z-report"))
        self.text = QPlainTextEdit(printed_text)
        self.text.setReadOnly(True)
        self.text.setFont(_fixed_font())
        tabs.addTab(self.text, self.tr("Receipt-printer copy"))
        layout.addWidget(tabs, 1)
        self.status = QLabel("")
        self.status.setObjectName("Muted")
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton(self.tr("Print…"))
        self.pdf_button = QPushButton(self.tr("Save as PDF…"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(lambda: self.print_report())
        self.pdf_button.clicked.connect(self._save_dialog)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def print_report(self, printer: QPrinter | None = None) -> None:
        """On the system printer (its dialog first unless ``printer`` is given)."""
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
                return
        document = QTextDocument()
        document.setHtml(z_report_html(self.report))
        document.print_(printer)
        self.status.setText(self.tr("Sent to {0}.").format(
            printer.printerName() or printer.outputFileName()))

    def _save_dialog(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, self.tr("Save the Z-report"),
                                               "z-report.pdf", self.tr("PDF (*.pdf)"))
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> None:
        """The same PDF as the Reports page's shift Z-report."""
        from ebs_desktop.reports.tabular_pdf import render_table_pdf  # reportlab: when saving

        render_table_pdf(self.report, path)
        self.status.setText(self.tr("Saved to {0}").format(path))
