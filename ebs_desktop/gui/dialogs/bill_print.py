"""Preview, print or save bills: the very PDF the batch prints, shown page by page.

Why the PDF and not a second, on-screen layout: the customer must get on paper what the
print shop gets from a billing run, to the last minor unit and line break. So one bill is
rendered by the same service as the batch (``staff.billing.print_bills(out, bill=...)``,
on the worker thread) into a temporary file, and this dialog only shows that file
(Qt PDF, ``QPdfDocument`` + ``QPdfView``), prints it (each page rendered at the printer's
resolution onto a ``QPrinter``, one page per event-loop turn so the window keeps
answering and Cancel works), or saves a copy. A whole run's file (from the billing page)
is opened the same way.

Qt PDF comes with the ``PySide6-Pdf`` wheel; where it is missing the dialog says so and
still saves and opens the file in the system's PDF viewer.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ebs_desktop.gui.i18n import translate
from ebs_desktop.gui.pages.base import PageContext, ServiceUser
from ebs_desktop.gui.qt import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPainter,
    QPrintDialog,
    QPrinter,
    QProgressBar,
    QPushButton,
    QRect,
    QSize,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import qty_text
from ebs_desktop.services.progress import TaskState

if TYPE_CHECKING:  # the record only: the GUI never loads the renderer
    from ebs_desktop.reports.batch_result import BatchResult


def pages_text(n: int) -> str:
    """``1 page``, ``2 pages`` (digit grouping by the locale)."""
    words = translate("BillPrint", "page") if n == 1 else translate("BillPrint", "pages")
    return f"{qty_text(n)} {words}"


def qt_pdf() -> tuple[Any, Any] | None:
    """(QPdfDocument, QPdfView) when the Qt PDF module is installed, else None."""
    try:
        document = importlib.import_module("PySide6.QtPdf").QPdfDocument
        view = importlib.import_module("PySide6.QtPdfWidgets").QPdfView
    except ImportError:
        return None
    return document, view


class PagePrinter:
    """Paints a loaded PDF onto a printer one page per timer tick (Cancel between pages).

    ``done(pages printed, cancelled)`` is called once at the end."""

    def __init__(self, document: Any, printer: QPrinter, pages: list[int],
                 progress: Callable[[int, int], None],
                 done: Callable[[int, bool], None]) -> None:
        self.document, self.printer, self.pages = document, printer, pages
        self._progress, self._done = progress, done
        self.printed = 0
        self.cancelled = False
        self.painter = QPainter()
        self.timer = QTimer()
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._next)

    def start(self) -> None:
        if not self.painter.begin(self.printer):
            self._finish(False)
            return
        self.timer.start()

    def cancel(self) -> None:
        self.cancelled = True

    def _next(self) -> None:
        if self.cancelled or self.printed >= len(self.pages):
            self._finish(True)
            return
        if self.printed:
            self.printer.newPage()
        page = self.pages[self.printed]
        area = self.painter.viewport()
        points = self.document.pagePointSize(page)
        # the page at the printer's resolution, scaled to fit its printable area
        scale = min(area.width() / max(points.width(), 1.0),
                    area.height() / max(points.height(), 1.0))
        size = QSize(max(1, int(points.width() * scale)), max(1, int(points.height() * scale)))
        image = self.document.render(page, size)
        self.painter.drawImage(QRect(0, 0, size.width(), size.height()), image)
        self.printed += 1
        self._progress(self.printed, len(self.pages))

    def _finish(self, began: bool) -> None:
        self.timer.stop()
        if began and self.painter.isActive():
            self.painter.end()
        self._done(self.printed, self.cancelled)


class BillPrintDialog(QDialog, ServiceUser):
    """Show a bill (by number, rendered here through the services) or a PDF file of bills;
    Print… and Save PDF… act on exactly what is shown."""

    def __init__(self, context: PageContext, parent: QWidget | None = None, *,
                 bill: str | None = None, pdf: Path | None = None,
                 title: str | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.bill = bill
        self.pdf: Path | None = None
        self.job: PagePrinter | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="ebs-bill-")
        self.setWindowTitle(title or (self.tr("Bill {0}").format(bill) if bill
                                      else self.tr("Bills")))
        self.resize(760, 860)
        layout = QVBoxLayout(self)
        self.status = QLabel(self.tr("Preparing the bill…") if bill else "")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        found = qt_pdf()
        self.document: Any = None
        self.view: Any = None
        if found is not None:
            document_class, view_class = found
            self.document = document_class(self)
            self.view = view_class(self)
            self.view.setPageMode(view_class.PageMode.MultiPage)
            self.view.setZoomMode(view_class.ZoomMode.FitToWidth)
            self.view.setDocument(self.document)
            layout.addWidget(self.view, 1)
        else:
            missing = QLabel(self.tr("The preview needs the Qt PDF module (the PySide6-Pdf "
                                     "package). Save the PDF or open it in your PDF viewer."))
            missing.setWordWrap(True)
            missing.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(missing, 1)
        row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        row.addWidget(self.progress, 1)
        self.stop = QPushButton(self.tr("Stop printing"))
        self.stop.setVisible(False)
        self.stop.clicked.connect(self.cancel_print)
        row.addWidget(self.stop)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = buttons.addButton(self.tr("Print…"),
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(self.tr("Save PDF…"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(lambda: self.print_bills())
        self.save_button.clicked.connect(lambda: self.save_pdf())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        if pdf is not None:
            self.show_pdf(pdf)
        elif bill is not None:
            self.render_bill(bill)

    # -- what is shown -----------------------------------------------------------------
    def render_bill(self, bill: str) -> None:
        """The bill through the batch's own renderer, on the worker thread."""
        staff = self.staff
        out = Path(self._tmp.name) / "bill.pdf"

        def work(task: TaskState) -> BatchResult:
            return staff.billing.print_bills(out, bill=bill, task=task)

        def failed(exc: BaseException) -> None:
            self.status.setText(str(exc))

        self.call(work, lambda _r: self.show_pdf(out), failed=failed)

    def show_pdf(self, pdf: Path) -> None:
        self.pdf = pdf
        pages = 0
        if self.document is not None:
            self.document.load(str(pdf))
            pages = int(self.document.pageCount())
        self.status.setText(f"{pdf.name} · {pages_text(pages)}"
                            if self.document is not None else str(pdf))
        self.print_button.setEnabled(self.document is not None and pages > 0)
        self.save_button.setEnabled(True)

    @property
    def page_count(self) -> int:
        return int(self.document.pageCount()) if self.document is not None else 0

    # -- save and print ----------------------------------------------------------------
    def save_pdf(self, target: Path | None = None) -> Path | None:
        if self.pdf is None:
            return None
        if target is None:
            name = f"bill-{self.bill}.pdf" if self.bill else self.pdf.name
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Save PDF"), name, self.tr("PDF files (*.pdf)"))
            if not chosen:
                return None
            target = Path(chosen)
        if target.resolve() != self.pdf.resolve():
            shutil.copyfile(self.pdf, target)
        self.status.setText(self.tr("Saved to {0}").format(target))
        return target

    def print_bills(self, printer: QPrinter | None = None) -> None:
        """Every page to ``printer`` (asked for with the print dialog when not given)."""
        if self.document is None or self.page_count == 0 or self.job is not None:
            return
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setFromTo(1, self.page_count)
            dialog = QPrintDialog(printer, self)
            if dialog.exec() != QPrintDialog.DialogCode.Accepted:
                return
        first, last = printer.fromPage(), printer.toPage()
        pages = list(range(first - 1, last)) if first > 0 and last >= first \
            else list(range(self.page_count))
        self.progress.setRange(0, len(pages))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.stop.setVisible(True)
        self.print_button.setEnabled(False)
        self.job = PagePrinter(self.document, printer, pages, self._printed_page,
                               self._print_done)
        self.job.start()

    def _printed_page(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("Printing page {0} of {1}").format(done, total))

    def cancel_print(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _print_done(self, printed: int, cancelled: bool) -> None:
        self.job = None
        self.stop.setVisible(False)
        self.progress.setVisible(False)
        self.print_button.setEnabled(True)
        self.status.setText(self.tr("Printing stopped after {0}.").format(pages_text(printed))
                            if cancelled else
                            self.tr("Sent {0} to the printer.").format(pages_text(printed)))

    def done(self, result: int) -> None:
        if self.job is not None:
            self.job.cancel()
        super().done(result)


def page_context(widget: QWidget) -> PageContext | None:
    """The context of the page a widget sits in (a panel shown by a page has none itself)."""
    node: Any = widget
    while node is not None:
        if isinstance(node, ServiceUser) and node.connected:
            return node.context
        node = node.parent()
    return None


def may_print_bills(widget: QWidget) -> bool:
    """Whether the signed-in user may print bills (the button shows only then)."""
    context = page_context(widget)
    return context is not None and context.services is not None \
        and context.services.staff.allows("bill.print")


def open_bill_print(widget: QWidget, bill_number: str) -> BillPrintDialog | None:
    """Preview the bill as printed, with Print and Save, over ``widget``'s window."""
    context = page_context(widget)
    if context is None:
        return None
    dialog = BillPrintDialog(context, widget, bill=bill_number)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
