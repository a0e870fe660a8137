"""Reports: choose one, set its parameters, preview, print or save."""

from __future__ import annotations

from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.pages.base import Page, wiring_banner
from ebs_desktop.gui.qt import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)


class ReportsPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(wiring_banner(self.spec.service_module))
        row = QHBoxLayout()
        self.reports = QListWidget()
        self.reports.setMaximumWidth(260)
        row.addWidget(self.reports)
        right = QVBoxLayout()
        right.addWidget(QGroupBox(self.tr("Parameters")))
        preview = QTextEdit()
        preview.setReadOnly(True)
        right.addWidget(preview, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(QPushButton(icon("print"), self.tr("Print")))
        buttons.addWidget(QPushButton(self.tr("Save as PDF")))
        buttons.addWidget(QPushButton(self.tr("Save as CSV")))
        right.addLayout(buttons)
        row.addLayout(right, 1)
        layout.addLayout(row, 1)
        self.setFocusProxy(self.reports)
        return body


PAGE = ReportsPage
