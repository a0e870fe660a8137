"""The audit viewer over a real demo database: who by name, what in words, before -> after,
filters by user, action, account and days, and failed sign-ins recorded and shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ebs_desktop.errors import AuthenticationError
from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.pages.admin_audit import AuditTab
from ebs_desktop.gui.qt import QDate
from ebs_desktop.persistence.models import Account, Customer, User
from ebs_desktop.services.account_edit import ContactDetails
from ebs_desktop.services.facade import StaffServices
from tests.gui.conftest import DEMO_PASSWORDS
from tests.gui.test_admin_page import admin_page


def _rows(tab: AuditTab) -> list[tuple[str, str, str]]:
    m = tab.model
    return [(m.index(r, 2).data(), m.index(r, 3).data(), m.index(r, 4).data())
            for r in range(m.rowCount())]


def _pick(combo: object, text: str) -> None:
    index = combo.findText(text)  # type: ignore[attr-defined]
    assert index >= 0, text
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


@dataclass
class Busy:
    hub: ServiceHub
    account_number: str
    old_phone: str


@pytest.fixture
def busy(demo_hub: ServiceHub) -> Busy:
    """Two wrong passwords for the clerk, an unknown user, and a phone number corrected."""
    backend = backend_for(demo_hub)
    for name, password in (("clerk", "wrong-1"), ("clerk", "wrong-2"), ("nobody", "x")):
        with pytest.raises(AuthenticationError):
            backend.authenticate(name, password)
    with demo_hub.db.read() as s:
        number, name, phone, email, address = s.execute(
            select(Account.account_number, Customer.name, Customer.phone, Customer.email,
                   Customer.address).join(Customer, Customer.id == Account.customer_id)
            .order_by(Account.id).limit(1)).one()
    admin = backend.authenticate("admin", DEMO_PASSWORDS["admin"])
    staff = StaffServices(demo_hub.db, admin)
    staff.accounts.edit_contact(number, ContactDetails(name, "+1 202 555 0199", email or "",
                                                       address))
    return Busy(demo_hub, number, phone or "")


def test_entries_read_as_words_with_names(qtbot: QtBot, busy: Busy) -> None:
    tab = admin_page(qtbot, busy.hub).audit
    rows = _rows(tab)
    number = busy.account_number
    old = busy.old_phone
    assert rows[0] == ("Ada Admin", "Signed in", "")  # newest first: the page's own sign-in
    edit = next(r for r in rows if r[1].startswith("Customer details changed"))
    assert edit[0] == "Ada Admin"
    assert edit[1] == f"Customer details changed: account {number}"
    assert edit[2] == f"phone: {old or '(empty)'} -> +12025550199"
    failed = [r for r in rows if r[1].startswith("Failed sign-in")]
    assert ("(not signed in)", "Failed sign-in as 'clerk': wrong password (2 in a row)",
            "") in failed
    assert ("(not signed in)", "Failed sign-in as 'nobody': unknown user", "") in failed
    tab.view.selectRow(rows.index(edit))
    assert "Ada Admin (admin)" in tab.detail.toPlainText()
    assert f"phone: {old or '(empty)'} -> +12025550199" in tab.detail.toPlainText()


def test_filters_by_user_action_account_and_days(qtbot: QtBot, busy: Busy) -> None:
    tab = admin_page(qtbot, busy.hub).audit
    everything = tab.model.rowCount()
    with busy.hub.db.read() as s:
        clerk_name = s.scalar(select(User.full_name).where(User.username == "clerk"))
    # the clerk: the two failed sign-ins against them (no entry of their own otherwise)
    _pick(tab.user_combo, f"{clerk_name} (clerk)")
    tab.apply_filter()
    rows = _rows(tab)
    assert [r[1] for r in rows] == [
        "Failed sign-in as 'clerk': wrong password (2 in a row)",
        "Failed sign-in as 'clerk': wrong password"]
    # failed sign-ins of anyone
    tab.clear_filter()
    assert tab.model.rowCount() == everything
    _pick(tab.action_combo, "Failed sign-ins and locks")
    tab.apply_filter()
    assert len(_rows(tab)) == 3 and all(r[1].startswith("Failed sign-in") for r in _rows(tab))
    assert tab.status.text() == "3 entries"
    # one account: its edit, and nothing else
    tab.clear_filter()
    tab.account.setText(busy.account_number)
    tab.apply_filter()
    assert [r[1].split(":")[0] for r in _rows(tab)] == ["Customer details changed"]
    # days (UTC): the demo was built today, so today holds everything, other days nothing
    def days(first: date | None, last: date | None) -> int:
        tab.clear_filter()
        for edit, day in ((tab.first, first), (tab.last, last)):
            if day is not None:
                edit.setDate(QDate(day.year, day.month, day.day))
        tab.apply_filter()
        return tab.model.rowCount()

    today = datetime.now(UTC).date()
    assert days(today, today) == everything
    assert days(None, today - timedelta(days=1)) == 0
    assert days(today + timedelta(days=1), None) == 0
    # an account that does not exist says so, in words
    tab.clear_filter()
    tab.account.setText("999")
    tab.apply_filter()
    assert tab.model.rowCount() == 0 and "no account '999'" in tab.status.text()
