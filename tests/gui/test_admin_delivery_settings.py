"""Issue 20, point 3 on the admin screen: the delivery settings tab over a real demo
database: values shown, a change saved and audited, a wrong value named and nothing
stored, a secret sent to the keyring (a keyring backend held in memory)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

import pytest
from pytestqt.qtbot import QtBot

from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.qt import QComboBox, QLineEdit
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.notify_settings import current_notify_settings
from tests.gui.test_admin_page import admin_page


class _Store:
    values: ClassVar[dict[tuple[str, str], str]] = {}


@pytest.fixture
def memory_keyring() -> object:
    import keyring
    from keyring.backend import KeyringBackend

    class Backend(KeyringBackend):
        priority = 10  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return _Store.values.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            _Store.values[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            _Store.values.pop((service, username), None)

    _Store.values = {}
    previous = keyring.get_keyring()
    keyring.set_keyring(Backend())
    yield _Store.values
    keyring.set_keyring(previous)


def test_delivery_settings_tab(qtbot: QtBot, demo_hub: ServiceHub, memory_keyring: object,
                               tmp_path: Path) -> None:
    page = admin_page(qtbot, demo_hub)
    tab = page.delivery
    page.tabs.setCurrentWidget(tab)
    host = tab.edits["smtp.host"]
    security = tab.edits["smtp.security"]
    assert isinstance(host, QLineEdit) and isinstance(security, QComboBox)
    assert host.text() == "localhost" and security.currentText() == "none"
    assert tab.edits["notify.check_email_domain"].currentText() == "false"  # the demo's
    assert tab.secret_states["smtp.password"].text() == "not stored"
    host.setText("mail.riverside.test")
    security.setCurrentText("starttls")
    tab.edits["smtp.port"].setText("587")  # type: ignore[union-attr]
    tab.save()
    assert tab.status.text().startswith("Saved: ")
    found = current_notify_settings(demo_hub.db, system_actor("t"))
    assert (found.smtp_host, found.smtp_port, found.smtp_security) == (
        "mail.riverside.test", 587, "starttls")
    tab.edits["sms.quiet_end"].setText("7 pm")  # type: ignore[union-attr]
    tab.edits["sms.sender"].setText("Riverside2")  # type: ignore[union-attr]
    tab.save()
    assert tab.status.text() == ("setting sms.quiet_end: '7 pm' is not a time of day HH:MM "
                                 "(00:00 to 23:59)")
    assert current_notify_settings(demo_hub.db, system_actor("t")).sms_sender == "Riverside"
    tab.secret_edits["smtp.password"].setText("s3cret")
    tab.store_secret("smtp.password")
    assert list(memory_keyring.values()) == ["s3cret"]  # type: ignore[attr-defined]
    assert tab.secret_states["smtp.password"].text() == "stored in the keyring"
    assert tab.secret_edits["smtp.password"].text() == ""
    if os.environ.get("EBS_SHOTS"):
        window = page.window()
        window.resize(1366, 768)
        window.grab().save(str(Path(os.environ["EBS_SHOTS"]) / "admin-delivery.png"))


def test_dunning_settings_on_the_delivery_tab(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    """Issue 20 (d): every ``dunning.*`` key is on the admin screen like the other
    documented keys; a change reaches the rules the dunning run reads, a wrong value is
    named and nothing is stored."""
    from ebs_desktop.domain.dunning import SETTING_KEYS
    from ebs_desktop.services.dunning import rules_of

    page = admin_page(qtbot, demo_hub)
    tab = page.delivery
    page.tabs.setCurrentWidget(tab)
    assert set(SETTING_KEYS) <= set(tab.edits)
    days = tab.edits["dunning.overdue_days"]
    fee = tab.edits["dunning.reconnection_fee"]
    assert isinstance(days, QLineEdit) and isinstance(fee, QLineEdit)
    assert days.text() == "7" and fee.text() == "25.00"
    assert days.toolTip() == SETTING_KEYS["dunning.overdue_days"][2]
    days.setText("9")
    fee.setText("30.50")
    tab.save()
    assert tab.status.text().startswith("Saved: ")
    with demo_hub.db.read() as s:
        rules = rules_of(s)
    assert (rules.overdue_days, rules.reconnection_fee) == (9, 3050)
    tab.edits["dunning.moratorium"].setText("13-01..03-15")  # type: ignore[union-attr]
    tab.edits["dunning.grace_days"].setText("2")  # type: ignore[union-attr]
    tab.save()
    assert "dunning.moratorium" in tab.status.text()
    with demo_hub.db.read() as s:
        assert rules_of(s).grace_days == 5  # nothing stored
