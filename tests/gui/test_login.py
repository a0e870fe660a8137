"""Sign-in and first-administrator dialogs against injected service calls."""

from __future__ import annotations

from dataclasses import dataclass

from pytestqt.qtbot import QtBot

from ebs_desktop.errors import AuthenticationError, ValidationError
from ebs_desktop.gui.dialogs.login import FirstAdminDialog, LoginDialog
from ebs_desktop.gui.qt import QDialog, Qt
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services import auth, users
from ebs_desktop.services.actor import system_actor

UNIFORM = ("Wrong user name or password, or the user is locked or disabled. "
           "Ask an administrator if it keeps failing.")


@dataclass(frozen=True)
class User:
    username: str
    roles: frozenset[str]


class FakeUserService:
    """A stand-in for the user service: one user, lockout after three failures."""

    def __init__(self) -> None:
        self.failures = 0
        self.calls: list[tuple[str, str]] = []

    def authenticate(self, username: str, password: str) -> User:
        self.calls.append((username, password))
        if self.failures >= 3:
            raise AuthenticationError(f"user {username} is locked for 15 minutes")
        if (username, password) != ("clerk1", "correct horse"):
            self.failures += 1
            raise AuthenticationError("wrong user name or password")
        return User(username, frozenset({"clerk"}))


def test_login_success_with_enter(qtbot: QtBot) -> None:
    service = FakeUserService()
    dialog = LoginDialog(service.authenticate)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "clerk1")
    qtbot.keyClicks(dialog.password, "correct horse")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter submits
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user == User("clerk1", frozenset({"clerk"}))
    assert service.calls == [("clerk1", "correct horse")]


def test_login_failure_shows_message_and_stays_open(qtbot: QtBot) -> None:
    service = FakeUserService()
    dialog = LoginDialog(service.authenticate, username="clerk1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, "nope")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert dialog.error.text() == UNIFORM
    assert dialog.password.text() == ""  # cleared for the next try
    assert dialog.user is None


def test_a_lockout_shows_the_same_text_as_a_wrong_password(qtbot: QtBot) -> None:
    """Whatever the service says (here: locked), the screen gives one uniform answer."""
    service = FakeUserService()
    dialog = LoginDialog(service.authenticate, username="clerk1")
    qtbot.addWidget(dialog)
    for _ in range(3):
        dialog.password.setText("bad")
        dialog.submit()
    dialog.password.setText("correct horse")
    dialog.submit()
    assert dialog.user is None
    assert dialog.error.text() == UNIFORM


def test_real_sign_in_failures_all_look_the_same(qtbot: QtBot, db: Database) -> None:
    """Unknown user, wrong password, disabled user, through the real user service."""
    admin = system_actor("test-admin")
    users.add_user(db, admin, "ann", "Ann", "ann-password", ["clerk"])
    users.add_user(db, admin, "ben", "Ben", "ben-password", ["clerk"])
    users.set_active(db, admin, "ben", False)
    texts = []
    for name, password in (("nobody", "ann-password"), ("ann", "wrong-one"),
                           ("ben", "ben-password")):
        dialog = LoginDialog(lambda u, p: auth.login(db, u, p), username=name)
        qtbot.addWidget(dialog)
        dialog.password.setText(password)
        dialog.submit()
        assert dialog.user is None
        texts.append(dialog.error.text())
    assert texts == [UNIFORM] * 3


def test_empty_user_name_is_not_sent(qtbot: QtBot) -> None:
    service = FakeUserService()
    dialog = LoginDialog(service.authenticate)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert service.calls == []
    assert dialog.error.text() == "Enter your user name."


def test_escape_cancels(qtbot: QtBot) -> None:
    dialog = LoginDialog(FakeUserService().authenticate)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        qtbot.keyClick(dialog.username, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_first_admin_checks_confirmation_then_creates(qtbot: QtBot) -> None:
    created: list[tuple[str, str, str]] = []

    def create(username: str, display: str, password: str) -> User:
        if len(password) < 12:
            raise ValidationError("at least 12 characters", location="password")
        created.append((username, display, password))
        return User(username, frozenset({"admin"}))

    dialog = FirstAdminDialog(create)
    qtbot.addWidget(dialog)
    dialog.display.setText("Amina Diallo")
    dialog.password.setText("short")
    dialog.confirm.setText("different")
    dialog.submit()
    assert dialog.error.text() == "The two passwords differ."
    dialog.confirm.setText("short")
    dialog.submit()
    assert dialog.error.text() == "password: at least 12 characters"
    dialog.password.setText("a long enough secret")
    dialog.confirm.setText("a long enough secret")
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert created == [("admin", "Amina Diallo", "a long enough secret")]
    assert dialog.user.roles == frozenset({"admin"})
