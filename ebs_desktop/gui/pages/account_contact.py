"""The account page's "Contact and delivery" tab: how the customer is reached and what
they chose (issue 20, point 8).

It shows the e-mail address and the phone with their status ("ok", or "unreachable: the
provider's words" after a bounce or an invalid number), paperless or paper bills, the
language of the messages, reminders, and per kind of notification the channels chosen
with where it goes now, and the customer's own SMS quiet hours. Those who may edit
accounts change the preferences here; the service refuses turning off a notice the law
requires, naming it, and audits the change. Below, the recent changes of contact and
preferences: when, who (a clerk, or the customer's login "x@example.net (portal)") and
what changed, with where a portal change came from ("from: portal, 203.0.113.7").

The tab finds its services through the page that holds it (the account panel is built
by the customer page), so the panel needs no more than one line to add it.
"""

from __future__ import annotations

from ebs_desktop.domain.notifications import LEGALLY_REQUIRED, Kind
from ebs_desktop.errors import EbsError
from ebs_desktop.gui.changes import ACCOUNTS
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import PageContext, ServiceUser
from ebs_desktop.gui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.tasks import show_error
from ebs_desktop.gui.widgets import date_text, muted, rows_model, set_rows, table
from ebs_desktop.services.account_prefs import (
    AccountPreferencesView,
    ContactChange,
    PreferencesChange,
)

# What the channel drop-down offers: label -> channels (None: the defaults)
CHOICES: tuple[tuple[str, list[str] | None], ...] = (
    ("default", None), ("e-mail", ["email"]), ("SMS", ["sms"]),
    ("e-mail and SMS", ["email", "sms"]), ("none", []))


def choice_label(chosen: tuple[str, ...] | None) -> str:
    if chosen is None:
        return "default"
    for label, channels in CHOICES:
        if channels is not None and tuple(channels) == chosen:
            return label
    return "default"


