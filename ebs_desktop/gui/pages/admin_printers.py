"""Administration: the counters and receipt printers, with a test print.

A test print sends the sample receipt (:mod:`ebs_desktop.devices.receipts.samples`) to a
configured printer, or to any printer URL typed in (``tcp://10.0.0.7:9100``,
``serial:///dev/ttyUSB0?baud=9600``, ``file:///tmp/receipt.bin``, ``usb://04b8:0202``),
on the worker thread: an unplugged printer answers with a message, not a frozen window.
Adding and editing goes through :mod:`ebs_desktop.services.counter.directory`, which checks
the administrator's permission and audits the change.
"""

from __future__ import annotations

from typing import Any

from ebs_desktop.devices.printers import PrintOptions, print_blocks, printer_from_url
from ebs_desktop.devices.receipts.layout import columns_for, layout_receipt
from ebs_desktop.devices.receipts.samples import payment_receipt
from ebs_desktop.gui.dialogs.printer_dialogs import CounterDialog, PrinterDialog
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.qt import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.tasks import Task
from ebs_desktop.gui.widgets import (
    rows_model,
    selected_value,
    set_rows,
    size_columns,
    table,
    yes_no,
)
from ebs_desktop.services.counter import directory as counters_dir
from ebs_desktop.services.counter.printing import printer_for


def test_print_configured(db: Any, printer_id: int) -> int:
    """The sample receipt on a configured printer; returns the bytes sent."""
    with db.read() as s:
        printer, options = printer_for(s, printer_id)
    blocks = layout_receipt(payment_receipt(), columns_for(options.paper_mm))
    return len(print_blocks(printer, blocks, options))


def test_print_url(url: str) -> int:
    """The sample receipt on the printer at ``url``; returns the bytes sent."""
    options = PrintOptions()
    blocks = layout_receipt(payment_receipt(), columns_for(options.paper_mm))
    return len(print_blocks(printer_from_url(url), blocks, options))


class PrintersTab(QWidget):
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
        self._counters: list[counters_dir.CounterRow] = []
        self._printers: list[counters_dir.PrinterRow] = []

    @property
    def hub(self) -> Any:
        return self.context.services

    def load(self) -> None:
        hub = self.hub

        def work(_s: Any) -> tuple[list[counters_dir.CounterRow],
                                   list[counters_dir.PrinterRow]]:
            actor = hub.require_actor()
            return counters_dir.counters(hub.db, actor), counters_dir.printers(hub.db, actor)

        def done(out: tuple[list[counters_dir.CounterRow],
                            list[counters_dir.PrinterRow]]) -> None:
            counters, printers = out
            self._counters, self._printers = counters, printers
            set_rows(self.counters_model, [(c.code, c.name, c.printer, c.active)
                                           for c in counters])
            set_rows(self.printers_model, [(p.id, p.name, p.kind, p.target, p.paper_mm,
                                            p.logo, p.drawer_kick) for p in printers])
            if printers:
                self.printers.selectRow(0)

        Task(work, success=done, parent=self).run(self.context.runner)

    def _print(self, fn: Any, where: str) -> None:
        self.status.setText(self.tr("Printing a test receipt on {0}…").format(where))

        def done(sent: int) -> None:
            self.status.setText(self.tr("Test receipt sent to {0} ({1} bytes).").format(
                where, sent))

        Task(fn, success=done, parent=self).failure(
            lambda exc: self.status.setText(str(exc))).run(self.context.runner)

    def test_selected(self) -> None:
        printer_id = selected_value(self.printers)
        if printer_id is None:
            self.status.setText(self.tr("Select a printer first."))
            return
        hub = self.hub
        self._print(lambda _s: test_print_configured(hub.db, int(printer_id)),
                    str(self.printers_model.index(self.printers.currentIndex().row(), 1)
                        .data()))

    def test_url(self) -> None:
        url = self.url.text().strip()
        if url:
            self._print(lambda _s: test_print_url(url), url)

    # -- set-up -----------------------------------------------------------------------------
    def _save(self, dialog: Any, save: Any) -> None:
        """Run the dialog; save on the worker thread; a refusal's message goes to the
        page's status line."""
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        hub = self.hub
        actor = hub.require_actor()
        values = dialog.values()

        def failed(exc: BaseException) -> None:
            self.status.setText(str(exc))

        def done(_out: object) -> None:
            self.status.setText(self.tr("Saved."))
            self.load()

        Task(lambda _s: save(hub.db, actor, **values), success=done, parent=self).failure(
            failed).run(self.context.runner)

    def add_printer(self) -> None:
        self._save(PrinterDialog(self), counters_dir.save_printer)

    def edit_printer(self) -> None:
        row = self.printers.currentIndex().row()
        if not 0 <= row < len(self._printers):
            self.status.setText(self.tr("Select a printer first."))
            return
        p = self._printers[row]
        self._save(PrinterDialog(self, name=p.name, kind=p.kind, target=p.target,
                                 paper_mm=p.paper_mm, logo=p.logo, drawer_kick=p.drawer_kick),
                   counters_dir.save_printer)

    def add_counter(self) -> None:
        self._save(CounterDialog([p.name for p in self._printers], self),
                   counters_dir.save_counter)

    def edit_counter(self) -> None:
        row = self.counters.currentIndex().row()
        if not 0 <= row < len(self._counters):
            self.status.setText(self.tr("Select a counter first."))
            return
        c = self._counters[row]
        self._save(CounterDialog([p.name for p in self._printers], self, code=c.code,
                                 name=c.name, printer=c.printer, active=c.active),
                   counters_dir.save_counter)
