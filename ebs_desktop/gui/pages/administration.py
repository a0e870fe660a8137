"""Administration: users and roles, counters and printers, database, settings, audit log."""

from __future__ import annotations

from ebs_desktop.gui.pages.base import Page, wiring_banner
from ebs_desktop.gui.qt import QTableView, QTabWidget, QVBoxLayout, QWidget


class AdministrationPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(wiring_banner(self.spec.service_module))
        tabs = QTabWidget()
        for title in (self.tr("Users and roles"), self.tr("Counters and printers"),
                      self.tr("Database"), self.tr("Settings"), self.tr("Audit log")):
            tab = QWidget()
            QVBoxLayout(tab).addWidget(QTableView())
            tabs.addTab(tab, title)
        layout.addWidget(tabs, 1)
        return body


PAGE = AdministrationPage
