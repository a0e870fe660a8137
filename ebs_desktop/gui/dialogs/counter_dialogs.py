"""The counter's dialogs: a supervisor's approval, confirming a credit, the blind count,
a printed report.

They are opened with ``open()`` (window-modal, non-blocking) and the page reacts to
``accepted``, so the event loop keeps running and a test can fill them in like a person.
The blind count never shows what the drawer should hold: the expected amounts are only
revealed after the count is stored (see :func:`ebs_desktop.services.counter.close_shift`).
"""

from __future__ import annotations

from decimal import Decimal

from ebs_desktop.domain.cash_count import Denomination, denominations
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.money import parse_money as domain_parse_money
from ebs_desktop.errors import ValidationError
from ebs_desktop.gui.qt import (
    QDialog,
    QDialogButtonBox,
    QFont,
    QFontDatabase,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import error_label, money_text, ok_cancel


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


class ReportTextDialog(QDialog):
    """A receipt-printer document (Z-report) shown as it prints."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(font)
        self.text.setMinimumSize(460, 520)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
