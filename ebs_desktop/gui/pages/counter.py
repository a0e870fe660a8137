"""Cash counter: the shift, the account (typed or scanned), the payment and its receipt."""

from __future__ import annotations

from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.pages.base import Page, wiring_banner
from ebs_desktop.gui.qt import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)


class CounterPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(wiring_banner(self.spec.service_module))
        shift = QHBoxLayout()
        self.shift_label = QLabel(self.tr("No shift open"))
        self.shift_label.setObjectName("SectionTitle")
        shift.addWidget(self.shift_label)
        shift.addStretch(1)
        shift.addWidget(QPushButton(icon("shift"), self.tr("Open shift (F5)")))
        shift.addWidget(QPushButton(icon("lock"), self.tr("Close shift (F9)")))
        layout.addLayout(shift)
        row = QHBoxLayout()
        left = QVBoxLayout()
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText(self.tr("Account number or scan the bill  (F2)"))
        self.find_edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        left.addWidget(self.find_edit)
        account = QGroupBox(self.tr("Account"))
        QVBoxLayout(account).addWidget(QLabel(self.tr("No account selected")))
        left.addWidget(account)
        left.addWidget(QLabel(self.tr("Payments this shift")))
        left.addWidget(QTableView(), 1)
        row.addLayout(left, 3)
        pay = QGroupBox(self.tr("Payment"))
        form = QFormLayout(pay)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("0.00")
        form.addRow(self.tr("Amount"), self.amount)
        form.addRow(self.tr("Tender"), QComboBox())
        form.addRow(self.tr("Tendered"), QLineEdit())
        form.addRow(self.tr("Change"), QLabel("—"))
        take = QPushButton(icon("payment"), self.tr("Take payment (F3)"))
        take.setProperty("primary", True)
        form.addRow(take)
        form.addRow(QPushButton(icon("print"), self.tr("Print receipt (F4)")))
        row.addWidget(pay, 2)
        layout.addLayout(row, 1)
        self.setFocusProxy(self.find_edit)
        return body

    def trigger(self, action_id: str) -> bool:
        if not self.available:
            return False
        if action_id == "counter.find":
            self.find_edit.setFocus()
            self.find_edit.selectAll()
            return True
        if action_id == "counter.payment":
            self.amount.setFocus()
            return True
        return False

    def activated(self) -> None:
        if self.available:
            self.find_edit.setFocus()


PAGE = CounterPage
