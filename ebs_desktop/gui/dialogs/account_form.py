"""New account and edit contact: one form, checked by the service, errors shown inline.

The dialog does not validate on its own: it hands the typed values to the service call
it was given (``save``) and shows the service's located message (``phone: '12' is not a
phone number``) under the form, keeping what was typed. Enter saves, Esc cancels.
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
from ebs_desktop.services.account_edit import AccountChoices, ContactDetails, NewAccount


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
            self.category = QComboBox()
            self.category.addItems(list(choices.categories))
            self.tariff = QComboBox()
            for code, name in choices.tariffs:
                self.tariff.addItem(f"{code} — {name}", code)
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

    def values(self) -> ContactDetails | NewAccount:
        contact = ContactDetails(self.name.text(), self.phone.text(), self.email.text(),
                                 self.address.text())
        if not self._new:
            return contact
        return NewAccount(contact, self.category.currentText(), str(self.tariff.currentData()),
                          str(self.route.currentData()), self.premise.text(), self.load.text(),
                          int(self.phases.currentText()))

    def submit(self) -> None:
        try:
            self.result_value = self._save(self.values())
        except EbsError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
