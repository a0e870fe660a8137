"""Cash counter: the shift, the account (typed or scanned), the payment and its receipt.

Keyboard first: F2 finds an account (a keyboard-wedge scanner types the bill's code and
Enter, which lands here and jumps straight to the account with what is still owed on the
bill filled in: nothing for a bill that is already paid), F3 starts a payment, F4 prints
again a receipt (marked DUPLICATE) and F8 reverses a payment with a supervisor, each on the
receipt picked in "Payments this shift" with its text shown first, F5 opens the clerk's own
shift, F9 closes the shift with a blind count and shows the Z-report. The search takes any
words of the name or address too, and an account can arrive from the Customers screen
("Take payment"). What the clerk did is said on the status line, which clears when the
next account is loaded; what went wrong is said in plain words on the red line above the
buttons.
Every service call runs on the worker thread; a payment carries an idempotency key made
when the form is filled, so pressing Enter twice or retrying after an error never posts
twice. Receipts are printed after the payment commits, through
the print queue: a printer that is off leaves the job queued, the payment stands.

Money is never taken silently beyond what is owed: the form warns as soon as the amount
is more than the open balance, and taking it asks for a confirmation first (the rest stays
as credit). A payment above the per-payment limit asks for a supervisor's sign-in. Both
are also enforced by the service, which the page follows when it refuses.
"""

from __future__ import annotations

import uuid
from typing import Any

from ebs_desktop.domain.cash import CardTender, CashTender, ChequeTender, Tender, TransferTender
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import EbsError, ValidationError
from ebs_desktop.gui.changes import ACCOUNTS, BILLS, PAYMENTS, SHIFTS, DataChange
from ebs_desktop.gui.dialogs.counter_dialogs import (
    CreditConfirmDialog,
    SupervisorDialog,
    parse_money,
)
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import Page
from ebs_desktop.gui.pages.counter_shift import ShiftControls
from ebs_desktop.gui.qt import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import (
    date_col,
    error_label,
    money_col,
    money_text,
    rows_model,
    selected_value,
    set_rows,
    size_columns,
    table,
)
from ebs_desktop.reports.payment_code import parse_payment_code
from ebs_desktop.services.accounts import AccountSummary
from ebs_desktop.services.counter import (
    CreditNotConfirmed,
    PaymentResult,
    PrintOutcome,
    SupervisorRequired,
)
from ebs_desktop.services.counter.records import AccountPosition


def scanned_amount(text: str, currency: str) -> Money | None:
    """The amount a scanned bill code carries, if the text is one."""
    try:
        code = parse_payment_code(text)
    except ValidationError:
        return None
    if code.amount is not None:
        return code.amount
    return Money(code.amount_minor, currency)


def scanned_bill(text: str) -> str | None:
    """The bill number a scanned bill code names, if the text is one."""
    try:
        return parse_payment_code(text).bill_number
    except ValidationError:
        return None


class CounterPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.shift = ShiftControls(self)
        layout.addWidget(self.shift)
        row = QHBoxLayout()
        left = QVBoxLayout()
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("counter_find")
        self.find_edit.setPlaceholderText(self.tr(
            "Account number, name, address, phone or scan the bill  (F2)"))
        self.find_edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.find_edit.returnPressed.connect(self.find_account)
        left.addWidget(self.find_edit)
        self.matches_model = rows_model([Column(self.tr("Account")), Column(self.tr("Name")),
                                         Column(self.tr("Address")),
                                         money_col(self.tr("Balance"))], self)
        self.matches = table(self.matches_model, stretch=2)
        self.matches.setMaximumHeight(150)
        self.matches.hide()
        self.matches.activated.connect(lambda _i: self.load_account(
            str(selected_value(self.matches))))
        left.addWidget(self.matches)
        account = QGroupBox(self.tr("Account"))
        al = QVBoxLayout(account)
        head = QHBoxLayout()
        self.account_label = QLabel(self.tr("No account selected"))
        self.account_label.setObjectName("SectionTitle")
        self.account_label.setWordWrap(True)
        head.addWidget(self.account_label, 1)
        self.balance_label = QLabel("")
        self.balance_label.setObjectName("BigAmount")
        head.addWidget(self.balance_label)
        al.addLayout(head)
        self.bills_model = rows_model([Column(self.tr("Bill")), Column(self.tr("Period")),
                                       date_col(self.tr("Due")),
                                       money_col(self.tr("Open amount"))], self)
        self.bills = table(self.bills_model, stretch=0)
        size_columns(self.bills, [150, 80, 110, 130])
        al.addWidget(self.bills)
        left.addWidget(account, 3)
        left.addWidget(QLabel(self.tr("Payments this shift")))
        self.payments_model = rows_model([Column(self.tr("Receipt")), Column(self.tr("Account")),
                                          money_col(self.tr("Amount")),
                                          date_col(self.tr("Time")),
                                          Column(self.tr("Reversed"))], self)
        self.payments = table(self.payments_model, stretch=1)
        size_columns(self.payments, [170, 110, 100, 140])
        left.addWidget(self.payments, 2)
        row.addLayout(left, 3)
        row.addWidget(self._payment_box(), 2)
        layout.addLayout(row, 1)
        self.position: AccountPosition | None = None
        self.last_receipt: str | None = None
        self.last_result: PaymentResult | None = None
        self.last_print: PrintOutcome | None = None
        self.payment_key = uuid.uuid4().hex
        self.dialog: Any = None
        self._loaded = False
        self.setFocusProxy(self.find_edit)
        return body

    def _payment_box(self) -> QWidget:
        pay = QGroupBox(self.tr("Payment"))
        form = QFormLayout(pay)
        self.amount = QLineEdit()
        self.amount.setObjectName("payment_amount")
        self.amount.setPlaceholderText("0.00")
        form.addRow(self.tr("Amount"), self.amount)
        self.tender = QComboBox()
        for kind, text in (("cash", self.tr("Cash")), ("card", self.tr("Card")),
                           ("cheque", self.tr("Cheque")), ("transfer", self.tr("Transfer"))):
            self.tender.addItem(text, kind)
        self.tender.currentIndexChanged.connect(lambda _i: self._tender_changed())
        form.addRow(self.tr("Tender"), self.tender)
        self.tendered = QLineEdit()
        self.tendered.setObjectName("payment_tendered")
        self.tendered.setPlaceholderText(self.tr("cash handed over"))
        form.addRow(self.tr("Tendered"), self.tendered)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(self.tr("last 4 digits / cheque no. / reference"))
        form.addRow(self.tr("Reference"), self.reference)
        self.credit_warning = QLabel("")
        self.credit_warning.setObjectName("WarningBanner")
        self.credit_warning.setWordWrap(True)
        self.credit_warning.hide()
        form.addRow(self.credit_warning)
        self.change = QLabel("—")
        self.change.setObjectName("BigAmount")
        form.addRow(self.tr("Change"), self.change)
        self.error = error_label()
        form.addRow(self.error)
        self.take_button = QPushButton(icon("payment"), self.tr("Take payment  (Enter)"))
        self.take_button.setProperty("primary", True)
        self.take_button.clicked.connect(self.take_payment)
        form.addRow(self.take_button)
        self.print_button = QPushButton(icon("print"), self.tr("Reprint receipt  (F4)"))
        self.print_button.clicked.connect(self.reprint)
        form.addRow(self.print_button)
        self.reverse_button = QPushButton(self.tr("Reverse payment…  (F8)"))
        self.reverse_button.clicked.connect(self.reverse)
        form.addRow(self.reverse_button)
        self.pay_status = QLabel("")
        self.pay_status.setObjectName("Muted")
        self.pay_status.setWordWrap(True)
        form.addRow(self.pay_status)
        for edit in (self.amount, self.tendered, self.reference):
            edit.returnPressed.connect(self.take_payment)
            edit.textEdited.connect(lambda _t: self._update_change())
        # Only what the role can do: a manager at the counter approves and reverses, but
        # takes no payment and reprints no receipt (issue 19, point 9).
        self.may_take = self.connected and self.staff.allows("payment.post")
        for widget in (self.amount, self.tender, self.tendered, self.reference, self.change,
                       self.take_button):
            form.setRowVisible(widget, self.may_take)
        form.setRowVisible(self.print_button,
                           self.connected and self.staff.allows("receipt.reprint"))
        return pay

    @property
    def currency(self) -> str:
        return self.settings.currency

    def show_status(self, text: str) -> None:
        self.error.hide()
        self.pay_status.setText(text)

    def show_error(self, error: BaseException | str) -> None:
        """Plain words on the red line: a refused input without its field prefix ("The
        tenders add up to 200.00, 95.55 short of 295.55.")."""
        text = str(error)
        if isinstance(error, ValidationError) and error.location and \
                text.startswith(f"{error.location}: "):
            text = text[len(error.location) + 2:]
        if isinstance(error, BaseException) and not isinstance(error, EbsError):
            text = self.tr("Something went wrong: {0}").format(text)
        text = text[:1].upper() + text[1:]
        self.error.setText(text)
        self.error.show()

    def clear_messages(self) -> None:
        self.error.hide()
        self.error.clear()
        self.pay_status.clear()

    # -- finding the account ---------------------------------------------------------------
    def find_account(self) -> None:
        text = self.find_edit.text().strip()
        if not text:
            return
        staff = self.staff
        bill = scanned_bill(text)

        def done(found: list[AccountSummary]) -> None:
            set_rows(self.matches_model, [(a.account_number, a.name, a.address, a.balance)
                                          for a in found])
            self.matches.resizeColumnsToContents()  # the address column takes the rest
            if len(found) == 1:
                self.matches.hide()
                self.load_account(found[0].account_number, bill)
            elif not found:
                self.matches.hide()
                self.show_error(self.tr("No account matches {0}: try another word of the "
                                        "name or address, the phone or the meter.").format(
                    repr(text)))
            else:
                self.matches.show()
                self.matches.selectRow(0)
                self.matches.setFocus()

        self.call(lambda _task: staff.accounts.find_accounts(text, 50), done)

    def load_account(self, number: str, bill_number: str | None = None, *,
                     fresh: bool = True) -> None:
        """Show the account and propose what is still owed (on the scanned bill, if any).
        ``fresh``: the clerk moved to this account, so the last one's messages go."""
        staff = self.staff

        def done(position: AccountPosition) -> None:
            if fresh:
                self.clear_messages()
            self.show_position(position)
            proposed = position.proposed_amount(bill_number)
            if bill_number is not None or proposed.minor > 0:
                self.amount.setText(str(proposed.amount))
            else:
                self.amount.clear()
            self.new_payment()
            if bill_number is not None and proposed.minor == 0:
                self.show_status(self.tr("Bill {0} is already paid: nothing is owed on "
                                         "it. The account owes {1}.").format(
                    bill_number, money_text(position.owed)))

        self.call(lambda _task: staff.accounts.account_position(number), done)

    def refresh_position(self) -> None:
        """Show the account on screen again as it is now (the amount typed stays)."""
        if self.position is None:
            return
        staff = self.staff
        number = self.position.account_number
        self.call(lambda _task: staff.accounts.account_position(number), self.show_position)

    def show_position(self, position: AccountPosition) -> None:
        self.position = position
        self.account_label.setText(f"{position.account_number} · {position.name}")
        self.balance_label.setText(money_text(position.balance))
        set_rows(self.bills_model, [(b.bill_number, b.period, b.due_date, b.open_amount)
                                    for b in position.open_bills])

    # -- payment ---------------------------------------------------------------------------
    def new_payment(self) -> None:
        self.payment_key = uuid.uuid4().hex
        self.tendered.clear()
        self.reference.clear()
        self._update_change()
        self.amount.setFocus()
        self.amount.selectAll()

    def _tender_changed(self) -> None:
        cash = self.tender.currentData() == "cash"
        self.tendered.setEnabled(cash)
        self.reference.setEnabled(not cash)
        self._update_change()

    def _update_change(self) -> None:
        try:
            amount = parse_money(self.amount.text(), self.currency)
            given = parse_money(self.tendered.text(), self.currency) \
                if self.tendered.text().strip() else amount
        except ValueError:
            self.change.setText("—")
            self.credit_warning.hide()
            return
        self._update_credit_warning(amount)
        if self.tender.currentData() != "cash" or given < amount:
            self.change.setText("—")
        else:
            self.change.setText(money_text(given - amount))

    def _update_credit_warning(self, amount: Money) -> None:
        """Warn while the amount is more than the open balance (the rest would be credit)."""
        credit = self.position.credit_if_paid(amount) if self.position is not None else None
        if credit is None or credit.minor == 0:
            self.credit_warning.hide()
            return
        assert self.position is not None
        self.credit_warning.setText(self.tr("More than the open balance of {0}: {1} would "
                                            "stay on the account as credit.").format(
            money_text(self.position.owed), money_text(credit)))
        self.credit_warning.show()

    def tenders(self, amount: Money) -> list[Tender]:
        kind = self.tender.currentData()
        ref = self.reference.text().strip()
        if kind == "cash":
            given = parse_money(self.tendered.text(), self.currency) \
                if self.tendered.text().strip() else amount
            return [CashTender(given)]
        if kind == "card":
            return [CardTender(amount, "CARD", ref[-4:], ref)]
        if kind == "cheque":
            from datetime import date

            return [ChequeTender(amount, ref, "", date.today())]
        return [TransferTender(amount, ref)]

    def take_payment(self) -> None:
        if not self.may_take:
            return
        if self.position is None:
            self.show_error(self.tr("Find the account first (F2)."))
            return
        if self.shift.info is None:
            self.show_error(self.tr("Open a shift first (F5)."))
            return
        if not self.shift.mine:
            self.show_error(self.shift.not_mine_text())
            return
        try:
            amount = parse_money(self.amount.text(), self.currency)
            tenders = self.tenders(amount)
        except ValueError as exc:
            self.show_error(self.tr("{0} is not an amount.").format(repr(str(exc))))
            return
        if self.position.credit_if_paid(amount).minor > 0:
            self.confirm_credit(self.position.owed, amount, tenders, None)
            return
        self.post(amount, tenders)

    def confirm_credit(self, owed: Money, amount: Money, tenders: list[Tender],
                       supervisor: tuple[str, str] | None) -> None:
        """Ask before taking more than is owed; the payment is posted only on "Take"."""
        assert self.position is not None
        dialog = CreditConfirmDialog(self.position.account_number, owed, amount, self)
        dialog.accepted.connect(lambda: self.post(amount, tenders, True, supervisor))
        dialog.rejected.connect(lambda: self.show_status(
            self.tr("Not taken: change the amount, or confirm the credit.")))
        self.dialog = dialog
        dialog.open()

    def ask_supervisor(self, exc: SupervisorRequired, tenders: list[Tender],
                       allow_credit: bool) -> None:
        """A payment above the limit: a supervisor signs in, then it is posted."""
        dialog = SupervisorDialog(
            self.tr("Approve a payment of {0}").format(money_text(exc.amount)),
            self.tr("A payment above {0} needs a supervisor: the supervisor signs in to "
                    "approve it.").format(money_text(exc.limit)), ask_reason=False,
            parent=self)
        dialog.accepted.connect(lambda: self.post(
            exc.amount, tenders, allow_credit,
            (dialog.username.text(), dialog.password.text())))
        self.dialog = dialog
        dialog.open()

    def post(self, amount: Money, tenders: list[Tender], allow_credit: bool = False,
             supervisor: tuple[str, str] | None = None) -> None:
        """Post on the worker thread; a refusal that needs a person opens their dialog."""
        if self.position is None:
            return
        staff = self.staff
        code = self.shift.counter
        number = self.position.account_number
        key = self.payment_key

        def work(_task: object) -> tuple[PaymentResult, PrintOutcome]:
            result = staff.counter.post_payment(code, number, tenders, key, amount=amount,
                                                allow_credit=allow_credit,
                                                supervisor=supervisor)
            return result, staff.desk.print_queue()

        def done(out: tuple[PaymentResult, PrintOutcome]) -> None:
            result, printed = out
            self.last_result, self.last_print = result, printed
            self.last_receipt = result.receipt_number
            self.change.setText(money_text(result.change))
            state = self.tr("printed") if printed.printed and not printed.errors else \
                self.tr("queued: {0}").format("; ".join(printed.errors) or
                                              self.tr("no printer"))
            self.show_status(self.tr("Receipt {0}: {1} paid, change {2}; receipt "
                                     "{3}.").format(result.receipt_number,
                                                    money_text(result.amount),
                                                    money_text(result.change), state))
            self.payment_key = uuid.uuid4().hex
            self.amount.clear()
            self.tendered.clear()
            self.find_edit.setFocus()
            self.find_edit.selectAll()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, CreditNotConfirmed):
                self.confirm_credit(exc.owed, amount, tenders, supervisor)
                return
            if isinstance(exc, SupervisorRequired):
                self.ask_supervisor(exc, tenders, allow_credit)
                return
            self.show_error(exc)
            self.amount.setFocus()

        self.call(work, done, failed=failed, changes={PAYMENTS, ACCOUNTS})

    def reprint(self) -> None:
        """F4: pick the receipt (the selected one first), read it, print a duplicate."""
        self.shift.pick_reprint()

    def reverse(self) -> None:
        """F8: pick the payment (the selected one first), read it, a supervisor approves."""
        self.shift.reverse()

    # -- page ------------------------------------------------------------------------------
    def trigger(self, action_id: str) -> bool:
        if not self.available:
            return False
        handlers = {"counter.find": self._focus_find, "counter.payment": self.new_payment,
                    "counter.print": self.reprint, "counter.open_shift": self.shift.open,
                    "counter.reverse": self.reverse,
                    "counter.close_shift": self.shift.start_close}
        handler = handlers.get(action_id)
        if handler is None:
            return False
        handler()
        return True

    def _focus_find(self) -> None:
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def data_changed(self, change: DataChange) -> None:
        """Payments or shifts changed: the shift's payments again. The account on screen
        changed: shown again; when someone else changed it (a reversal, a correction)
        what it owes now is proposed, as on finding it."""
        if not self._loaded:
            return
        if change.touches(PAYMENTS, SHIFTS):
            self.shift.refresh_payments()
        if self.position is not None and change.touches(ACCOUNTS, BILLS, PAYMENTS):
            if change.origin is self:
                self.refresh_position()
            else:
                self.load_account(self.position.account_number, fresh=False)

    def activated(self) -> None:
        if not self.available:
            return
        if self.connected and not self._loaded:
            self._loaded = True
            self.shift.load()
        self.find_edit.setFocus()


PAGE = CounterPage

