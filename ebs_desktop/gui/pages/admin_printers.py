"""Administration: the counters and receipt printers, with a test print.

A test print sends the sample receipt (:mod:`ebs_desktop.devices.receipts.samples`) to a
configured printer, or to any printer URL typed in (``tcp://10.0.0.7:9100``,
``serial:///dev/ttyUSB0?baud=9600``, ``file:///tmp/receipt.bin``, ``usb://04b8:0202``),
on the worker thread: an unplugged printer answers with a message, not a frozen window.
Adding and editing goes through the counter area of the facade, which checks the
administrator's permission and audits the change; the change is announced, and the lists
are read again.
"""

from __future__ import annotations

from collections.abc import Callable

from ebs_desktop.devices.printers import PrintOptions, print_blocks, printer_from_url
from ebs_desktop.devices.receipts.layout import columns_for, layout_receipt
from ebs_desktop.devices.receipts.samples import payment_receipt
from ebs_desktop.gui.changes import COUNTERS
from ebs_desktop.gui.dialogs.printer_dialogs import CounterDialog, PrinterDialog
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import PageContext, ServiceUser
from ebs_desktop.gui.qt import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import (
    rows_model,
    selected_value,
    set_rows,
    size_columns,
    table,
    yes_no,
)
from ebs_desktop.services.counter.directory import CounterRow, PrinterRow


def test_print_url(url: str) -> int:
    """The sample receipt on the printer at ``url``; returns the bytes sent."""
    options = PrintOptions()
    blocks = layout_receipt(payment_receipt(), columns_for(options.paper_mm))
    return len(print_blocks(printer_from_url(url), blocks, options))


class PrintersTab(QWidget, ServiceUser):
    def __init__(self, context: PageContext) -> None:
        super().__init__()
        self.context = context
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Counters")))
        self.counters_model = rows_model([Column(self.tr("Code")), Column(self.tr("Name")),
                                          Column(self.tr("Receipt printer")),
                                          Column(self.tr("Active"), yes_no)], self)
        self.counters = table(self.counters_model, stretch=1)
        size_columns(self.counters, [80, 240, 200])
        self.counters.setMaximumHeight(170)
        layout.addWidget(self.counters)
        layout.addWidget(QLabel(self.tr("Receipt printers")))
        self.printers_model = rows_model([Column(self.tr("Id")), Column(self.tr("Name")),
                                          Column(self.tr("Connection")),
                                          Column(self.tr("Target")),
                                          Column(self.tr("Paper (mm)")),
                                          Column(self.tr("Logo"), yes_no),
                                          Column(self.tr("Cash drawer"), yes_no)], self)
        self.printers = table(self.printers_model, stretch=3)
        size_columns(self.printers, [50, 180, 100, 220, 90, 60])
        layout.addWidget(self.printers, 1)
        row = QHBoxLayout()
        self.test_button = QPushButton(icon("print"), self.tr("Test print on the selected"))
        self.test_button.clicked.connect(self.test_selected)
        row.addWidget(self.test_button)
        row.addSpacing(16)
        self.url = QLineEdit()
        self.url.setPlaceholderText("tcp://10.0.0.7:9100 · serial:///dev/ttyUSB0 · "
                                    "file:///tmp/receipt.bin")
        self.url.returnPressed.connect(self.test_url)
        row.addWidget(self.url, 1)
        self.url_button = QPushButton(icon("print"), self.tr("Test print to this address"))
        self.url_button.clicked.connect(self.test_url)
        row.addWidget(self.url_button)
        layout.addLayout(row)
        self.status = QLabel("")
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        edit_row = QHBoxLayout()
        for text, slot in ((self.tr("Add counter…"), self.add_counter),
                           (self.tr("Edit counter…"), self.edit_counter),
                           (self.tr("Add printer…"), self.add_printer),
                           (self.tr("Edit printer…"), self.edit_printer)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            edit_row.addWidget(button)
        edit_row.addStretch(1)
        layout.insertLayout(layout.count() - 2, edit_row)
        self._counters: list[CounterRow] = []
        self._printers: list[PrinterRow] = []

    def load(self) -> None:
        counter = self.staff.counter

        def work(_task: object) -> tuple[list[CounterRow], list[PrinterRow]]:
            return counter.counters(), counter.printers()

        def done(out: tuple[list[CounterRow], list[PrinterRow]]) -> None:
            counters, printers = out
            self._counters, self._printers = counters, printers
            set_rows(self.counters_model, [(c.code, c.name, c.printer, c.active)
                                           for c in counters])
            set_rows(self.printers_model, [(p.id, p.name, p.kind, p.target, p.paper_mm,
                                            p.logo, p.drawer_kick) for p in printers])
            if printers:
                self.printers.selectRow(0)

        self.call(work, done)

    def _print(self, fn: Callable[[object], int], where: str) -> None:
        self.status.setText(self.tr("Printing a test receipt on {0}…").format(where))

        def done(sent: int) -> None:
            self.status.setText(self.tr("Test receipt sent to {0} ({1} bytes).").format(
                where, sent))

        self.call(fn, done, failed=lambda exc: self.status.setText(str(exc)))

    def test_selected(self) -> None:
        printer_id = selected_value(self.printers)
        if printer_id is None:
            self.status.setText(self.tr("Select a printer first."))
            return
        desk = self.staff.screens
        self._print(lambda _task: desk.test_print(int(printer_id)),
                    str(self.printers_model.index(self.printers.currentIndex().row(), 1)
                        .data()))

    def test_url(self) -> None:
        url = self.url.text().strip()
        if url:
            self._print(lambda _task: test_print_url(url), url)

    # -- set-up -----------------------------------------------------------------------------
    def _save(self, dialog: PrinterDialog | CounterDialog,
              save: Callable[..., object]) -> None:
        """Run the dialog; save on the worker thread; a refusal's message goes to the
        page's status line; a saved change is announced (the lists are read again)."""
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        self.call(lambda _task: save(**values),
                  lambda _out: self.status.setText(self.tr("Saved.")),
                  failed=lambda exc: self.status.setText(str(exc)), changes={COUNTERS})

    def add_printer(self) -> None:
        self._save(PrinterDialog(self), self.staff.counter.save_printer)

    def edit_printer(self) -> None:
        row = self.printers.currentIndex().row()
        if not 0 <= row < len(self._printers):
            self.status.setText(self.tr("Select a printer first."))
            return
        p = self._printers[row]
        self._save(PrinterDialog(self, name=p.name, kind=p.kind, target=p.target,
                                 paper_mm=p.paper_mm, logo=p.logo, drawer_kick=p.drawer_kick),
                   self.staff.counter.save_printer)

    def add_counter(self) -> None:
        self._save(CounterDialog([p.name for p in self._printers], self),
                   self.staff.counter.save_counter)

    def edit_counter(self) -> None:
        row = self.counters.currentIndex().row()
        if not 0 <= row < len(self._counters):
            self.status.setText(self.tr("Select a counter first."))
            return
        c = self._counters[row]
        self._save(CounterDialog([p.name for p in self._printers], self, code=c.code,
                                 name=c.name, printer=c.printer, active=c.active),
                   self.staff.counter.save_counter)
