"""The counter screen's shift side: open with a float, reprint, reverse with a supervisor,
close with a blind count and show the Z-report; the status bar names the open shift.

Kept apart from the payment form (:mod:`ebs_desktop.gui.pages.counter`) so each module is
one concern. All service calls run on the worker thread.

A shift is its clerk's alone: when the counter's open shift is another clerk's, the bar
says whose it is and the page neither takes payments into it nor closes it (a supervisor
force-closes it from the command line). A counter whose last shift awaits a supervisor's
approval asks for the supervisor's sign-in when the clerk opens a shift.
"""

from __future__ import annotations

from typing import Any

from ebs_desktop.devices.receipts import as_text, layout_z_report
from ebs_desktop.gui.changes import ACCOUNTS, PAYMENTS, SHIFTS
from ebs_desktop.gui.dialogs.counter_dialogs import (
    BlindCountDialog,
    ReportTextDialog,
    SupervisorDialog,
    parse_money,
)
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.pages.base import ServiceUser
from ebs_desktop.gui.pages.counter_host import CounterHost
from ebs_desktop.gui.qt import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget
from ebs_desktop.gui.widgets import money_text, selected_value, set_rows
from ebs_desktop.services.counter import (
    CloseResult,
    PrintOutcome,
    ReversalResult,
    ShiftAwaitsApproval,
    ShiftInfo,
)
from ebs_desktop.services.counter.directory import ShiftPayment
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
        self.page.pay_status.setText(text)

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
            set_rows(self.page.payments_model, [])
            return
        staff = self.staff

        def done(rows: list[ShiftPayment]) -> None:
            set_rows(self.page.payments_model,
                     [(p.receipt_number, p.account_number, p.amount, p.received_at,
                       "✓" if p.reversed else "") for p in rows])

        self.call(lambda _task: staff.counter.shift_payments(info.shift_id), done)

    # -- open ------------------------------------------------------------------------------
    def open(self) -> None:
        if self.info is not None or not self.counter:
            return
        try:
            opening = parse_money(self.float_edit.text(), self.currency)
        except ValueError:
            self._status(self.tr("{0} is not an amount").format(repr(self.float_edit.text())))
            return
        staff = self.staff
        code = self.counter

        def done(info: ShiftInfo) -> None:
            self._show(info)
            self.page.find_edit.setFocus()

        def failed(exc: BaseException) -> None:
            self._status(str(exc))
            if isinstance(exc, ShiftAwaitsApproval):
                self._ask_approval(exc.shift_id, then_open=True)

        self.call(lambda _task: staff.counter.open_shift(code, opening), done, failed=failed,
                  changes={SHIFTS})

    # -- reprint and reversal --------------------------------------------------------------
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

        self.call(work, done, failed=lambda exc: self._status(str(exc)))

    def reverse(self) -> None:
        number = selected_value(self.page.payments) or self.page.last_receipt
        if not number:
            self._status(self.tr("Select the payment to reverse in the list."))
            return
        dialog = SupervisorDialog(
            self.tr("Reverse receipt {0}").format(number),
            self.tr("A supervisor approves the reversal of receipt {0}. The customer's bills "
                    "are re-opened and a reversal receipt is printed.").format(number),
            ask_reason=True, parent=self)
        dialog.accepted.connect(lambda: self._reverse(str(number), dialog.reason.text(),
                                                      dialog.username.text(),
                                                      dialog.password.text()))
        self.dialog = dialog
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

        self.call(work, done, failed=lambda exc: self._status(str(exc)),
                  changes={PAYMENTS, ACCOUNTS})

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

        def work(_task: object) -> tuple[CloseResult, str]:
            result = staff.counter.close_shift(code, cash, others)  # type: ignore[arg-type]
            doc = staff.counter.load_z_report(result.z_report_id)
            return result, as_text(layout_z_report(doc, 48), 48)

        def done(out: tuple[CloseResult, str]) -> None:
            result, text = out
            self.last_close, self.z_text = result, text
            self._show(None)
            diff = money_text(result.total_difference)
            self._status(self.tr("Shift {0} closed; over/short {1}.").format(
                result.shift_id, diff))
            report = ReportTextDialog(self.tr("Z-report, shift {0}").format(result.shift_id),
                                      text, self)
            self.dialog = report
            report.open()
            if result.needs_approval and not result.approved_by:
                self._ask_approval(result.shift_id)

        self.call(work, done, failed=lambda exc: self._status(str(exc)), changes={SHIFTS})

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
                      approved, failed=lambda exc: self._status(str(exc)), changes={SHIFTS})

        dialog.accepted.connect(approve)
        self.approval_dialog = dialog
        dialog.open()
