"""The account page's "Portal" tab (issue 21, point 8): whether the account can be seen in
the customer portal, by which logins (confirmed, locked, second factor, last sign-in), the
portal's recent activity for it, and for those who may (``portal.manage``): an invitation
by email and locking or unlocking the selected login.

Like the Contact tab, it finds its services through the page that holds it, so the panel
needs only the lines that add it.
"""

from __future__ import annotations

import os

from ebs_desktop.errors import EbsError
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import PageContext, ServiceUser
from ebs_desktop.gui.qt import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
from ebs_desktop.gui.tasks import show_error
from ebs_desktop.gui.widgets import date_text, muted, rows_model, set_rows, table
from ebs_desktop.services.portal_staff import AccountPortalView

ACTION_WORDS = {
    "registered": "registered", "verified": "confirmed the email", "login": "signed in",
    "login_failed": "wrong password", "login_throttled": "sign-in paused (too many tries)",
    "login_locked": "tried to sign in while locked", "logout": "signed out",
    "logout_everywhere": "logged out everywhere", "password_changed": "changed the password",
    "password_reset": "reset the password", "reset_requested": "asked for a reset link",
    "totp_on": "turned sign-in codes on", "totp_off": "turned sign-in codes off",
    "account_added": "added the account", "invited": "invited", "added_by_staff":
    "registered at the counter", "locked": "locked", "unlocked": "unlocked",
}


def portal_base_url() -> str:
    """Where the portal's links point (``EBS_PORTAL_BASE_URL``, as ``ebs portal`` reads it)."""
    return os.environ.get("EBS_PORTAL_BASE_URL", "http://127.0.0.1:8080")


class AccountPortalTab(QWidget, ServiceUser):
    def __init__(self) -> None:
        super().__init__()
        self.account_number: str | None = None
        self.view: AccountPortalView | None = None
        layout = QVBoxLayout(self)
        self.summary = QLabel(self.tr("No portal access."))
        layout.addWidget(self.summary)
        self.logins_model = rows_model([Column(self.tr("Sign-in e-mail")),
                                        Column(self.tr("State")),
                                        Column(self.tr("Codes")),
                                        Column(self.tr("Last sign-in"), date_text),
                                        Column(self.tr("Accounts"))], self)
        self.logins = table(self.logins_model, stretch=4)
        layout.addWidget(self.logins, 1)
        row = QHBoxLayout()
        self.lock_button = QPushButton(icon("lock"), self.tr("Lock"))
        self.lock_button.clicked.connect(lambda: self.set_locked(True))
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.clicked.connect(lambda: self.set_locked(False))
        row.addWidget(self.lock_button)
        row.addWidget(self.unlock_button)
        row.addStretch(1)
        row.addWidget(QLabel(self.tr("Invite by e-mail")))
        self.invite_email = QLineEdit()
        self.invite_email.setPlaceholderText("name@example.org")
        self.invite_email.setAccessibleName(self.tr("E-mail address to invite"))
        self.invite_email.returnPressed.connect(self.invite)
        row.addWidget(self.invite_email, 1)
        self.invite_button = QPushButton(icon("mail"), self.tr("Send invitation"))
        self.invite_button.clicked.connect(self.invite)
        row.addWidget(self.invite_button)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("Recent portal activity")))
        self.activity_model = rows_model([Column(self.tr("When"), date_text),
                                          Column(self.tr("Who")), Column(self.tr("What")),
                                          Column(self.tr("From")), Column(self.tr("Detail"))],
                                         self)
        self.activity = table(self.activity_model, stretch=4)
        layout.addWidget(self.activity, 2)
        self.status = muted("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.setEnabled(False)

    @property
    def context(self) -> PageContext:  # type: ignore[override]
        """The context of the page this tab is on."""
        widget = self.parentWidget()
        while widget is not None:
            found = getattr(widget, "context", None)
            if isinstance(found, PageContext):
                return found
            widget = widget.parentWidget()
        return PageContext()

    def set_may_manage(self, may: bool) -> None:
        for widget in (self.lock_button, self.unlock_button, self.invite_email,
                       self.invite_button):
            widget.setVisible(may)

    def show_account(self, account_number: str) -> None:
        self.account_number = account_number
        if not self.connected:
            return
        staff = self.staff
        if not staff.allows("portal.view"):
            self.summary.setText(self.tr("Portal access is not shown to your role."))
            return
        self.set_may_manage(staff.allows("portal.manage"))
        self.call(lambda _t: staff.portal.account_portal(account_number), self.show_view,
                  failed=self._failed)

    def show_view(self, view: AccountPortalView) -> None:
        self.view = view
        self.setEnabled(True)
        if view.logins:
            self.summary.setText(self.tr("Seen in the customer portal by {0} sign-in(s).")
                                 .format(len(view.logins)))
        else:
            self.summary.setText(self.tr("No portal access: nobody has registered this "
                                         "account. Invite the customer below."))
        set_rows(self.logins_model, [
            (v.email, self.tr("locked") if v.locked else
             (self.tr("confirmed") if v.verified else self.tr("not confirmed")),
             "✓" if v.totp else "", v.last_login_at or "—", ", ".join(v.accounts))
            for v in view.logins])
        set_rows(self.activity_model, [
            (a.at, a.email, self.tr(ACTION_WORDS.get(a.action, a.action.replace("_", " "))),
             a.ip, a.detail) for a in view.activity])

    def _selected_email(self) -> str | None:
        if self.view is None or not self.view.logins:
            return None
        index = self.logins.currentIndex()
        row = index.row() if index.isValid() else (0 if len(self.view.logins) == 1 else -1)
        return self.view.logins[row].email if 0 <= row < len(self.view.logins) else None

    def set_locked(self, locked: bool) -> None:
        email = self._selected_email()
        if email is None or self.account_number is None:
            self.status.setText(self.tr("Select a sign-in first."))
            return
        staff, number = self.staff, self.account_number

        def done(view: AccountPortalView) -> None:
            self.show_view(view)
            self.status.setText((self.tr("{0} is locked; its sessions ended.") if locked
                                 else self.tr("{0} is unlocked.")).format(email))

        def work(_t: object) -> AccountPortalView:
            staff.portal.set_locked(email, locked, "from the account page")
            return staff.portal.account_portal(number)

        self.call(work, done, failed=self._failed)

    def invite(self) -> None:
        if self.account_number is None:
            return
        staff, number, email = self.staff, self.account_number, self.invite_email.text()
        base = portal_base_url()

        def done(view: AccountPortalView) -> None:
            self.show_view(view)
            self.invite_email.clear()
            self.status.setText(self.tr("Invitation queued to {0} (valid 7 days).")
                                .format(email.strip()))

        def work(_t: object) -> AccountPortalView:
            staff.portal.invite(number, email, base_url=base)
            return staff.portal.account_portal(number)

        self.call(work, done, failed=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, EbsError):
            self.status.setText(str(exc))
        else:
            show_error(self, exc)
