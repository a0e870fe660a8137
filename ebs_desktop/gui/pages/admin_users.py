"""Users and roles tab: list, add, disable/enable, reset a password, change roles.

Each button is one call of the users area of the facade (admin only, audited), announced
as a change of users, after which the list is read again. Errors (weak password,
duplicate name) come back as the service's message.
"""

from __future__ import annotations

from collections.abc import Callable

from ebs_desktop.domain.permissions import ALL_ROLES, ROLE_LABELS
from ebs_desktop.errors import EbsError
from ebs_desktop.gui.changes import USERS
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import PageContext, ServiceUser
from ebs_desktop.gui.qt import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import (
    error_label,
    ok_cancel,
    rows_model,
    selected_value,
    set_rows,
    size_columns,
    table,
    yes_no,
)
from ebs_desktop.services.users import UserInfo


class UserDialog(QDialog):
    """Add a user (name, full name, password, roles) or change roles only."""

    def __init__(self, parent: QWidget | None, roles: tuple[str, ...] = (),
                 new: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add user") if new else self.tr("Roles"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if new:
            form.addRow(self.tr("User name"), self.username)
            form.addRow(self.tr("Full name"), self.full_name)
            form.addRow(self.tr("Password"), self.password)
        self.role_boxes: dict[str, QCheckBox] = {}
        for role in ALL_ROLES:
            box = QCheckBox(ROLE_LABELS.get(role, role))
            box.setChecked(role in roles)
            self.role_boxes[role] = box
            form.addRow("" if role != ALL_ROLES[0] else self.tr("Roles"), box)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, self.accept))

    def roles(self) -> list[str]:
        return [r for r, box in self.role_boxes.items() if box.isChecked()]


class UsersTab(QWidget, ServiceUser):
    def __init__(self, context: PageContext) -> None:
        super().__init__()
        self.context = context
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        self.add_button = QPushButton(icon("add"), self.tr("Add user"))
        self.add_button.clicked.connect(self.add_user)
        self.toggle_button = QPushButton(icon("lock"), self.tr("Disable / enable"))
        self.toggle_button.clicked.connect(self.toggle_active)
        self.password_button = QPushButton(icon("user"), self.tr("Reset password"))
        self.password_button.clicked.connect(self.reset_password)
        self.roles_button = QPushButton(icon("admin"), self.tr("Roles"))
        self.roles_button.clicked.connect(self.change_roles)
        for b in (self.add_button, self.toggle_button, self.password_button, self.roles_button):
            row.addWidget(b)
        row.addStretch(1)
        v.addLayout(row)
        self.model = rows_model([Column(self.tr("User")), Column(self.tr("Full name")),
                                 Column(self.tr("Roles")), Column(self.tr("Active")),
                                 Column(self.tr("Locked"))], self)
        self.view = table(self.model, stretch=2)
        size_columns(self.view, [120, 200, 260, 70])
        v.addWidget(self.view, 1)
        self.infos: list[UserInfo] = []

    def load(self) -> None:
        staff = self.staff

        def done(infos: list[UserInfo]) -> None:
            self.infos = infos
            set_rows(self.model, [(u.username, u.full_name, ", ".join(u.roles),
                                   yes_no(u.is_active), yes_no(u.locked)) for u in infos])

        self.call(lambda _task: staff.users.list_users(), done)

    def _selected(self) -> UserInfo | None:
        name = selected_value(self.view)
        return next((u for u in self.infos if u.username == name), None)

    def _do(self, fn: Callable[[], object]) -> None:
        """One change of users on the worker; a refusal is shown in the error dialog."""
        self.call(lambda _task: fn(), changes={USERS})

    def add_user(self) -> None:
        self.dialog = UserDialog(self, ("clerk",))
        while self.dialog.exec() == QDialog.DialogCode.Accepted:
            d = self.dialog
            try:  # at once, so that a refusal is shown in the dialog, which stays open
                self.staff.users.add_user(d.username.text(), d.full_name.text(),
                                          d.password.text(), d.roles())
            except EbsError as exc:
                d.error.setText(str(exc))
                d.error.show()
                continue
            self.changed({USERS})
            return

    def toggle_active(self) -> None:
        user = self._selected()
        if user is not None:
            staff = self.staff
            self._do(lambda: staff.users.set_active(user.username, not user.is_active))

    def reset_password(self) -> None:
        from ebs_desktop.gui.qt import QInputDialog

        user = self._selected()
        if user is None:
            return
        password, ok = QInputDialog.getText(
            self, self.tr("Reset password"),
            self.tr("New password for {0}:").format(user.username), QLineEdit.EchoMode.Password)
        if ok:
            staff = self.staff
            self._do(lambda: staff.users.set_password(user.username, password))

    def change_roles(self) -> None:
        user = self._selected()
        if user is None:
            return
        self.dialog = UserDialog(self, user.roles, new=False)
        if self.dialog.exec() == QDialog.DialogCode.Accepted:
            roles = self.dialog.roles()
            staff = self.staff
            self._do(lambda: staff.users.set_roles(user.username, roles))
