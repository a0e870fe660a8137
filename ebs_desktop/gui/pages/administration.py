"""Administration: users and roles, the audit log with its verification, utility settings,
the counter this PC serves, and the database connection.

Every change goes through a service that checks ``user.manage`` / ``settings.edit`` and
writes the audit log; this page only collects the values. The audit log is a lazy list
keyed on its contiguous ids (newest first), so it opens at once on millions of entries.
The database connection chosen here is a local setting applied at the next start; a
PostgreSQL password goes to the OS keyring, never to a file.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from ebs_desktop.errors import EbsError
from ebs_desktop.gui import settings as local
from ebs_desktop.gui.backend import KEY_COUNTER, KEY_DATABASE_URL
from ebs_desktop.gui.changes import COUNTERS, SETTINGS, USERS, DataChange
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.pages.admin_audit import AuditTab
from ebs_desktop.gui.pages.admin_printers import PrintersTab
from ebs_desktop.gui.pages.admin_settings import DeliverySettingsTab
from ebs_desktop.gui.pages.admin_templates import TemplatesTab
from ebs_desktop.gui.pages.admin_users import UsersTab
from ebs_desktop.gui.pages.base import Page
from ebs_desktop.gui.qt import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.tasks import show_error
from ebs_desktop.gui.widgets import banner, muted
from ebs_desktop.services.connection import remember_password
from ebs_desktop.services.screens import Choice
from ebs_desktop.services.settings import UtilitySettings


class AdministrationPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.users = UsersTab(self.context)
        self.tabs.addTab(self.users, icon("user"), self.tr("Users and roles"))
        self.audit = AuditTab(self.context)  # the audit viewer: gui/pages/admin_audit.py
        self.tabs.addTab(self.audit, icon("lock"), self.tr("Audit log"))
        self.tabs.addTab(self._settings_tab(), icon("admin"), self.tr("Utility settings"))
        self.delivery = DeliverySettingsTab(self.context)  # gui/pages/admin_settings.py
        self.tabs.addTab(self.delivery, icon("info"), self.tr("Delivery settings"))
        self.tabs.addTab(self._counter_tab(), icon("counter"), self.tr("This PC's counter"))
        self.printers = PrintersTab(self.context)
        self.tabs.addTab(self.printers, icon("print"), self.tr("Counters and printers"))
        self.tabs.addTab(self._database_tab(), icon("database"), self.tr("Database"))
        self.templates = TemplatesTab(self.context)
        self.tabs.addTab(self.templates, icon("mail"), self.tr("Message templates"))
        layout.addWidget(self.tabs, 1)
        self._loaded = False
        return body

    # -- settings ----------------------------------------------------------------------------
    def _settings_tab(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        inner = QWidget()
        v = QVBoxLayout(inner)
        form = QFormLayout()
        self.setting_edits: dict[str, QLineEdit] = {}
        for f in fields(UtilitySettings):
            edit = QLineEdit()
            self.setting_edits[f.name] = edit
            form.addRow(f.name.replace("_", " ").capitalize(), edit)
        v.addLayout(form)
        row = QHBoxLayout()
        self.settings_status = muted("")
        row.addWidget(self.settings_status, 1)
        self.save_settings_button = QPushButton(icon("check"), self.tr("Save settings"))
        self.save_settings_button.setProperty("primary", True)
        self.save_settings_button.clicked.connect(self.save_settings)
        row.addWidget(self.save_settings_button)
        v.addLayout(row)
        v.addStretch(1)
        scroll.setWidget(inner)
        return scroll

    def load_settings(self) -> None:
        """The edits show the settings snapshot (read again after each change)."""
        self.current_settings = self.settings
        for key, value in asdict(self.current_settings).items():
            self.setting_edits[key].setText(str(value))

    def save_settings(self) -> None:
        current = asdict(self.current_settings)
        changes: dict[str, Any] = {}
        try:
            for key, edit in self.setting_edits.items():
                text = edit.text().strip()
                if text == str(current[key]):
                    continue
                if isinstance(current[key], int):
                    if not text.isdigit():
                        raise EbsError(f"setting {key}: {text!r} is not a whole number")
                    changes[key] = int(text)
                else:
                    changes[key] = text
        except EbsError as exc:
            self.settings_status.setText(str(exc))
            return
        staff = self.staff

        def failed(exc: BaseException) -> None:
            if isinstance(exc, EbsError):
                self.settings_status.setText(str(exc))
            else:
                show_error(self, exc)

        self.call(lambda _task: staff.settings.update_settings(changes),
                  lambda after: self.settings_status.setText(
                      self.tr("Saved: {0}").format(", ".join(after) or "—")),
                  failed=failed, changes={SETTINGS})

    # -- counter of this PC ------------------------------------------------------------------
    def _counter_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.counter_combo = QComboBox()
        self.counter_combo.setMinimumWidth(260)
        form.addRow(self.tr("This PC is counter"), self.counter_combo)
        save = QPushButton(icon("check"), self.tr("Use this counter"))
        save.clicked.connect(self.save_counter)
        form.addRow("", save)
        form.addRow("", muted(self.tr("Kept on this PC only; the status bar shows it. Receipt "
                                      "numbers follow the counter's own series.")))
        return tab

    def load_counters(self) -> None:
        staff = self.staff

        def done(counters: list[Choice]) -> None:
            self.counter_combo.clear()
            self.counter_combo.addItem(self.tr("(none)"), "")
            for counter in counters:
                self.counter_combo.addItem(counter.label, counter.code)
            index = self.counter_combo.findData(local.get_str(KEY_COUNTER))
            self.counter_combo.setCurrentIndex(max(index, 0))

        self.call(lambda _task: staff.screens.counter_choices(), done)

    def save_counter(self) -> None:
        code = str(self.counter_combo.currentData() or "")
        local.set_value(KEY_COUNTER, code)
        self.hub.counter_code = code
        window = self.window()
        if hasattr(window, "set_status"):
            window.set_status(counter=code or self.tr("none"))

    # -- database ----------------------------------------------------------------------------
    def _database_tab(self) -> QWidget:
        tab = QWidget()
        v = QVBoxLayout(tab)
        form = QFormLayout()
        self.db_current = QLabel("—")
        self.db_current.setWordWrap(True)
        form.addRow(self.tr("In use now"), self.db_current)
        self.db_kind = QComboBox()
        self.db_kind.addItem(self.tr("SQLite file on this PC"), "sqlite")
        self.db_kind.addItem(self.tr("PostgreSQL server"), "postgresql")
        form.addRow(self.tr("Kind"), self.db_kind)
        self.db_target = QLineEdit()
        self.db_target.setPlaceholderText(
            self.tr("/path/to/ebs.sqlite3  or  postgresql+psycopg://user@host:5432/ebs"))
        form.addRow(self.tr("File or URL"), self.db_target)
        self.db_password = QLineEdit()
        self.db_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.db_password.setPlaceholderText(self.tr("PostgreSQL only; stored in the OS keyring"))
        form.addRow(self.tr("Password"), self.db_password)
        v.addLayout(form)
        save = QPushButton(icon("database"), self.tr("Use at next start"))
        save.clicked.connect(self.save_database)
        v.addWidget(save)
        self.db_status = banner(self.tr("The connection is applied at the next start; "
                                        "--db and EBS_DATABASE_URL still take precedence."))
        v.addWidget(self.db_status)
        v.addStretch(1)
        return tab

    def save_database(self) -> None:
        target = self.db_target.text().strip()
        if self.db_kind.currentData() == "sqlite":
            url = target if target.startswith("sqlite") else f"sqlite:///{target}"
        else:
            url = target
            if not url.startswith("postgresql"):
                self.db_status.setText(self.tr("A PostgreSQL URL starts with postgresql+psycopg://"))
                return
            if self.db_password.text():
                try:
                    remember_password(url, self.db_password.text())
                except EbsError as exc:
                    self.db_status.setText(str(exc))
                    return
                self.db_password.clear()
        if not target:
            self.db_status.setText(self.tr("Enter a file or a URL."))
            return
        local.set_value(KEY_DATABASE_URL, url)
        self.db_status.setText(self.tr("Saved: {0} will be opened at the next start.").format(url))

    # -- page --------------------------------------------------------------------------------
    def data_changed(self, change: DataChange) -> None:
        if not self._loaded:
            return
        if change.touches(USERS):
            self.users.load()
        if change.touches(SETTINGS):
            self.load_settings()
            self.delivery.load()
        if change.touches(COUNTERS):
            self.printers.load()
            self.load_counters()

    def refresh(self) -> bool:
        """Every tab read again (users, audit log, settings, counters, printers)."""
        if not (self.available and self.connected):
            return False
        self._loaded = False
        self.activated()
        return True

    def activated(self) -> None:
        if not self.available or not self.connected or self._loaded:
            return
        self._loaded = True
        # by name as everywhere, and here (administrators only) its address without password
        self.db_current.setText(f"{self.hub.database_label}\n{self.hub.db.display_name}")
        self.users.load()
        self.audit.activate()
        self.load_settings()
        self.delivery.load()
        self.load_counters()
        self.printers.load()
        self.templates.load()


PAGE = AdministrationPage
