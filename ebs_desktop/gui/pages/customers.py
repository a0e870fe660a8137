"""Customers: search as you type, then the account's details, meters, ledger and bills."""

from __future__ import annotations

from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column, LazyTableModel
from ebs_desktop.gui.pages.base import Page, wiring_banner
from ebs_desktop.gui.qt import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)


class CustomersPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(wiring_banner(self.spec.service_module))
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("Account number, meter serial, name or phone  (Ctrl+F)"))
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 1)
        new = QPushButton(icon("add"), self.tr("New account"))
        bar.addWidget(new)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = LazyTableModel(
            [Column(self.tr("Account")), Column(self.tr("Name")), Column(self.tr("Address")),
             Column(self.tr("Meter")), Column(self.tr("Balance"), align_right=True)],
            0, lambda offset, limit: [], parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        split.addWidget(self.table)
        detail = QGroupBox(self.tr("Account"))
        dl = QVBoxLayout(detail)
        hint = QLabel(self.tr("Select an account to see its details, meters, ledger and bills."))
        hint.setObjectName("Muted")
        hint.setWordWrap(True)
        dl.addWidget(hint)
        dl.addStretch(1)
        split.addWidget(detail)
        split.setSizes([640, 320])
        layout.addWidget(split, 1)
        self.setFocusProxy(self.search)
        return body

    def trigger(self, action_id: str) -> bool:
        if not self.available:
            return False
        if action_id == "customers.search":
            self.search.setFocus()
            self.search.selectAll()
            return True
        return False

    def activated(self) -> None:
        if self.available:
            self.search.setFocus()


PAGE = CustomersPage
