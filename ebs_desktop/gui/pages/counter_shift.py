"""The counter screen's shift side: open with a float, reprint, reverse with a supervisor,
close with a blind count and show the Z-report; the status bar names the open shift.

Reprint (F4) and reverse (F8) act on a receipt the clerk picks from the shift's payments,
the one selected in "Payments this shift" first (else the last one taken), and show its
text before anything is printed or reversed. The Z-report after the close is a full-size
document (print, PDF), the receipt-printer copy beside it.

Kept apart from the payment form (:mod:`ebs_desktop.gui.pages.counter`) so each module is
one concern. All service calls run on the worker thread.

A shift is its clerk's alone: when the counter's open shift is another clerk's, the bar
says whose it is and the page neither takes payments into it nor closes it (a supervisor
force-closes it from the command line). A counter whose last shift awaits a supervisor's
approval asks for the supervisor's sign-in when the clerk opens a shift.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ebs_desktop.devices.receipts import as_text, layout_z_report
from ebs_desktop.gui.changes import ACCOUNTS, PAYMENTS, SHIFTS
from ebs_desktop.gui.dialogs.counter_dialogs import (
    BlindCountDialog,
    ReceiptPickDialog,
    SupervisorDialog,
    ZReportDialog,
    parse_money,
)
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.pages.base import ServiceUser
from ebs_desktop.gui.pages.counter_host import CounterHost
from ebs_desktop.gui.qt import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget
from ebs_desktop.gui.widgets import money_text, selected_value, set_rows
from ebs_desktop.reports.tabular import TableReport
from ebs_desktop.services.counter import (
    CloseResult,
    PrintOutcome,
    ReversalResult,
    ShiftAwaitsApproval,
    ShiftInfo,
)
from ebs_desktop.services.counter.directory import ShiftPayment
from ebs_desktop.services.reports.common import ReportRange
from ebs_desktop.services.screens import CounterState


class ShiftControls(QWidget, ServiceUser):
    def __init__(self, page: CounterHost) -> None:
        super().__init__()
        self.page = page
        self.context = page.context
        self.info: ShiftInfo | None = None
        self.counter = ""
        self.last_close: CloseResult | None = None
        self.last_reversal: ReversalResult | None = None
        self.z_text = ""
        self.z_report: TableReport | None = None
        self.payments: list[ShiftPayment] = []
        self.dialog: Any = None
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self.tr("No shift open"))
        self.label.setObjectName("SectionTitle")
        bar.addWidget(self.label)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("Float")))
        self.float_edit = QLineEdit()
        self.float_edit.setObjectName("shift_float")
        self.float_edit.setPlaceholderText("0.00")
        self.float_edit.setMaximumWidth(110)
        self.float_edit.returnPressed.connect(self.open)
        bar.addWidget(self.float_edit)
        self.open_button = QPushButton(icon("shift"), self.tr("Open shift  (F5)"))
        self.open_button.clicked.connect(self.open)
        bar.addWidget(self.open_button)
        self.close_button = QPushButton(icon("lock"), self.tr("Close shift  (F9)"))
        self.close_button.clicked.connect(self.start_close)
        bar.addWidget(self.close_button)
        self._show(None)

    @property
    def currency(self) -> str:
        return self.settings.currency

    @property
    def mine(self) -> bool:
        """The open shift is the signed-in clerk's own."""
        actor = self.context.services.actor if self.context.services is not None else None
        return self.info is not None and actor is not None and \
            self.info.clerk == actor.username

    def not_mine_text(self) -> str:
        assert self.info is not None
        return self.tr("Shift {0} at counter {1} belongs to {2}: only {2} works this drawer "
                       "(a supervisor can force-close it).").format(
            self.info.shift_id, self.info.counter, self.info.clerk)

    def _status(self, text: str) -> None:
        self.page.show_status(text)

    def _error(self, exc: BaseException | str) -> None:
        self.page.show_error(exc)

    def _show(self, info: ShiftInfo | None) -> None:
        self.info = info
        is_open = info is not None
        self.float_edit.setEnabled(not is_open)
        self.open_button.setEnabled(not is_open)
        self.close_button.setEnabled(is_open and self.mine)
        if info is None:
            self.label.setText(self.tr("Counter {0}: no shift open").format(self.counter or "—"))
            shift = self.tr("closed")
        else:
            opened = info.opened_at.strftime("%H:%M")
            self.label.setText(self.tr("Counter {0}: shift {1} open since {2}, {3}, float {4}")
                               .format(info.counter, info.shift_id, opened, info.clerk,
                                       money_text(info.opening_float)))
            if not self.mine:
                self.label.setText(self.tr("Counter {0}: shift {1} of {2} is open; only {2} "
                                           "works this drawer").format(
                    info.counter, info.shift_id, info.clerk))
                shift = self.tr("{0} of {1} open since {2}").format(info.shift_id, info.clerk,
                                                                    opened)
            else:
                shift = self.tr("{0} open since {1}").format(info.shift_id, opened)
        window = self.page.window()
        if hasattr(window, "set_status"):
            window.set_status(counter=self.counter or "—", shift=shift)

    def load(self) -> None:
        staff = self.staff
        preferred = self.hub.counter_code

        def done(state: CounterState) -> None:
            self.counter = state.code or ""
            if not state.code:
                self._status(self.tr("No counter is configured: add one in Administration."))
            self._show(state.shift)
            self.refresh_payments()

        self.call(lambda _task: staff.screens.counter_state(preferred), done)

    def refresh_payments(self) -> None:
        info = self.info
        if info is None:
            self.payments = []
            set_rows(self.page.payments_model, [])
            return
        staff = self.staff

        def done(rows: list[ShiftPayment]) -> None:
            self.payments = rows
            set_rows(self.page.payments_model,
                     [(p.receipt_number, p.account_number, p.amount, p.received_at,
                       "✓" if p.reversed else "") for p in rows])
            self.page.payments.resizeColumnsToContents()

        self.call(lambda _task: staff.counter.shift_payments(info.shift_id), done)

    # -- open ------------------------------------------------------------------------------
    def open(self) -> None:
        if self.info is not None or not self.counter:
            return
        try:
            opening = parse_money(self.float_edit.text(), self.currency)
        except ValueError:
            self._error(self.tr("{0} is not an amount").format(repr(self.float_edit.text())))
            return
        staff = self.staff
        code = self.counter

        def done(info: ShiftInfo) -> None:
            self._show(info)
            self.page.find_edit.setFocus()

        def failed(exc: BaseException) -> None:
            self._error(exc)
            if isinstance(exc, ShiftAwaitsApproval):
                self._ask_approval(exc.shift_id, then_open=True)

        self.call(lambda _task: staff.counter.open_shift(code, opening), done, failed=failed,
                  changes={SHIFTS})

    # -- reprint and reversal --------------------------------------------------------------
    def chosen_receipt(self) -> str | None:
        """The receipt selected in "Payments this shift", else the last one taken."""
        number = selected_value(self.page.payments) or self.page.last_receipt
        if not number and self.payments:
            number = self.payments[0].receipt_number
        return str(number) if number else None

    def _pick(self, title: str, prompt: str, action: str, supervisor: bool
              ) -> ReceiptPickDialog | None:
        current = self.chosen_receipt()
        receipts = [(p.receipt_number, self.tr("{0} · account {1} · {2}{3}").format(
            p.receipt_number, p.account_number, money_text(p.amount),
            self.tr(" · reversed") if p.reversed else "")) for p in self.payments]
        if current and current not in {n for n, _l in receipts}:
            receipts.insert(0, (current, current))
        if not receipts:
            self._error(self.tr("No payment in this shift yet: there is no receipt to "
                                "choose."))
            return None
        staff = self.staff

        def preview(number: str) -> None:
            self.call(lambda _task: staff.counter.receipt_text(number),
                      lambda text: dialog.show_text(number, text),
                      failed=lambda exc: dialog.show_text(number, str(exc)))

        dialog = ReceiptPickDialog(title, prompt, receipts, current, preview, action=action,
                                   supervisor=supervisor, parent=self)
        self.dialog = dialog
        dialog.ask_preview()
        return dialog

    def pick_reprint(self) -> None:
        dialog = self._pick(self.tr("Print a receipt again"),
                            self.tr("Choose the receipt; it prints marked DUPLICATE."),
                            self.tr("Print duplicate"), supervisor=False)
        if dialog is not None:
            dialog.accepted.connect(lambda: self.reprint(dialog.number()))
            dialog.open()

    def reprint(self, number: str) -> None:
        staff = self.staff

        def work(_task: object) -> tuple[int, PrintOutcome]:
            _job, count = staff.counter.reprint(number)
            return count, staff.desk.print_queue()

        def done(out: tuple[int, PrintOutcome]) -> None:
            count, printed = out
            self.page.last_print = printed
            state = self.tr("printed") if printed.printed and not printed.errors else \
                self.tr("queued: {0}").format("; ".join(printed.errors) or self.tr("no printer"))
            self._status(self.tr("Receipt {0}: duplicate {1} {2}.").format(number, count, state))

        self.call(work, done, failed=self._error)

    def reverse(self) -> None:
        dialog = self._pick(
            self.tr("Reverse a payment"),
            self.tr("Choose the payment to reverse. A supervisor approves it; the customer's "
                    "bills are re-opened and a reversal receipt is printed."),
            self.tr("Reverse payment"), supervisor=True)
        if dialog is None:
            return
        dialog.accepted.connect(lambda: self._reverse(dialog.number(), dialog.reason.text(),
                                                      dialog.username.text(),
                                                      dialog.password.text()))
        dialog.open()

    def _reverse(self, number: str, reason: str, username: str, password: str) -> None:
        staff = self.staff
        code = self.counter

        def work(_task: object) -> tuple[ReversalResult, PrintOutcome]:
            result = staff.counter.reverse_payment(number, reason, username, password,
                                                   counter_code=code)
            return result, staff.desk.print_queue()

        def done(out: tuple[ReversalResult, PrintOutcome]) -> None:
            result, _printed = out
            self.last_reversal = result
            self._status(self.tr("Receipt {0} reversed by {1}; balance now {2}.").format(
                number, result.receipt_number, money_text(result.balance)))

        self.call(work, done, failed=self._error, changes={PAYMENTS, ACCOUNTS})

    # -- close -----------------------------------------------------------------------------
    def start_close(self) -> None:
        if self.info is None:
            return
        dialog = BlindCountDialog(self.currency, self)
        dialog.accepted.connect(lambda: self._close(dialog))
        self.dialog = dialog
        dialog.open()

    def _close(self, dialog: BlindCountDialog) -> None:
        staff = self.staff
        code = self.counter
        cash = dialog.cash_counts()
        others = dialog.other_counts()

        def work(_task: object) -> tuple[CloseResult, str, TableReport]:
            result = staff.counter.close_shift(code, cash, others)  # type: ignore[arg-type]
            doc = staff.counter.load_z_report(result.z_report_id)
            today = date.today()
            report = staff.reports.shift_z(ReportRange(today, today, shift_id=result.shift_id))
            return result, as_text(layout_z_report(doc, 48), 48), report

        def done(out: tuple[CloseResult, str, TableReport]) -> None:
            result, text, report = out
            self.last_close, self.z_text, self.z_report = result, text, report
            self._show(None)
            diff = money_text(result.total_difference)
            self._status(self.tr("Shift {0} closed; over/short {1}.").format(
                result.shift_id, diff))
            shown = ZReportDialog(self.tr("Z-report, shift {0}").format(result.shift_id),
                                  report, text, self)
            self.dialog = shown
            shown.open()
            if result.needs_approval and not result.approved_by:
                self._ask_approval(result.shift_id)

        self.call(work, done, failed=self._error, changes={SHIFTS})

    def _ask_approval(self, shift_id: int, then_open: bool = False) -> None:
        dialog = SupervisorDialog(
            self.tr("Approve shift {0}").format(shift_id),
            self.tr("The count differs from the books by more than the threshold: a "
                    "supervisor signs the shift off."), ask_reason=False, parent=self)
        staff = self.staff

        def approved(_r: object) -> None:
            self._status(self.tr("Shift {0} approved.").format(shift_id))
            if then_open:
                self.open()

        def approve() -> None:
            self.call(lambda _task: staff.counter.approve_shift(shift_id, dialog.username.text(),
                                                             dialog.password.text()),
                      approved, failed=self._error, changes={SHIFTS})

        dialog.accepted.connect(approve)
        self.approval_dialog = dialog
        dialog.open()
