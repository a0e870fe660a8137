"""Customers: search as you type, then the account's details, meters, ledger and bills.

With an empty search box the list is every account, paged lazily (one count and one page
of 200 rows, however many accounts there are). Typing searches on the worker thread once
typing pauses (account number, meter serial, phone, any words of the name or address, or
a scanned bill code, see :func:`ebs_desktop.services.accounts.find_accounts`); an answer to
an older search is dropped. Selecting an account loads its whole view in one task; "Take
payment" (for those who work the counter) opens the counter with that account loaded.
"""

from __future__ import annotations

from collections.abc import Sequence

from ebs_desktop.gui.changes import ACCOUNTS, BILLS, PAYMENTS, DataChange
from ebs_desktop.gui.dialogs.account_form import AccountForm
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column, LazyTableModel, Row
from ebs_desktop.gui.pages.account_panel import AccountPanel, BillDialog
from ebs_desktop.gui.pages.base import Page
from ebs_desktop.gui.pages.counter import CounterPage
from ebs_desktop.gui.qt import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import Debounce, money_col, money_text, size_columns, table
from ebs_desktop.services.account_edit import ContactDetails
from ebs_desktop.services.account_view import AccountView, BillView
from ebs_desktop.services.accounts import AccountSummary

SEARCH_DELAY_MS = 250


class CustomersPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("customer_search")
        self.search.setPlaceholderText(self.tr(
            "Account number, meter, any word of the name or address, phone or scan the bill  "
            "(Ctrl+F)"))
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 1)
        self.count_label = QLabel("")
        self.count_label.setObjectName("Muted")
        bar.addWidget(self.count_label)
        self.pay_button = QPushButton(icon("payment"), self.tr("Take payment"))
        self.pay_button.setObjectName("take_payment")
        self.pay_button.setToolTip(self.tr("Open the counter with the selected account"))
        self.pay_button.setEnabled(False)
        self.pay_button.hide()
        self.pay_button.clicked.connect(self.take_payment)
        bar.addWidget(self.pay_button)
        self.new_button = QPushButton(icon("add"), self.tr("New account  (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_account)
        bar.addWidget(self.new_button)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = LazyTableModel(
            [Column(self.tr("Account")), Column(self.tr("Name")), money_col(self.tr("Balance")),
             Column(self.tr("Address"))],
            0, lambda offset, limit: [], parent=self)
        # Balance beside the name, where it is seen without scrolling; the address takes the
        # rest (the phone and the rest of the details are on the account's side).
        self.table = table(self.model, stretch=3)
        size_columns(self.table, [96, 170, 100])
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._selected())
        split.addWidget(self.table)
        self.panel = AccountPanel(self.open_bill, self.add_note, self.edit_account)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        split.setSizes([560, 540])
        layout.addWidget(split, 1)
        self._search_generation = 0
        self._view_generation = 0
        self.loaded_account: str | None = None
        self.debounce = Debounce(SEARCH_DELAY_MS, self.run_search, self)
        self.search.textChanged.connect(self.debounce.poke)
        self.search.returnPressed.connect(self.debounce.flush)
        self.setFocusProxy(self.search)
        self._loaded_all = False
        # issue 19 (screens): only those who may edit accounts see New account and Edit
        self.may_edit = self.connected and self.staff.allows("account.edit")
        self.new_button.setVisible(self.may_edit)
        self.panel.set_may_edit(self.may_edit)
        return body

    # -- services --------------------------------------------------------------------------
    def show_all(self) -> None:
        """Every account, paged from the services as rows are shown (one indexed page of
        rows at a time, asked for by the view)."""
        staff = self.staff
        total = staff.accounts.count_accounts()

        def fetch(offset: int, limit: int) -> Sequence[Row]:
            return [(r.account_number, r.name, r.balance, r.address)
                    for r in staff.screens.account_rows(limit, offset)]

        self.model.reload(total, fetch)
        self.table.resizeColumnsToContents()  # from the first rows (see widgets.table)
        self.count_label.setText(self.tr("{0} accounts").format(f"{total:,}"))
        self._loaded_all = True

    def run_search(self) -> None:
        text = self.search.text().strip()
        self._search_generation += 1
        generation = self._search_generation
        if not text:
            self.show_all()
            return
        staff = self.staff

        def done(found: list[AccountSummary]) -> None:
            if generation != self._search_generation:
                return  # an older search answered late
            rows = [(a.account_number, a.name, a.balance, a.address) for a in found]
            self.model.reload(len(rows), lambda o, n: rows[o:o + n])
            self.table.resizeColumnsToContents()
            self.count_label.setText(self.tr("{0} found").format(len(rows)))
            self._loaded_all = False
            if len(rows) == 1:
                self.table.selectRow(0)

        self.call(lambda _task: staff.accounts.find_accounts(text, 200), done)

    def _selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        number = self.model.index(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        if number:
            self.load_account(str(number))

    def load_account(self, number: str) -> None:
        self._view_generation += 1
        generation = self._view_generation
        staff = self.staff

        def done(view: AccountView) -> None:
            if generation == self._view_generation:
                self.loaded_account = number
                self.pay_button.setEnabled(True)
                self.panel.show_view(view)

        self.call(lambda _task: staff.accounts.account_view(number), done)

    def _counter(self) -> CounterPage | None:
        """The counter screen of this window, if the signed-in role works the counter."""
        page = getattr(self.window(), "pages", {}).get("counter")
        return page if isinstance(page, CounterPage) else None

    def take_payment(self) -> None:
        """Straight to the counter with the selected account loaded."""
        number = self.loaded_account
        counter = self._counter()
        if number is None or counter is None:
            return
        window = self.window()
        if hasattr(window, "show_page"):
            window.show_page("counter")
        counter.load_account(number)

    def open_bill(self, bill_id: int) -> None:
        staff = self.staff
        ref = str(bill_id)

        def failed(exc: BaseException) -> None:
            self.bill_dialog.show_outcome(str(exc))

        def cancel(reason: str) -> None:
            self.call(lambda _task: staff.billing.cancel_bill(ref, reason),
                      lambda r: self.bill_dialog.show_outcome(
                          self.tr("Cancelled by credit note {0} for {1}.")
                          .format(r.number, money_text(r.amount))),
                      failed=failed, changes={BILLS, ACCOUNTS})

        def do_rebill() -> None:
            self.call(lambda _task: staff.billing.rebill(ref),
                      lambda r: self.bill_dialog.show_outcome(
                          self.tr("Rebilled as {0} for {1}.")
                          .format(r.bill_number, money_text(r.total))),
                      failed=failed, changes={BILLS, ACCOUNTS})

        may_cancel = staff.allows("bill.cancel")
        may_rebill = staff.allows("bill.rebill")

        def show(bill: BillView) -> None:
            self.bill_dialog = BillDialog(bill, self, cancel=cancel if may_cancel else None,
                                          rebill=do_rebill if may_rebill else None)
            self.bill_dialog.show()

        self.call(lambda _task: staff.accounts.bill_view(bill_id), show)

    def add_note(self, text: str) -> None:
        number = self.loaded_account
        if number is None:
            return
        staff = self.staff
        self.call(lambda _task: staff.accounts.add_note(number, text),
                  lambda _note: self.panel.note_edit.clear(), changes={ACCOUNTS})

    def new_account(self) -> None:
        staff = self.staff
        choices = staff.accounts.account_choices()
        self.form = AccountForm(staff.accounts.create_account, choices, parent=self)
        if self.form.exec() == AccountForm.DialogCode.Accepted:
            self.changed({ACCOUNTS})
            self.search.setText(str(self.form.result_value))
            self.debounce.flush()

    def edit_account(self) -> None:
        view = self.panel.view
        if view is None:
            return
        staff = self.staff
        s = view.details.summary
        number = s.account_number
        contact = ContactDetails(s.name, s.phone or "", view.details.email or "", s.address)
        self.form = AccountForm(lambda c: staff.accounts.edit_contact(number, c),
                                contact=contact, parent=self)
        if self.form.exec() == AccountForm.DialogCode.Accepted:
            self.changed({ACCOUNTS})

    def data_changed(self, change: DataChange) -> None:
        """Balances, bills or details changed: the open account is shown again, and the
        full list (its balances) is read again when the page is next shown (not now: that
        would lose the row the person is on)."""
        if not change.touches(ACCOUNTS, BILLS, PAYMENTS):
            return
        if self.loaded_account:
            self.load_account(self.loaded_account)
        self._loaded_all = False

    # -- page --------------------------------------------------------------------------------
    def trigger(self, action_id: str) -> bool:
        if not self.available:
            return False
        if action_id == "customers.search":
            self.search.setFocus()
            self.search.selectAll()
            return True
        if action_id == "customers.new" and self.connected and self.may_edit:
            self.new_account()
            return True
        return False

    def activated(self) -> None:
        if not self.available:
            return
        self.pay_button.setVisible(self._counter() is not None)
        self.search.setFocus()
        if self.connected and not self._loaded_all and not self.search.text():
            self.show_all()


PAGE = CustomersPage
