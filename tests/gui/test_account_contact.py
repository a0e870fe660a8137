"""Issue 20, points 2 and 8 on the account page: the "Contact and delivery" tab shows the
contact's status (unreachable with the provider's words), the preferences and where each
kind of message goes; a billing officer changes them, a notice the law requires cannot be
turned off, a clerk sees them read-only. Over a real demo database."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.pages.customers import CustomersPage
from ebs_desktop.persistence.models import Account, Customer
from ebs_desktop.services.account_prefs import account_preferences
from ebs_desktop.services.actor import system_actor
from tests.gui.test_real_backend import _search, signed_in


def _page(qtbot: QtBot, hub: ServiceHub, role: str, number: str) -> CustomersPage:
    window = signed_in(qtbot, hub, role)
    window.resize(1366, 768)
    window.show_page("customers")
    page = window.pages["customers"]
    assert isinstance(page, CustomersPage)
    assert _search(qtbot, page, number) == [number]
    page.panel.tabs.setCurrentWidget(page.panel.contact)
    return page


def test_contact_tab_shows_status_and_saves_preferences(qtbot: QtBot,
                                                        demo_hub: ServiceHub) -> None:
    with demo_hub.db.write() as s:
        number, customer_id = s.execute(select(Account.account_number, Account.customer_id)
                                        .where(Account.id == 2)).one()
        s.execute(update(Customer).where(Customer.id == customer_id).values(
            email_status="unreachable", email_problem="550 5.1.1 mailbox unknown"))
    page = _page(qtbot, demo_hub, "billing", number)
    tab = page.panel.contact
    assert tab.view is not None and tab.view.account_number == number
    assert tab.email.text().endswith("(unreachable: 550 5.1.1 mailbox unknown)")
    assert tab.phone.text().endswith("(ok)")
    rows = {tab.kinds_model.index(r, 0).data(): (tab.kinds_model.index(r, 1).data(),
                                                 tab.kinds_model.index(r, 2).data())
            for r in range(tab.kinds_model.rowCount())}
    assert rows["overdue notice"][1].startswith("sms +1")  # the e-mail bounced
    assert rows["final notice"][0] == "default (required by law)"
    if os.environ.get("EBS_SHOTS"):
        page.window().grab().save(str(Path(os.environ["EBS_SHOTS"]) / "account-contact.png"))
    # SMS only for bill notices, paperless, no reminders
    tab.paperless.setChecked(True)
    tab.reminders.setChecked(False)
    tab.kind.setCurrentIndex(tab.kind.findData("bill_issued"))
    tab.channel.setCurrentIndex(tab.channel.findData("SMS"))
    tab.save()
    assert tab.status.text() == "Preferences saved."
    stored = account_preferences(demo_hub.db, system_actor("t"), number)
    assert stored.paperless and not stored.reminders
    assert stored.chosen["bill_issued"] == ("sms",)
    # a notice the law requires cannot be turned off: refused in words, nothing stored
    tab.kind.setCurrentIndex(tab.kind.findData("disconnection_notice"))
    tab.channel.setCurrentIndex(tab.channel.findData("none"))
    tab.save()
    assert "disconnection_notice is a notice the law requires" in tab.status.text()
    assert "disconnection_notice" not in account_preferences(
        demo_hub.db, system_actor("t"), number).chosen


def test_a_clerk_sees_the_preferences_read_only(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    with demo_hub.db.read() as s:
        number = s.scalar(select(Account.account_number).where(Account.id == 3))
    assert number is not None
    page = _page(qtbot, demo_hub, "clerk", number)
    tab = page.panel.contact
    assert tab.view is not None and tab.view.account_number == number
    assert not tab.save_button.isEnabled() and not tab.paperless.isEnabled()


def test_a_portal_change_reads_well_in_the_recent_changes(qtbot: QtBot,
                                                          demo_hub: ServiceHub) -> None:
    from ebs_desktop.services.actor import Actor
    from ebs_desktop.services.customer_profile import ProfileChange
    from ebs_desktop.services.facade import CustomerServices

    with demo_hub.db.read() as s:
        number = s.scalar(select(Account.account_number).where(Account.id == 4))
    assert number is not None
    me = CustomerServices(demo_hub.db, Actor.customer(9, "ann@example.org", [number]))
    before = me.profile(number)
    me.update_profile(number, ProfileChange(email=before.email, phone="+12025550188",
                                            paperless=before.paperless,
                                            quiet_hours=("22:00", "07:30")),
                      client_ip="203.0.113.9")
    page = _page(qtbot, demo_hub, "clerk", number)
    tab = page.panel.contact
    qtbot.waitUntil(lambda: tab.changes_model.rowCount() >= 2)
    rows = [tuple(tab.changes_model.index(r, c).data() for c in range(4))
            for r in range(tab.changes_model.rowCount())]
    edit = next(r for r in rows if r[2] == "Customer details changed")
    assert edit[1] == "ann@example.org (portal)"
    assert "-> +12025550188" in edit[3] and "from: portal, 203.0.113.9" in edit[3]
    prefs = next(r for r in rows if r[2] == "Delivery preferences changed")
    assert "quiet hours: (none) -> 22:00-07:30" in prefs[3]
    assert tab.quiet_from.text() == "22:00" and tab.quiet_to.text() == "07:30"
