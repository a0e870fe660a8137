"""Screens show what the signed-in role can do (issue 19, points 9 and 14): New account
and Edit only for those who may edit accounts, a form checked before any refusal, the
tariff following the category; counter and shift in the status bar only at a counter,
the database by name, Ctrl+numbers fixed per page, Refresh that reads the page again."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.dialogs.account_form import AccountForm
from ebs_desktop.gui.main_window import PAGE_NUMBERS, MainWindow
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.customers import CustomersPage
from ebs_desktop.gui.session import GuiUser, database_name
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.services.account_edit import ContactDetails
from tests.gui.conftest import DEMO_PASSWORDS


def signed_in(qtbot: QtBot, hub: ServiceHub, role: str) -> MainWindow:
    user = hub.sign_in(role, DEMO_PASSWORDS[role])
    w = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub),
                   hub.database_label)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


def customers(w: MainWindow) -> CustomersPage:
    w.show_page("customers")
    page = w.pages["customers"]
    assert isinstance(page, CustomersPage)
    page.table.selectRow(0)
    return page


@pytest.mark.parametrize(("role", "may_edit"), [("clerk", False), ("manager", False),
                                                ("billing", True)])
def test_new_account_and_edit_only_for_those_who_may(qtbot: QtBot, demo_hub: ServiceHub,
                                                     role: str, may_edit: bool) -> None:
    w = signed_in(qtbot, demo_hub, role)
    page = customers(w)
    assert page.panel.view is not None  # an account is open
    assert page.new_button.isVisible() is may_edit
    assert page.panel.edit_button.isVisible() is may_edit
    assert ("customers.new" in w.actions_by_id) is may_edit
    if not may_edit:
        assert page.trigger("customers.new") is False  # Ctrl+N opens no form


def test_the_form_names_a_mistake_before_anything_is_refused(qtbot: QtBot,
                                                             demo_hub: ServiceHub) -> None:
    demo_hub.sign_in("clerk", DEMO_PASSWORDS["clerk"])
    staff = demo_hub.staff
    number = staff.accounts.list_accounts(1)[0].account_number
    before = staff.accounts.account_details(number)
    form = AccountForm(lambda c: staff.accounts.edit_contact(number, c),
                       contact=ContactDetails(before.summary.name))
    qtbot.addWidget(form)
    form.show()
    form.phone.setText("12")
    form.submit()
    assert form.error.text() == "phone: '12' is not a phone number (6 to 15 digits)"
    form.phone.setText("+44 20 7946 0000")
    form.submit()  # the input is right: now the service refuses a clerk, in words
    assert form.error.text() == (
        "clerk (Counter clerk) may not create or edit accounts (account.edit)")
    assert form.result() != AccountForm.DialogCode.Accepted
    assert staff.accounts.account_details(number).summary.phone == before.summary.phone


def test_the_tariff_follows_the_category_until_picked(qtbot: QtBot,
                                                      demo_hub: ServiceHub) -> None:
    demo_hub.sign_in("billing", DEMO_PASSWORDS["billing"])
    staff = demo_hub.staff
    form = AccountForm(staff.accounts.create_account, staff.accounts.account_choices())
    qtbot.addWidget(form)
    assert form.category.currentText() == "residential"
    assert form.tariff.currentData() == "RES-1"
    form.category.setCurrentText("commercial")
    assert form.tariff.currentData() == "COM-TOU"
    form.category.setCurrentText("industrial")
    assert form.tariff.currentData() == "IND-MD"
    form.tariff.setCurrentIndex(form.tariff.findData("RES-1"))
    form.tariff.activated.emit(form.tariff.currentIndex())  # the person picked it
    form.category.setCurrentText("agricultural")
    assert form.tariff.currentData() == "RES-1"
    form.name.setText("Ada Okafor")
    form.address.setText("12 Palm Street")
    form.submit()
    assert form.result() == AccountForm.DialogCode.Accepted
    assert staff.accounts.account_details(str(form.result_value)).tariff_code == "RES-1"


@pytest.mark.parametrize(("role", "shown"), [("clerk", True), ("manager", False),
                                             ("billing", False), ("admin", False)])
def test_counter_and_shift_only_for_counter_staff(qtbot: QtBot, demo_hub: ServiceHub,
                                                  role: str, shown: bool) -> None:
    w = signed_in(qtbot, demo_hub, role)
    assert w.status_counter.isVisible() is shown
    assert w.status_shift.isVisible() is shown
    text = w.status_database.text()
    assert text == "Database: demo.sqlite3 on this PC"
    assert "://" not in text


@pytest.mark.parametrize(("url", "name"), [
    ("sqlite:////home/ann/.local/share/ebs/ebs.sqlite3", "ebs.sqlite3 on this PC"),
    ("sqlite:///C:\\Users\\ann\\ebs.sqlite3", "ebs.sqlite3 on this PC"),
    ("postgresql+psycopg://ebs:***@db.example:5432/ebs", "ebs on db.example:5432"),
    ("postgresql+psycopg://db.example/billing", "billing on db.example"),
    ("postgresql+psycopg:///ebs", "ebs on this PC"),
    ("sqlite://", "an in-memory database"),
])
def test_database_by_name(url: str, name: str) -> None:
    assert database_name(url) == name


def test_status_bar_never_shows_a_url(qtbot: QtBot) -> None:
    w = MainWindow(GuiUser("u", frozenset({"clerk"})), PageContext(),
                   "postgresql+psycopg://ebs:secret@db.example:5432/ebs")
    qtbot.addWidget(w)
    assert w.status_database.text() == "Database: ebs on db.example:5432"
    w.set_status(database="sqlite:////srv/x/ebs.sqlite3")
    assert w.status_database.text() == "Database: ebs.sqlite3 on this PC"


@pytest.mark.parametrize("roles", [("clerk",), ("manager",), ("billing",), ("admin",),
                                   ("reader",), ("clerk", "admin")])
def test_ctrl_numbers_are_the_same_page_in_every_role(qtbot: QtBot,
                                                      roles: tuple[str, ...]) -> None:
    w = MainWindow(GuiUser("u", frozenset(roles)), PageContext(), "x.sqlite3")
    qtbot.addWidget(w)
    for key in w.visible_pages():
        action = w.actions_by_id[f"page.{key}"]
        assert action.shortcut().toString() == f"Ctrl+{PAGE_NUMBERS[key]}"
    used = [a.shortcut().toString() for k, a in w.actions_by_id.items()
            if k.startswith("page.")]
    assert len(used) == len(set(used)) == len(w.visible_pages())


def test_clerk_ctrl_5_is_the_counter_and_ctrl_4_nothing(qtbot: QtBot) -> None:
    w = MainWindow(GuiUser("u", frozenset({"clerk"})), PageContext(), "x.sqlite3")
    qtbot.addWidget(w)
    assert PAGE_NUMBERS["home"] == 1 and PAGE_NUMBERS["customers"] == 2
    assert w.actions_by_id["page.counter"].shortcut().toString() == "Ctrl+5"
    assert "page.billing" not in w.actions_by_id
    w.actions_by_id["page.counter"].trigger()
    assert w.current_page() == "counter"


def test_refresh_reads_the_page_again_and_says_so(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    w = signed_in(qtbot, demo_hub, "billing")
    page = customers(w)
    assert page.panel.view is not None
    number = page.panel.view.details.summary.account_number
    # someone else renames the customer (another PC): nothing announces it here
    other = ServiceHub(demo_hub.db)
    other.sign_in("admin", DEMO_PASSWORDS["admin"])
    other.staff.accounts.edit_contact(number, ContactDetails(
        "Renamed Elsewhere", address=page.panel.view.details.summary.address))
    assert page.panel.title.text().startswith("Renamed Elsewhere") is False
    w.actions_by_id["window.refresh"].trigger()
    assert page.panel.title.text().startswith("Renamed Elsewhere")
    assert w.statusBar().currentMessage().startswith("Customers refreshed at ")


@pytest.mark.parametrize(("role", "may_take", "may_reprint"),
                         [("clerk", True, True), ("manager", False, False)])
def test_the_counter_offers_taking_payments_only_to_who_may(
        qtbot: QtBot, demo_hub: ServiceHub, role: str, may_take: bool,
        may_reprint: bool) -> None:
    w = signed_in(qtbot, demo_hub, role)
    w.show_page("counter")
    page = w.pages["counter"]
    assert page.take_button.isVisible() is may_take  # type: ignore[attr-defined]
    assert page.amount.isVisible() is may_take  # type: ignore[attr-defined]
    assert page.print_button.isVisible() is may_reprint  # type: ignore[attr-defined]
    assert page.reverse_button.isVisible()  # type: ignore[attr-defined]  # with approval


@pytest.mark.parametrize(("role", "may_run"), [("billing", True), ("manager", False)])
def test_approve_and_run_only_for_who_may_run_billing(qtbot: QtBot, demo_hub: ServiceHub,
                                                      role: str, may_run: bool) -> None:
    w = signed_in(qtbot, demo_hub, role)
    w.show_page("billing")
    page = w.pages["billing"]
    # on the "Billing run" tab, behind the tariffs: hidden or not, whichever tab shows
    assert page.approve.isHidden() is not may_run  # type: ignore[attr-defined]
    assert not page.dry_run.isHidden()  # type: ignore[attr-defined]
