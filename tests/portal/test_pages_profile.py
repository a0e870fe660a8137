"""The profile page over a small demo (both backends): it shows the account's contact and
preferences; a change goes through the counter's checks, is seen through the staff facade
and audited with who and from where; a bad phone or e-mail shows the form again with the
message and changes nothing; a missing CSRF token changes nothing; another customer's
account is a 404; the language chosen is the portal's."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import AuditEntry
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import StaffServices
from tests.support.portal_pages import client, csrf, paid_accounts

OPERATOR = system_actor("test")
NEW_PHONE = "+12025550147"


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=8, months=2, until="2026-06")
    return db


def _form(page: str, **changes: str) -> dict[str, str]:
    """The form as the page fills it (the values shown), with ``changes``."""
    import re
    values: dict[str, str] = {"csrf_token": csrf(page)}
    for name, value in re.findall(r'<input (?:id="[^"]+"|type="hidden") name="([^"]+)"'
                                  r'[^>]*value="([^"]*)"', page):
        values[name] = value
    for name, body in re.findall(r'<select id="[^"]+" name="(channel_[a-z_]+|language)"'
                                 r'[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        values[name] = chosen[1] if chosen else ""
    if 'name="paperless" type="checkbox" value="on" checked' in page:
        values["paperless"] = "on"
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def _audit_count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_the_profile_shows_the_contact_and_preferences(demo: Database) -> None:
    mine = paid_accounts(demo)[0]
    prefs = StaffServices(demo, OPERATOR).accounts.preferences(mine)
    page = client(demo, [mine]).get("/profile")
    assert page.status_code == 200
    assert "<h1>Profile</h1>" in page.text
    if prefs.email.address:
        assert f'value="{prefs.email.address}"' in page.text
    if prefs.phone.address:
        assert f'value="{prefs.phone.address}"' in page.text
    assert 'name="channel_final_notice"' in page.text
    final = page.text.split('name="channel_final_notice"', 1)[1].split("</select>", 1)[0]
    assert 'value="none"' not in final  # the law requires it
    assert ">Save</button>" in page.text and "csrf_token" in page.text


def test_a_change_is_seen_by_staff_and_audited_with_who_and_where(demo: Database) -> None:
    mine = paid_accounts(demo)[0]
    me = client(demo, [mine], email="ann@example.org", behind_proxy=True)
    page = me.get("/profile").text
    got = me.post("/profile", data=_form(page, phone=NEW_PHONE, quiet_from="22:30",
                                         quiet_to="7:00", channel_reminder="none",
                                         paperless="on"),
                  headers={"x-forwarded-for": "203.0.113.7"})
    assert got.status_code == 303 and got.headers["location"] == "/profile?saved=1"
    staff = StaffServices(demo, OPERATOR).accounts
    prefs = staff.preferences(mine)
    assert prefs.phone.address == NEW_PHONE
    assert prefs.quiet_hours == ("22:30", "07:00")
    assert prefs.chosen["reminder"] == ()
    assert prefs.paperless
    assert "bill_issued" not in prefs.chosen  # left as it was: still the default
    changes = staff.contact_changes(mine)
    edit = next(c for c in changes if c.what == "Customer details changed")
    assert edit.portal and edit.who == "ann@example.org (portal)"
    assert f"-> {NEW_PHONE}" in edit.change and "from: portal, 203.0.113.7" in edit.change
    pref = next(c for c in changes if c.what == "Delivery preferences changed")
    assert "quiet hours: (none) -> 22:30-07:00" in pref.change
    assert "from: portal, 203.0.113.7" in pref.change
    shown = me.get("/profile?saved=1").text
    assert "Saved." in shown and f'value="{NEW_PHONE}"' in shown


@pytest.mark.parametrize(("field", "value", "message"), [
    ("phone", "12", "is not a phone number"),
    ("phone", "+1 202 555", "is not a phone number"),
    ("email", "not-an-address", "is not an e-mail address"),
    ("quiet_from", "25:00", "is not a time of day HH:MM"),
])
def test_bad_input_shows_the_form_again_and_changes_nothing(
        demo: Database, field: str, value: str, message: str) -> None:
    mine = paid_accounts(demo)[0]
    before = StaffServices(demo, OPERATOR).accounts.preferences(mine)
    entries = _audit_count(demo)
    me = client(demo, [mine])
    page = me.get("/profile").text
    # a good change alongside the bad one: nothing at all is written
    other = {"phone": NEW_PHONE} if field != "phone" else {"email": "new@example.net"}
    got = me.post("/profile", data=_form(page, **{field: value}, quiet_to="07:00", **other))
    assert got.status_code == 400
    assert message in got.text
    assert f'id="error-{field}"' in got.text and 'aria-invalid="true"' in got.text
    assert f'value="{value}"' in got.text  # the form as typed
    assert StaffServices(demo, OPERATOR).accounts.preferences(mine) == before
    assert _audit_count(demo) == entries


def test_a_notice_the_law_requires_cannot_be_turned_off(demo: Database) -> None:
    mine = paid_accounts(demo)[0]
    me = client(demo, [mine])
    page = me.get("/profile").text
    got = me.post("/profile", data=_form(page, channel_final_notice="none"))
    assert got.status_code == 400 and "the law requires" in got.text
    assert 'id="error-channel_final_notice"' in got.text


def test_without_the_csrf_token_nothing_changes(demo: Database) -> None:
    mine = paid_accounts(demo)[0]
    entries = _audit_count(demo)
    me = client(demo, [mine])
    form = _form(me.get("/profile").text, phone=NEW_PHONE)
    for token in (None, "forged"):
        data = dict(form)
        if token is None:
            del data["csrf_token"]
        else:
            data["csrf_token"] = token
        assert me.post("/profile", data=data).status_code == 403
    assert StaffServices(demo, OPERATOR).accounts.preferences(mine).phone.address != NEW_PHONE
    assert _audit_count(demo) == entries


def test_another_customers_account_is_not_found(demo: Database) -> None:
    mine, theirs = paid_accounts(demo)[:2]
    entries = _audit_count(demo)
    me = client(demo, [mine])
    assert me.get(f"/profile?account={theirs}").status_code == 404
    form = _form(me.get("/profile").text, phone=NEW_PHONE, account_number=theirs)
    assert me.post("/profile", data=form).status_code == 404
    assert StaffServices(demo, OPERATOR).accounts.preferences(theirs).phone.address \
        != NEW_PHONE
    assert _audit_count(demo) == entries


def test_a_login_with_two_accounts_chooses_which_one(demo: Database) -> None:
    first, second = paid_accounts(demo)[:2]
    me = client(demo, [first, second])
    page = me.get(f"/profile?account={second}").text
    assert f'name="account_number" value="{second}"' in page
    got = me.post("/profile", data=_form(page, phone=NEW_PHONE))
    assert got.headers["location"] == f"/profile?account={second}&saved=1"
    staff = StaffServices(demo, OPERATOR).accounts
    assert staff.preferences(second).phone.address == NEW_PHONE
    assert staff.preferences(first).phone.address != NEW_PHONE
    # with several accounts, a form without the account changes none
    form = _form(page, phone="+12025550148")
    del form["account_number"]
    assert me.post("/profile", data=form).status_code == 400
    assert "+12025550148" not in {staff.preferences(n).phone.address for n in (first, second)}


def test_the_language_chosen_is_the_portals(demo: Database) -> None:
    mine = paid_accounts(demo)[0]
    me = client(demo, [mine])
    got = me.post("/profile", data=_form(me.get("/profile").text, language="fr"))
    assert got.status_code == 303
    page = me.get("/bills").text
    assert '<html lang="fr">' in page and "<h1>Factures</h1>" in page
    assert "Accueil" in page  # the menu too
    bill = StaffServices(demo, OPERATOR).accounts.account_view(mine).bills[0]
    from ebs_desktop.domain.formatting import format_money
    assert format_money(bill.total, "fr") in page
