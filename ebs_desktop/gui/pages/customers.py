"""Customers: search as you type, then the account's details, meters, ledger and bills.

With an empty search box the list is every account, paged lazily (one count and one page
of 200 rows, however many accounts there are). Typing searches on the worker thread once
typing pauses (account number, meter serial, phone, name prefix or a scanned bill code,
see :func:`ebs_desktop.services.accounts.find_accounts`); an answer to an older search is
dropped. Selecting an account loads its whole view in one task.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.permissions import allowed
from ebs_desktop.gui.dialogs.account_form import AccountForm
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column, LazyTableModel, Row
from ebs_desktop.gui.pages.account_panel import AccountPanel, BillDialog
from ebs_desktop.gui.pages.base import Page
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
from ebs_desktop.gui.tasks import Task
from ebs_desktop.gui.widgets import Debounce, money_col, money_text, size_columns, table
from ebs_desktop.persistence.models import Account, Customer
from ebs_desktop.services import account_edit, account_view, accounts
from ebs_desktop.services.billing.corrections import cancel_bill, rebill
from ebs_desktop.services.settings import get_settings

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
            "Account number, meter serial, name, phone or scan the bill  (Ctrl+F)"))
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 1)
        self.count_label = QLabel("")
        self.count_label.setObjectName("Muted")
        bar.addWidget(self.count_label)
        self.new_button = QPushButton(icon("add"), self.tr("New account  (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_account)
        bar.addWidget(self.new_button)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = LazyTableModel(
            [Column(self.tr("Account")), Column(self.tr("Name")), Column(self.tr("Address")),
             Column(self.tr("Phone")), money_col(self.tr("Balance"))],
            0, lambda offset, limit: [], parent=self)
        self.table = table(self.model, stretch=2)
        size_columns(self.table, [96, 170, 150, 125, 90])
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._selected())
        split.addWidget(self.table)
        self.panel = AccountPanel(self.open_bill, self.add_note, self.edit_account)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        split.setSizes([470, 630])
        layout.addWidget(split, 1)
        self._search_generation = 0
        self._view_generation = 0
        self.loaded_account: str | None = None
        self.debounce = Debounce(SEARCH_DELAY_MS, self.run_search, self)
        self.search.textChanged.connect(self.debounce.poke)
        self.search.returnPressed.connect(self.debounce.flush)
        self.setFocusProxy(self.search)
        self._loaded_all = False
        return body

    # -- services --------------------------------------------------------------------------
    @property
    def hub(self) -> Any:
        return self.context.services

    def _submit(self, fn: Any, success: Any) -> None:
        Task(fn, success=success, parent=self).run(self.context.runner)

    def show_all(self) -> None:
        """Every account, paged from the database as rows are shown (GUI thread, indexed)."""
        db = self.hub.db
        with db.read() as session:
            total = int(session.scalar(select(func.count()).select_from(Account)) or 0)
            currency = get_settings(session).currency

        def fetch(offset: int, limit: int) -> Sequence[Row]:
            with db.read() as session:
                return [(r[0], r[1], r[2], r[3] or "", Money(r[4], currency))
                        for r in session.execute(
                            select(Account.account_number, Customer.name, Customer.address,
                                   Customer.phone, Account.balance_minor)
                            .join(Customer, Customer.id == Account.customer_id)
                            .order_by(Account.id).limit(limit).offset(offset))]

        self.model.reload(total, fetch)
        self.count_label.setText(self.tr("{0} accounts").format(f"{total:,}"))
        self._loaded_all = True

    def run_search(self) -> None:
        text = self.search.text().strip()
        self._search_generation += 1
        generation = self._search_generation
        if not text:
            self.show_all()
            return
        hub = self.hub
        actor = hub.require_actor()

        def done(found: list[accounts.AccountSummary]) -> None:
            if generation != self._search_generation:
                return  # an older search answered late
            rows = [(a.account_number, a.name, a.address, a.phone or "", a.balance)
                    for a in found]
            self.model.reload(len(rows), lambda o, n: rows[o:o + n])
            self.count_label.setText(self.tr("{0} found").format(len(rows)))
            self._loaded_all = False
            if len(rows) == 1:
                self.table.selectRow(0)

        self._submit(lambda _s: accounts.find_accounts(hub.db, actor, text, 200), done)

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
        hub = self.hub
        actor = hub.require_actor()

        def done(view: account_view.AccountView) -> None:
            if generation == self._view_generation:
                self.loaded_account = number
                self.panel.show_view(view)

        self._submit(lambda _s: account_view.account_view(hub.db, actor, number), done)

    def open_bill(self, bill_id: int) -> None:
        hub = self.hub
        actor = hub.require_actor()

        ref = str(bill_id)

        def outcome(text: str) -> None:
            self.bill_dialog.show_outcome(text)
            if self.loaded_account:
                self.load_account(self.loaded_account)

        def failed(exc: BaseException) -> None:
            self.bill_dialog.show_outcome(str(exc))

        def cancel(reason: str) -> None:
            Task(lambda _s: cancel_bill(hub.db, actor, ref, reason), parent=self,
                 success=lambda r: outcome(self.tr("Cancelled by credit note {0} for {1}.")
                                           .format(r.number, money_text(r.amount)))
                 ).failure(failed).run(self.context.runner)

        def do_rebill() -> None:
            Task(lambda _s: rebill(hub.db, actor, ref), parent=self,
                 success=lambda r: outcome(self.tr("Rebilled as {0} for {1}.")
                                           .format(r.bill_number, money_text(r.total)))
                 ).failure(failed).run(self.context.runner)

        may_cancel = allowed(actor.roles, "bill.cancel")
        may_rebill = allowed(actor.roles, "bill.rebill")

        def show(bill: account_view.BillView) -> None:
            self.bill_dialog = BillDialog(bill, self, cancel=cancel if may_cancel else None,
                                          rebill=do_rebill if may_rebill else None)
            self.bill_dialog.show()

        self._submit(lambda _s: account_view.bill_view(hub.db, actor, bill_id), show)

    def add_note(self, text: str) -> None:
        number = self.loaded_account
        if number is None:
            return
        hub = self.hub
        actor = hub.require_actor()

        def done(_note: object) -> None:
            self.panel.note_edit.clear()
            self.load_account(number)

        self._submit(lambda _s: account_edit.add_note(hub.db, actor, number, text), done)

    def new_account(self) -> None:
        hub = self.hub
        actor = hub.require_actor()
        choices = account_edit.account_choices(hub.db, actor)
        self.form = AccountForm(lambda new: account_edit.create_account(hub.db, actor, new),
                                choices, parent=self)
        if self.form.exec() == AccountForm.DialogCode.Accepted:
            self.search.setText(str(self.form.result_value))
            self.debounce.flush()

    def edit_account(self) -> None:
        view = self.panel.view
        if view is None:
            return
        hub = self.hub
        actor = hub.require_actor()
        s = view.details.summary
        number = s.account_number
        contact = account_edit.ContactDetails(s.name, s.phone or "", view.details.email or "",
                                              s.address)
        self.form = AccountForm(
            lambda c: account_edit.edit_contact(hub.db, actor, number, c),
            contact=contact, parent=self)
        if self.form.exec() == AccountForm.DialogCode.Accepted:
            self.load_account(number)

    # -- page --------------------------------------------------------------------------------
    def trigger(self, action_id: str) -> bool:
        if not self.available:
            return False
        if action_id == "customers.search":
            self.search.setFocus()
            self.search.selectAll()
            return True
        if action_id == "customers.new" and self.hub is not None:
            self.new_account()
            return True
        return False

    def activated(self) -> None:
        if not self.available:
            return
        self.search.setFocus()
        if self.hub is not None and not self._loaded_all and not self.search.text():
            self.show_all()


PAGE = CustomersPage
