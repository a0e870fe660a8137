"""Administration: the delivery settings (e-mail server, SMS provider, contact checks), the
collection (dunning) rules and the secrets, beside the utility settings.

The fields come from the documented keys (``staff.settings.list_settings()``): a key with
choices is a drop-down, the others a line with the key's help as its tooltip. Save sends
only what changed, all at once: the service checks every value first and stores none if
one is refused, naming the key and the value here. A secret (SMTP password, SMS token,
SMPP password) is typed into a password field and goes straight to the OS keyring
(``staff.settings.set_secret``); it is never shown again, only whether one is stored.
"""

from __future__ import annotations

from ebs_desktop.errors import EbsError
from ebs_desktop.gui.changes import SETTINGS
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.pages.base import PageContext, ServiceUser
from ebs_desktop.gui.qt import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.tasks import show_error
from ebs_desktop.gui.widgets import muted
from ebs_desktop.services.notify_settings import (
    DUNNING_KEYS,
    NOTIFY_KEYS,
    SECRET_KEYS,
    SecretState,
    SettingValue,
)


class DeliverySettingsTab(QScrollArea, ServiceUser):
    GROUPS = (("email", "E-mail (SMTP)"), ("sms", "SMS provider"),
              ("notify", "Customers' contacts and messages"),
              ("dunning", "Collections (dunning)"))

    def __init__(self, context: PageContext) -> None:
        super().__init__()
        self.context = context
        self.setWidgetResizable(True)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.edits: dict[str, QLineEdit | QComboBox] = {}
        self.current: dict[str, str] = {}
        titles = {"email": self.tr("E-mail (SMTP)"), "sms": self.tr("SMS provider"),
                  "notify": self.tr("Customers' contacts and messages"),
                  "dunning": self.tr("Collections (dunning)")}
        columns = QHBoxLayout()
        left = QVBoxLayout()
        boxes: dict[str, QGroupBox] = {}
        for group, _title in self.GROUPS:
            box = QGroupBox(titles[group])
            form = QFormLayout(box)
            for spec in (k for k in (*NOTIFY_KEYS, *DUNNING_KEYS) if k.group == group):
                edit: QLineEdit | QComboBox
                if spec.choices:
                    edit = QComboBox()
                    edit.addItems(list(spec.choices))
                else:
                    edit = QLineEdit()
                    edit.setMinimumWidth(160)
                edit.setToolTip(spec.help)
                edit.setObjectName(spec.key)
                self.edits[spec.key] = edit
                form.addRow(spec.key, edit)
            if group == "email":
                self._secret_rows(form, ("smtp.password",))
            elif group == "sms":
                self._secret_rows(form, ("sms.token", "sms.password", "sms.callback_token"))
            boxes[group] = box
        left.addWidget(boxes["email"])
        left.addWidget(boxes["notify"])
        left.addStretch(1)
        columns.addLayout(left, 1)
        right = QVBoxLayout()
        right.addWidget(boxes["sms"])
        right.addWidget(boxes["dunning"])
        right.addStretch(1)
        columns.addLayout(right, 1)
        layout.addLayout(columns)
        row = QHBoxLayout()
        self.status = muted("")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.save_button = QPushButton(icon("check"), self.tr("Save delivery settings"))
        self.save_button.setToolTip(self.tr("Saves the e-mail, SMS, contact and collection "
                                            "settings changed on this tab"))
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        layout.addWidget(muted(self.tr(
            "Secrets go to this PC's OS keyring, never to the database or a file; each PC "
            "that sends messages needs them stored once (or 'ebs settings secret KEY').")))
        layout.addStretch(1)
        self.setWidget(inner)

    def _secret_rows(self, form: QFormLayout, keys: tuple[str, ...]) -> None:
        self.secret_edits: dict[str, QLineEdit] = getattr(self, "secret_edits", {})
        self.secret_states: dict[str, QLabel] = getattr(self, "secret_states", {})
        for key in keys:
            line = QHBoxLayout()
            edit = QLineEdit()
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText(self.tr("type it, then Store"))
            edit.setToolTip(SECRET_KEYS[key])
            state = muted("")
            store = QPushButton(icon("lock"), self.tr("Store"))
            store.clicked.connect(lambda _c=False, k=key: self.store_secret(k))
            line.addWidget(edit, 1)
            line.addWidget(store)
            self.secret_edits[key] = edit
            self.secret_states[key] = state
            form.addRow(key, line)
            form.addRow("", state)

    # -- loading ---------------------------------------------------------------------------
    def load(self) -> None:
        if not self.connected:
            return
        staff = self.staff

        def done(found: tuple[list[SettingValue], list[SecretState]]) -> None:
            values, secrets = found
            for value in values:
                edit = self.edits.get(value.key)
                if edit is None:
                    continue
                self.current[value.key] = value.text
                if isinstance(edit, QComboBox):
                    edit.setCurrentIndex(max(edit.findText(value.text), 0))
                else:
                    edit.setText(value.text)
            for state in secrets:
                self.secret_states[state.key].setText(
                    self.tr("stored in the keyring") if state.stored else self.tr("not stored"))

        self.call(lambda _t: (staff.settings.list_settings(), staff.settings.secret_states()),
                   done)

    def changes(self) -> dict[str, str]:
        out = {}
        for key, edit in self.edits.items():
            text = edit.currentText() if isinstance(edit, QComboBox) else edit.text().strip()
            if text != self.current.get(key, text):
                out[key] = text
        return out

    # -- saving ----------------------------------------------------------------------------
    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, EbsError):
            self.status.setText(str(exc))
        else:
            show_error(self, exc)

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.status.setText(self.tr("Nothing changed."))
            return
        staff = self.staff

        def done(changed: list[SettingValue]) -> None:
            for value in changed:
                self.current[value.key] = value.text
            self.status.setText(self.tr("Saved: {0}").format(
                ", ".join(f"{v.key} = {v.text}" for v in changed) or "—"))

        self.call(lambda _t: staff.settings.set_settings(changes), done,
                   failed=self._failed, changes={SETTINGS})

    def store_secret(self, key: str) -> None:
        value = self.secret_edits[key].text()
        if not value:
            self.status.setText(self.tr("{0}: type the secret first").format(key))
            return
        staff = self.staff

        def done(state: SecretState) -> None:
            self.secret_edits[key].clear()
            self.secret_states[key].setText(self.tr("stored in the keyring"))
            self.status.setText(self.tr("{0} stored in the OS keyring").format(key))

        self.call(lambda _t: staff.settings.set_secret(key, value), done, failed=self._failed)
