"""Dialogs that set up a receipt printer or a counter (Administration).

They only collect the form; saving goes through
:mod:`ebs_desktop.services.counter.directory` on the worker thread, and a refusal's
message shows in the Administration page's status line.
"""

from __future__ import annotations

from ebs_desktop.gui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import ok_cancel

PRINTER_KINDS = ("network", "serial", "usb", "file")


class PrinterDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, name: str = "",
                 kind: str = "network", target: str = "", paper_mm: int = 80,
                 logo: bool = False, drawer_kick: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Receipt printer"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(name)
        self.name.setReadOnly(bool(name))
        self.kind = QComboBox()
        for k in PRINTER_KINDS:
            self.kind.addItem(k, k)
        self.kind.setCurrentIndex(max(0, PRINTER_KINDS.index(kind) if kind in PRINTER_KINDS
                                      else 0))
        self.target = QLineEdit(target)
        self.target.setPlaceholderText("10.0.0.7:9100 · /dev/ttyUSB0 · 04b8:0202 · "
                                       "/tmp/receipt.bin")
        self.paper = QComboBox()
        self.paper.addItem("80 mm", 80)
        self.paper.addItem("58 mm", 58)
        self.paper.setCurrentIndex(0 if paper_mm == 80 else 1)
        self.logo = QCheckBox(self.tr("Print the utility's logo"))
        self.logo.setChecked(logo)
        self.drawer = QCheckBox(self.tr("Open the cash drawer after a cash receipt"))
        self.drawer.setChecked(drawer_kick)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Connection"), self.kind)
        form.addRow(self.tr("Address"), self.target)
        form.addRow(self.tr("Paper"), self.paper)
        form.addRow("", self.logo)
        form.addRow("", self.drawer)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, self.accept, save=True))

    def values(self) -> dict[str, object]:
        return {"name": self.name.text().strip(), "kind": self.kind.currentData(),
                "target": self.target.text().strip(), "paper_mm": self.paper.currentData(),
                "logo": self.logo.isChecked(), "drawer_kick": self.drawer.isChecked()}


class CounterDialog(QDialog):
    def __init__(self, printers: list[str], parent: QWidget | None = None, *,
                 code: str = "", name: str = "", printer: str = "",
                 active: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Counter"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.code = QLineEdit(code)
        self.code.setReadOnly(bool(code))
        self.code.setMaxLength(16)
        self.name = QLineEdit(name)
        self.printer = QComboBox()
        self.printer.addItem(self.tr("(none)"), "")
        for p in printers:
            self.printer.addItem(p, p)
        if printer in printers:
            self.printer.setCurrentIndex(printers.index(printer) + 1)
        self.active = QCheckBox(self.tr("In use"))
        self.active.setChecked(active)
        form.addRow(self.tr("Code"), self.code)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Receipt printer"), self.printer)
        form.addRow("", self.active)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, self.accept, save=True))

    def values(self) -> dict[str, object]:
        return {"code": self.code.text().strip(), "name": self.name.text().strip(),
                "printer_name": self.printer.currentData() or None,
                "active": self.active.isChecked()}
