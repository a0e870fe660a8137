"""Reading entry: a route in walk order, the handheld panel, a direct meter readout."""

from __future__ import annotations

from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column, LazyTableModel
from ebs_desktop.gui.pages.base import Page, wiring_banner
from ebs_desktop.gui.qt import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)


class ReadingsPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(wiring_banner(self.spec.service_module))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Route")))
        self.route = QComboBox()
        self.route.setMinimumWidth(260)
        bar.addWidget(self.route)
        bar.addStretch(1)
        bar.addWidget(QPushButton(icon("readings"), self.tr("Read meter")))
        layout.addLayout(bar)
        row = QHBoxLayout()
        model = LazyTableModel(
            [Column(self.tr("#")), Column(self.tr("Account")), Column(self.tr("Meter")),
             Column(self.tr("Previous"), align_right=True),
             Column(self.tr("Expected"), align_right=True),
             Column(self.tr("Reading"), align_right=True), Column(self.tr("Note"))],
            0, lambda offset, limit: [], parent=self)
        table = QTableView()
        table.setModel(model)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        row.addWidget(table, 1)
        handheld = QGroupBox(self.tr("Handheld"))
        form = QFormLayout(handheld)
        form.addRow(self.tr("Port"), QComboBox())
        form.addRow(QPushButton(icon("handheld"), self.tr("Download route")))
        form.addRow(QPushButton(self.tr("Upload readings")))
        progress = QProgressBar()
        progress.setValue(0)
        form.addRow(progress)
        handheld.setMaximumWidth(300)
        row.addWidget(handheld)
        layout.addLayout(row, 1)
        self.setFocusProxy(self.route)
        return body

    def trigger(self, action_id: str) -> bool:
        if self.available and action_id == "readings.route":
            self.route.setFocus()
            self.route.showPopup()
            return True
        return False


PAGE = ReadingsPage
