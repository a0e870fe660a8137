"""New account and edit contact: one form, checked as typed, errors shown inline.

Save first checks what was typed with the service's own pure rules
(:func:`~ebs_desktop.services.account_edit.clean_contact`,
:func:`~ebs_desktop.services.account_edit.check_new_account`), so a mistake is named
(``phone: '12' is not a phone number``) before anything is sent; then it hands the values
to the service call it was given (``save``), which checks the permission and everything
again, and shows its message the same way, keeping what was typed. The tariff follows the
category (its default tariff) until the person picks one. Enter saves, Esc cancels. Only
people who may edit accounts are offered this form (the page hides its buttons).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ebs_desktop.errors import EbsError
from ebs_desktop.gui.qt import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import error_label, ok_cancel
from ebs_desktop.services.account_edit import (
    AccountChoices,
    ContactDetails,
    NewAccount,
    check_new_account,
    clean_contact,
)


class AccountForm(QDialog):
    """``choices`` None: edit the contact only; otherwise a new account."""

    def __init__(self, save: Callable[[Any], Any], choices: AccountChoices | None = None,
                 contact: ContactDetails | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._new = choices is not None
        self.setWindowTitle(self.tr("New account") if self._new else self.tr("Edit customer"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        c = contact or ContactDetails("")
        self.name = QLineEdit(c.name)
        self.phone = QLineEdit(c.phone)
        self.email = QLineEdit(c.email)
        self.address = QLineEdit(c.address)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("E-mail"), self.email)
        form.addRow(self.tr("Address"), self.address)
        if choices is not None:
            self._choices = choices
            self.category = QComboBox()
            self.category.addItems(list(choices.categories))
            self.tariff = QComboBox()
            for code, name in choices.tariffs:
                self.tariff.addItem(f"{code} — {name}", code)
            self._tariff_chosen = False  # until the person picks one, it follows the category
            self._follow_category()
            self.category.currentTextChanged.connect(lambda _t: self._follow_category())
            self.tariff.activated.connect(self._tariff_picked)
            self.route = QComboBox()
            for code, name in choices.routes:
                self.route.addItem(f"{code} — {name}", code)
            self.premise = QLineEdit()
            self.premise.setPlaceholderText(self.tr("same as the address"))
            self.load = QLineEdit("5")
            self.phases = QComboBox()
            self.phases.addItems(["1", "3"])
            form.addRow(self.tr("Category"), self.category)
            form.addRow(self.tr("Tariff"), self.tariff)
            form.addRow(self.tr("Route"), self.route)
            form.addRow(self.tr("Premise address"), self.premise)
            form.addRow(self.tr("Sanctioned load (kW)"), self.load)
            form.addRow(self.tr("Phases"), self.phases)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, self.submit, save=True))
        self.result_value: Any = None
        self.name.setFocus()

    def _follow_category(self) -> None:
        if self._tariff_chosen:
            return
        code = self._choices.default_tariff(self.category.currentText())
        index = self.tariff.findData(code) if code else -1
        if index >= 0:
            self.tariff.setCurrentIndex(index)

    def _tariff_picked(self, _index: int) -> None:
        self._tariff_chosen = True

    def values(self) -> ContactDetails | NewAccount:
        contact = ContactDetails(self.name.text(), self.phone.text(), self.email.text(),
                                 self.address.text())
        if not self._new:
            return contact
        return NewAccount(contact, self.category.currentText(), str(self.tariff.currentData()),
                          str(self.route.currentData()), self.premise.text(), self.load.text(),
                          int(self.phases.currentText()))

    def check(self) -> ContactDetails | NewAccount:
        """The typed values, checked by the same rules the service applies (no call)."""
        values = self.values()
        if isinstance(values, NewAccount):
            check_new_account(values)
        else:
            clean_contact(values)
        return values

    def submit(self) -> None:
        try:
            values = self.check()
            self.result_value = self._save(values)
        except EbsError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
