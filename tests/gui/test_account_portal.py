"""Issue 21, point 8 on the account page: the "Portal" tab shows who can see the account in
the customer portal and what they did there; a clerk invites the customer and locks a
login; a billing officer sees it read-only. Over a real demo database."""

from __future__ import annotations

import json

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ebs_desktop.errors import AuthenticationError
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.pages.customers import CustomersPage
from ebs_desktop.persistence.models import Account, OutboxMessage, PortalLoginAccount
from ebs_desktop.services.demo.portal import DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD
from ebs_desktop.services.facade.portal import PortalGate
from tests.gui.test_real_backend import _search, signed_in


def _page(qtbot: QtBot, hub: ServiceHub, role: str, number: str) -> CustomersPage:
    window = signed_in(qtbot, hub, role)
    window.show_page("customers")
    page = window.pages["customers"]
    assert isinstance(page, CustomersPage)
    assert _search(qtbot, page, number) == [number]
    page.panel.tabs.setCurrentWidget(page.panel.portal)
    return page


def _demo_account(hub: ServiceHub) -> str:
    with hub.db.read() as s:
        number = s.scalar(select(Account.account_number).join(
            PortalLoginAccount, PortalLoginAccount.account_id == Account.id))
    assert number is not None
    return str(number)


def test_clerk_sees_access_locks_and_invites(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    number = _demo_account(demo_hub)
    gate = PortalGate(demo_hub.db)
    gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url="http://x")
    tab = _page(qtbot, demo_hub, "clerk", number).panel.portal
    assert tab.view is not None and tab.view.account_number == number
    assert tab.logins_model.index(0, 0).data() == DEMO_PORTAL_EMAIL
    assert tab.logins_model.index(0, 1).data() == "confirmed"
    whats = {tab.activity_model.index(r, 2).data()
             for r in range(tab.activity_model.rowCount())}
    assert "signed in" in whats
    tab.logins.selectRow(0)
    tab.lock_button.click()
    assert tab.logins_model.index(0, 1).data() == "locked"
    with pytest.raises(AuthenticationError, match="locked"):
        gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url="http://x")
    tab.unlock_button.click()
    assert tab.logins_model.index(0, 1).data() == "confirmed"
    qtbot.keyClicks(tab.invite_email, "not an address")
    tab.invite_button.click()
    assert "not an e-mail address" in tab.status.text()
    tab.invite_email.clear()
    qtbot.keyClicks(tab.invite_email, "tenant@example.org")
    tab.invite_button.click()
    assert tab.status.text().startswith("Invitation queued to tenant@example.org")
    with demo_hub.db.read() as s:
        sent = s.execute(select(OutboxMessage.recipient, OutboxMessage.context)
                         .where(OutboxMessage.kind == "portal_invite")).all()
    assert [r for r, _c in sent] == ["tenant@example.org"]
    assert "/register?invite=" in json.loads(sent[0][1])["link"]


def test_billing_sees_portal_access_read_only(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    tab = _page(qtbot, demo_hub, "billing", _demo_account(demo_hub)).panel.portal
    assert tab.view is not None and len(tab.view.logins) == 1
    assert tab.lock_button.isHidden() and tab.invite_button.isHidden()
