"""Sign in, and the one-time "create the first administrator" dialog.

Both take the service call as a callable so they can be tested with the real user service
or a plain function, and never hold a database session: ``authenticate(username,
password)`` returns the signed-in user or raises
:class:`~ebs_desktop.errors.AuthenticationError` (wrong password, disabled, locked out:
the service counts failures, enforces the lockout and audits each failure). Whatever the
cause, the dialog shows one and the same sentence (:meth:`LoginDialog.refused_text`), so
the screen never tells whether a user name exists. Enter submits, Esc cancels.
"""

from __future__ import annotations

from collections.abc import Callable

from ebs_desktop.errors import AuthenticationError, EbsError
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.session import SignedInUser
from ebs_desktop.gui.widgets import error_label

Authenticate = Callable[[str, str], SignedInUser]
CreateAdmin = Callable[[str, str, str], SignedInUser]
"""``create_first_admin(username, display_name, password)`` -> the signed-in admin."""


class _CardDialog(QDialog):
    """A centred card with a title, a form, an error line and OK/Cancel."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowIcon(icon("app"))
        self.setMinimumWidth(440)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        card = QFrame()
        card.setObjectName("Card")
        outer.addWidget(card)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 24, 28, 22)
        layout.setSpacing(12)
        head = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(QSize(44, 44)))
        head.addWidget(logo)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        heading = QLabel(title)
        heading.setObjectName("CardTitle")
        titles.addWidget(heading)
        sub = QLabel(intro)
        sub.setObjectName("Muted")
        sub.setWordWrap(True)
        titles.addWidget(sub)
        head.addLayout(titles, 1)
        layout.addLayout(head)
        self.form = QFormLayout()
        self.form.setSpacing(10)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(self.form)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.user: SignedInUser | None = None

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def submit(self) -> None:
        raise NotImplementedError


class LoginDialog(_CardDialog):
    def __init__(self, authenticate: Authenticate, parent: QWidget | None = None,
                 username: str = "") -> None:
        super().__init__(self.tr("Sign in"), self.tr("EBS Desktop: electricity billing"),
                         self.tr("Sign in"), parent)
        self.setWindowTitle(self.tr("Sign in to EBS Desktop"))
        self._authenticate = authenticate
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("user name"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(self.tr("User"), self.username)
        self.form.addRow(self.tr("Password"), self.password)
        (self.password if username else self.username).setFocus()

    def refused_text(self) -> str:
        """The one answer to every failed sign-in."""
        return self.tr("Wrong user name or password, or the user is locked or disabled. "
                       "Ask an administrator if it keeps failing.")

    def submit(self) -> None:
        name = self.username.text().strip()
        if not name:
            self.show_error(self.tr("Enter your user name."))
            self.username.setFocus()
            return
        try:
            self.user = self._authenticate(name, self.password.text())
        except AuthenticationError:
            self.password.clear()
            self.password.setFocus()
            self.show_error(self.refused_text())
            return
        except EbsError as exc:
            self.show_error(str(exc))
            return
        self.accept()


class FirstAdminDialog(_CardDialog):
    """Shown once, when the database has no users: creates the first administrator."""

    def __init__(self, create_admin: CreateAdmin, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Create the administrator"),
            self.tr("This database has no users yet. The first user is an administrator "
                    "who can then add the others."),
            self.tr("Create and sign in"), parent)
        self.setWindowTitle(self.tr("First start"))
        self._create = create_admin
        self.username = QLineEdit("admin")
        self.display = QLineEdit()
        self.display.setPlaceholderText(self.tr("e.g. Amina Diallo"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(self.tr("User"), self.username)
        self.form.addRow(self.tr("Full name"), self.display)
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Repeat password"), self.confirm)
        self.display.setFocus()

    def submit(self) -> None:
        if self.password.text() != self.confirm.text():
            self.show_error(self.tr("The two passwords differ."))
            self.confirm.clear()
            self.confirm.setFocus()
            return
        try:
            self.user = self._create(self.username.text().strip(),
                                     self.display.text().strip(), self.password.text())
        except EbsError as exc:  # the service checks name and password rules
            self.show_error(str(exc))
            return
        self.accept()