class AccountContactTab(QWidget, ServiceUser):
    def __init__(self) -> None:
        super().__init__()
        self.account_number: str | None = None
        self.view: AccountPreferencesView | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.email = QLabel("—")
        self.phone = QLabel("—")
        for shown in (self.email, self.phone):
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("E-mail"), self.email)
        form.addRow(self.tr("Phone"), self.phone)
        self.paperless = QCheckBox(self.tr("Paperless (no bill on paper)"))
        form.addRow(self.tr("Bills"), self.paperless)
        self.language = QComboBox()
        self.language.addItem(self.tr("the utility's"), "")
        self.language.addItem("English", "en")
        self.language.addItem("Français", "fr")
        form.addRow(self.tr("Language"), self.language)
        self.reminders = QCheckBox(self.tr("Reminders before the due date"))
        form.addRow(self.tr("Reminders"), self.reminders)
        quiet = QHBoxLayout()
        self.quiet_from = QLineEdit()
        self.quiet_to = QLineEdit()
        for edit, name in ((self.quiet_from, self.tr("from")), (self.quiet_to, self.tr("to"))):
            edit.setPlaceholderText("HH:MM")
            edit.setMaxLength(5)
            edit.setAccessibleName(self.tr("Customer's quiet hours {0}").format(name))
            quiet.addWidget(QLabel(name))
            quiet.addWidget(edit)
        quiet.addStretch(1)
        form.addRow(self.tr("SMS quiet hours"), quiet)
        layout.addLayout(form)
        self.kinds_model = rows_model([Column(self.tr("Notification")),
                                       Column(self.tr("Chosen")),
                                       Column(self.tr("Goes to now"))], self)
        self.kinds = table(self.kinds_model, stretch=2)
        layout.addWidget(self.kinds, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Channels of")))
        self.kind = QComboBox()
        for kind in Kind:
            self.kind.addItem(kind.value.replace("_", " "), kind.value)
        row.addWidget(self.kind)
        self.channel = QComboBox()
        for label, _channels in CHOICES:
            self.channel.addItem(self.tr(label), label)
        row.addWidget(self.channel)
        row.addStretch(1)
        self.save_button = QPushButton(icon("check"), self.tr("Save preferences"))
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.status = muted("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        # what changed, by whom and from where (the counter or the portal, with its address)
        layout.addWidget(QLabel(self.tr("Recent changes")))
        self.changes_model = rows_model([Column(self.tr("When")), Column(self.tr("Who")),
                                         Column(self.tr("What")), Column(self.tr("Change"))],
                                        self)
        self.changes = table(self.changes_model, stretch=3)
        self.changes.setAccessibleName(self.tr("Recent changes of contact and preferences"))
        layout.addWidget(self.changes, 1)
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

    def set_may_edit(self, may: bool) -> None:
        for widget in (self.paperless, self.language, self.reminders, self.kind, self.channel,
                       self.quiet_from, self.quiet_to, self.save_button):
            widget.setEnabled(may)

    def show_account(self, account_number: str) -> None:
        """Load the account's preferences (on the worker thread)."""
        self.account_number = account_number
        if not self.connected:
            return
        staff = self.staff
        self.call(lambda _t: staff.accounts.preferences(account_number), self.show_view,
                  failed=self._failed)
        self.call(lambda _t: staff.accounts.contact_changes(account_number),
                  self.show_changes, failed=self._failed)

    def show_changes(self, changes: list[ContactChange]) -> None:
        set_rows(self.changes_model, [
            (date_text(c.at), c.who, c.what, c.change.replace("\n", "; "))
            for c in changes])

    def show_view(self, view: AccountPreferencesView) -> None:
        self.view = view
        self.setEnabled(True)
        self.email.setText(f"{view.email.address or '—'}  ({self._status(view.email.text)})")
        self.phone.setText(f"{view.phone.address or '—'}  ({self._status(view.phone.text)})")
        for shown, status in ((self.email, view.email), (self.phone, view.phone)):
            shown.setProperty("warning", not status.reachable and bool(status.address))
        self.paperless.setChecked(view.paperless)
        self.language.setCurrentIndex(max(self.language.findData(
            (view.language or "")[:2]), 0))
        self.reminders.setChecked(view.reminders)
        self.quiet_from.setText(view.quiet_hours[0] if view.quiet_hours else "")
        self.quiet_to.setText(view.quiet_hours[1] if view.quiet_hours else "")
        rows = []
        for kind in Kind:
            chosen = view.chosen.get(kind.value)
            label = self.tr(choice_label(chosen))
            if kind in LEGALLY_REQUIRED:
                label += self.tr(" (required by law)")
            where = ", ".join(f"{c} {a}" for c, a in view.routes[kind.value]) or "—"
            rows.append((kind.value.replace("_", " "), label, where))
        set_rows(self.kinds_model, rows)
        self._kind_chosen()

    def _status(self, text: str) -> str:
        if text == "ok":
            return self.tr("ok")
        if text == "none":
            return self.tr("none")
        return self.tr("unreachable: {0}").format(text.removeprefix("unreachable: "))

    def _kind_chosen(self) -> None:
        if self.view is None:
            return
        chosen = self.view.chosen.get(str(self.kind.currentData()))
        self.channel.setCurrentIndex(max(self.channel.findData(choice_label(chosen)), 0))

    def change(self) -> PreferencesChange:
        """What the fields say, as a change (the service keeps what did not change)."""
        channels = dict(CHOICES)[str(self.channel.currentData())]
        return PreferencesChange(
            paperless=self.paperless.isChecked(), language=str(self.language.currentData()),
            reminders=self.reminders.isChecked(),
            channels={str(self.kind.currentData()): channels},
            quiet_hours=(self.quiet_from.text(), self.quiet_to.text()))

    def save(self) -> None:
        if self.account_number is None:
            return
        staff, number, change = self.staff, self.account_number, self.change()

        def done(view: AccountPreferencesView) -> None:
            self.show_view(view)
            self.status.setText(self.tr("Preferences saved."))
            self.show_account(number)  # the change joins the list

        self.call(lambda _t: staff.accounts.set_preferences(number, change), done,
                  failed=self._failed, changes={ACCOUNTS})

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, EbsError):
            self.status.setText(str(exc))
        else:
            show_error(self, exc)
