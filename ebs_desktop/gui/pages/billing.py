"""Billing: tariffs and their versions, billing runs with a dry run, bills."""

from __future__ import annotations

from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.pages.base import Page, wiring_banner
from ebs_desktop.gui.qt import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)


class BillingPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(wiring_banner(self.spec.service_module))
        self.tabs = QTabWidget()
        tariffs = QWidget()
        tl = QVBoxLayout(tariffs)
        tl.addWidget(QTableView())
        self.tabs.addTab(tariffs, self.tr("Tariffs"))
        run = QWidget()
        rl = QVBoxLayout(run)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Period")))
        self.period = QDateEdit()
        self.period.setDisplayFormat("yyyy-MM")
        bar.addWidget(self.period)
        bar.addWidget(QLabel(self.tr("Cycle")))
        bar.addWidget(QComboBox())
        bar.addStretch(1)
        self.dry_run = QPushButton(icon("billing"), self.tr("Dry run"))
        self.dry_run.setProperty("primary", True)
        bar.addWidget(self.dry_run)
        approve = QPushButton(icon("check"), self.tr("Approve"))
        approve.setEnabled(False)
        bar.addWidget(approve)
        rl.addLayout(bar)
        rl.addWidget(QProgressBar())
        rl.addWidget(QLabel(self.tr("Exceptions")))
        rl.addWidget(QTableView(), 1)
        self.tabs.addTab(run, self.tr("Billing run"))
        bills = QWidget()
        QVBoxLayout(bills).addWidget(QTableView())
        self.tabs.addTab(bills, self.tr("Bills"))
        layout.addWidget(self.tabs, 1)
        return body

    def trigger(self, action_id: str) -> bool:
        if self.available and action_id == "billing.dry_run":
            self.tabs.setCurrentIndex(1)
            self.dry_run.setFocus()
            return True
        return False


PAGE = BillingPage
