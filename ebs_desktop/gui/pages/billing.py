"""Billing: tariffs and their versions, a bill calculator, and the billing run.

The run is two steps a billing officer can follow: a dry run prices every due account
without writing anything and lists the exceptions (no reading, high or low consumption,
estimated); "Approve and run" then writes the bills, with a progress bar and Cancel. Both
run on the worker thread (:mod:`ebs_desktop.gui.tasks`), so the window keeps answering
during a run of a hundred thousand accounts. Cancel stops at the next batch boundary;
the batches already written stay, and running again picks up the rest. A run that failed
(here or from the command line) shows its stored reason when the page opens on its
period; running the period again resumes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ebs_desktop.domain.periods import parse_period, period_text
from ebs_desktop.errors import EbsError
from ebs_desktop.gui.changes import ACCOUNTS, BILLS
from ebs_desktop.gui.dialogs.bill_print import BillPrintDialog
from ebs_desktop.gui.i18n import QT_TRANSLATE_NOOP, translate
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import Page
from ebs_desktop.gui.pages.billing_tariffs import TariffsTab
from ebs_desktop.gui.qt import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.tasks import TaskHandle, show_error
from ebs_desktop.gui.widgets import (
    money_text,
    muted,
    qty_text,
    rows_model,
    selected_value,
    set_rows,
    table,
)
from ebs_desktop.services.billing.engine import RunCancelled
from ebs_desktop.services.billing.exceptions import ExceptionAccount
from ebs_desktop.services.billing.failures import BillingRunFailed
from ebs_desktop.services.billing.run import RunResult
from ebs_desktop.services.progress import Progress, TaskState
from ebs_desktop.services.screens import BillingChoices

EXCEPTION_WORDS = {
    "no_reading": QT_TRANSLATE_NOOP("BillingPage", "No reading"),
    "estimated": QT_TRANSLATE_NOOP("BillingPage", "Estimated reading"),
    "meter_changed": QT_TRANSLATE_NOOP("BillingPage", "Meter changed"),
    "negative": QT_TRANSLATE_NOOP("BillingPage", "Negative consumption"),
    "zero": QT_TRANSLATE_NOOP("BillingPage", "Zero consumption"),
    "high": QT_TRANSLATE_NOOP("BillingPage", "High consumption"),
    "low": QT_TRANSLATE_NOOP("BillingPage", "Low consumption"),
    "over_limit": QT_TRANSLATE_NOOP("BillingPage", "Over a limit"),
    "no_tariff": QT_TRANSLATE_NOOP("BillingPage", "No tariff"),
}

if TYPE_CHECKING:  # the record only: the GUI never loads the renderer
    from ebs_desktop.reports.batch_result import BatchResult


def exception_words(code: str) -> str:
    """``no_reading`` -> "No reading" (an unknown code as it is, with spaces)."""
    words = EXCEPTION_WORDS.get(code)
    return translate("BillingPage", words) if words else code.replace("_", " ").capitalize()


def count_text(n: int) -> str:
    """A count with the locale's digit grouping: ``2,000``."""
    return qty_text(n)


def open_account(page: QWidget, number: str) -> bool:
    """Show account ``number`` on the customers screen, through the main window's own
    navigation (``show_page``); False where that screen is not open to this user."""
    window = page.window()
    pages = getattr(window, "pages", {})
    target = pages.get("customers") if isinstance(pages, dict) else None
    show = getattr(window, "show_page", None)
    if target is None or show is None or not show("customers"):
        return False
    target.load_account(number)
    return True


