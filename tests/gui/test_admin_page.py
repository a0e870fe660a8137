"""Administration over a real demo database: add a user who can then sign in; audit log
viewer and verification; settings saved and audited."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.administration import AdministrationPage
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.qt import QTimer
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.persistence.models import AuditEntry
from ebs_desktop.services.settings import get_settings
from tests.gui.conftest import DEMO_PASSWORDS


def admin_page(qtbot: QtBot, hub: ServiceHub) -> AdministrationPage:
    user = backend_for(hub).authenticate("admin", DEMO_PASSWORDS["admin"])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub), "demo")
    qtbot.addWidget(window)
    window.show_page("administration")
    page = window.pages["administration"]
    assert isinstance(page, AdministrationPage)
    return page


def test_admin_adds_a_user_who_can_then_sign_in(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    page = admin_page(qtbot, demo_hub)
    tab = page.users
    before = tab.model.rowCount()
    assert before >= 5

    def fill() -> None:
        d = tab.dialog
        d.username.setText("nadia")
        d.full_name.setText("Nadia Cashier")
        d.password.setText("a-long-enough-pass-1")
        d.accept()

    QTimer.singleShot(0, fill)
    tab.add_user()
    names = [tab.model.index(r, 0).data() for r in range(tab.model.rowCount())]
    assert tab.model.rowCount() == before + 1 and "nadia" in names
    actor = backend_for(demo_hub).authenticate("nadia", "a-long-enough-pass-1")
    assert actor.roles == frozenset({"clerk"})


def test_audit_log_lazy_list_and_verify(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    page = admin_page(qtbot, demo_hub)
    with demo_hub.db.read() as s:
        entries = int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)
    audit = page.audit
    assert audit.model.rowCount() == entries > 0
    assert audit.model.index(0, 3).data() == "Signed in"  # newest first: ours
    assert audit.model.index(0, 2).data() == "Ada Admin"  # who, by name
    assert audit.model.index(entries - 1, 0).data(0x0100) == 1
    audit.verify()
    assert audit.verify_label.text().startswith(f"Chain intact: {entries} entries")


def test_settings_saved_and_audited(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    page = admin_page(qtbot, demo_hub)
    page.setting_edits["bill_due_days"].setText("21")
    page.setting_edits["receipt_footer"].setText("Merci!")
    page.save_settings()
    with demo_hub.db.read() as s:
        stored = get_settings(s)
        action, after = s.execute(select(AuditEntry.action, AuditEntry.after)
                                  .order_by(AuditEntry.id.desc())).first()
    assert stored.bill_due_days == 21 and stored.receipt_footer == "Merci!"
    assert action == "settings.edit" and "Merci!" in (after or "")
    page.setting_edits["bill_due_days"].setText("three")
    page.save_settings()
    assert "bill_due_days" in page.settings_status.text()