def next_period(latest: str | None) -> str:
    if latest is None:
        return "2026-01"
    year, month = parse_period(latest)
    return period_text(year + month // 12, month % 12 + 1)


class BillingPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tariffs = TariffsTab(self.context)
        self.tabs.addTab(self.tariffs, self.tr("Tariffs and bill calculator"))
        self.tabs.addTab(self._run_tab(), self.tr("Billing run"))
        layout.addWidget(self.tabs, 1)
        self.handle: TaskHandle | None = None
        self.last_result: RunResult | None = None
        self._loaded = False
        return body

    def _run_tab(self) -> QWidget:
        run = QWidget()
        rl = QVBoxLayout(run)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Period")))
        self.period = QLineEdit()
        self.period.setPlaceholderText("YYYY-MM")
        self.period.setMaximumWidth(110)
        bar.addWidget(self.period)
        bar.addSpacing(12)
        bar.addWidget(QLabel(self.tr("Cycle")))
        self.cycle = QComboBox()
        self.cycle.addItem(self.tr("All cycles"), None)
        self.cycle.setMinimumWidth(160)
        bar.addWidget(self.cycle)
        bar.addStretch(1)
        self.dry_run = QPushButton(icon("billing"), self.tr("Dry run  (Ctrl+D)"))
        self.dry_run.setProperty("primary", True)
        self.dry_run.clicked.connect(self.start_dry_run)
        bar.addWidget(self.dry_run)
        self.approve = QPushButton(icon("check"), self.tr("Approve and run"))
        self.approve.setEnabled(False)
        self.approve.clicked.connect(self.start_run)
        self.approve.setVisible(self.connected and self.staff.allows("bill.run"))
        bar.addWidget(self.approve)
        self.print_run_button = QPushButton(icon("print"), self.tr("Print the bills…"))
        self.print_run_button.setToolTip(self.tr(
            "After the run: every bill of the period in one PDF for the printer"))
        self.print_run_button.setEnabled(False)
        self.print_run_button.clicked.connect(lambda: self.print_run())
        bar.addWidget(self.print_run_button)
        rl.addLayout(bar)
        prow = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setValue(0)
        prow.addWidget(self.progress, 1)
        self.cancel = QPushButton(icon("close"), self.tr("Cancel"))
        self.cancel.setEnabled(False)
        self.cancel.clicked.connect(self.cancel_task)
        prow.addWidget(self.cancel)
        rl.addLayout(prow)
        self.summary = muted(self.tr("Choose the period and run a dry run first: it prices "
                                     "every due account without writing anything."))
        rl.addWidget(self.summary)
        self.exceptions_model = rows_model([Column(self.tr("Account")),
                                            Column(self.tr("Customer")),
                                            Column(self.tr("Exception")),
                                            Column(self.tr("Detail"))], self)
        self.exceptions = table(self.exceptions_model)
        self.exceptions.setToolTip(self.tr("Double-click an exception to open its account"))
        self.exceptions.doubleClicked.connect(lambda _i: self.open_exception_account())
        self.exceptions.activated.connect(lambda _i: self.open_exception_account())
        rl.addWidget(self.exceptions, 1)
        return run

    def load(self) -> None:
        """The period after the last billed one, the cycles, the tariffs, and why the last
        run of that period failed, if it did (all on the worker thread)."""
        staff = self.staff
        self._loaded = True

        def done(choices: BillingChoices) -> None:
            if not self.period.text():
                self.period.setText(next_period(choices.latest_period))
            for cycle in choices.cycles:
                self.cycle.addItem(cycle.label, cycle.code)
            self.show_failed_run()

        self.call(lambda _task: staff.screens.billing_choices(), done)
        self.tariffs.load()

    def show_failed_run(self) -> None:
        """The reason a run of the chosen period failed, and that running again resumes it."""
        staff = self.staff
        period = self.period.text().strip()

        def done(failed: BillingRunFailed | None) -> None:
            if failed is not None:
                self.summary.setText(str(failed))

        def refused(exc: BaseException) -> None:
            if not isinstance(exc, EbsError):  # e.g. a user who may not see billing: no hint
                show_error(self, exc)

        self.call(lambda _task: staff.billing.failed_run(period), done, failed=refused)

    # -- the run ---------------------------------------------------------------------------
    def _busy(self, busy: bool) -> None:
        self.dry_run.setEnabled(not busy)
        self.approve.setEnabled(not busy and self.last_result is not None
                                and self.last_result.dry_run)
        self.cancel.setEnabled(busy)
        self.print_run_button.setEnabled(
            not busy and self.last_result is not None and not self.last_result.dry_run
            and self.last_result.bills > 0 and self.connected
            and self.staff.allows("bill.print"))
        self.period.setEnabled(not busy)
        self.cycle.setEnabled(not busy)

    def _task(self, dry_run: bool) -> None:
        staff = self.staff
        period = self.period.text().strip()
        cycle = self.cycle.currentData()
        label = self.tr("Dry run") if dry_run else self.tr("Billing")

        def work(state: TaskState) -> tuple[RunResult, dict[int, ExceptionAccount]]:
            state.report(0, 0, label)  # the run reports counts; the label stays
            try:
                result = staff.billing.run_billing(
                    period, cycle=cycle, dry_run=dry_run, batch_size=2000, task=state)
            except RunCancelled as stopped:  # the batches written stay: show them
                result = stopped.result
            # number and name for the exceptions table: looked up here, off the GUI thread
            ids = {e.account_id for e in result.exceptions}
            return result, staff.billing.exception_accounts(ids)

        self.progress.setRange(0, 0)
        self._busy(True)
        self.handle = self.call(work, lambda out: self.show_result(*out),
                                failed=self._failed, cancelled=self._cancelled,
                                progress=self._progress,
                                changes=() if dry_run else (BILLS, ACCOUNTS))

    def _progress(self, p: Progress) -> None:
        if p.total > 0:
            self.progress.setRange(0, p.total)
            self.progress.setValue(min(p.done, p.total))
            self.progress.setFormat(f"{p.message}: {count_text(p.done)} / "
                                    f"{count_text(p.total)}")

    def _failed(self, exc: BaseException) -> None:
        self.last_result = None
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._busy(False)
        self.summary.setText(str(exc))
        show_error(self, exc)

    def _cancelled(self) -> None:
        self._busy(False)
        self.summary.setText(self.tr("Cancelled."))

    def start_dry_run(self) -> None:
        self.last_result = None
        self._task(True)

    def start_run(self) -> None:
        if self.last_result is None or not self.last_result.dry_run:
            return
        self._task(False)

    def cancel_task(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.summary.setText(self.tr("Cancelling after the current batch…"))

    def show_result(self, result: RunResult, accounts: dict[int, ExceptionAccount]) -> None:
        self.last_result = result
        self.progress.setRange(0, max(result.accounts, 1))
        self.progress.setValue(result.accounts)
        self.progress.setFormat(f"{count_text(result.accounts)} / {count_text(result.accounts)}")
        total = money_text(result.total) if result.total is not None else "—"
        rows = []
        for e in result.exceptions:
            known = accounts.get(e.account_id)
            number = known.account_number if known else (e.account_number or str(e.account_id))
            rows.append((number, known.customer_name if known else "",
                         exception_words(e.code), e.detail))
        set_rows(self.exceptions_model, rows)
        self.exceptions.resizeColumnsToContents()
        if result.dry_run:
            self.summary.setText(self.tr(
                "Dry run for {0}: {1} accounts due, {2} bills would be written for {3}; "
                "{4} exceptions to look at (double-click one to open its account). Nothing "
                "was written.").format(
                result.period, count_text(result.accounts), count_text(result.bills), total,
                count_text(len(result.exceptions))))
        else:
            state = self.tr("cancelled part-way; run again to finish") if result.cancelled \
                else self.tr("done")
            self.summary.setText(self.tr(
                "Billing {0} {1}: {2} bills written ({3} to {4}) for {5}.").format(
                result.period, state, count_text(result.bills), result.first_number or "—",
                result.last_number or "—", total))
        self._busy(False)

    def open_exception_account(self) -> None:
        """The account of the chosen exception, on the customers screen."""
        number = selected_value(self.exceptions, 0)
        if number:
            open_account(self, str(number))

    # -- printing the run ----------------------------------------------------------------
    def print_run(self, out: Path | None = None) -> None:
        """Every bill of the run's period into one PDF (the print shop's file), on the
        worker thread with progress and Cancel; then the preview, to print or keep."""
        result = self.last_result
        if result is None or result.dry_run:
            return
        period = result.period
        if out is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Save the bills of {0}").format(period), f"bills-{period}.pdf",
                self.tr("PDF files (*.pdf)"))
            if not chosen:
                return
            out = Path(chosen)
        staff = self.staff
        target = out

        def work(state: TaskState) -> BatchResult:
            return staff.billing.print_bills(target, period=period, task=state)

        def printed(batch: BatchResult) -> None:
            self._busy(False)
            self.summary.setText(self.tr("{0} bills, {1} pages written to {2} in {3} s.").format(
                count_text(batch.bills), count_text(batch.pages), target,
                f"{batch.seconds:.1f}"))
            self.run_pdf = BillPrintDialog(self.context, self, pdf=target, title=self.tr(
                "Bills of {0}").format(period))
            self.run_pdf.show()

        def cancelled() -> None:
            self._busy(False)
            self.summary.setText(self.tr("Printing cancelled; no file was written."))

        self.progress.setRange(0, 0)
        self._busy(True)
        self.print_run_button.setEnabled(False)
        self.handle = self.call(work, printed, failed=self._failed_print, cancelled=cancelled,
                                progress=self._progress)

    def _failed_print(self, exc: BaseException) -> None:
        self._busy(False)
        self.summary.setText(str(exc))
        show_error(self, exc)

    # -- page --------------------------------------------------------------------------------
    def trigger(self, action_id: str) -> bool:
        if self.available and action_id == "billing.dry_run":
            self.tabs.setCurrentIndex(1)
            if self.connected and self.dry_run.isEnabled():
                self.start_dry_run()
            return True
        return False

    def activated(self) -> None:
        if self.available and self.connected and not self._loaded:
            self.load()


PAGE = BillingPage
