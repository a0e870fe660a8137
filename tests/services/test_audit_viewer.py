"""The audit viewer's reads on both databases: entries in words, filtered by user, action,
account and days; failed sign-ins recorded (by ``services.auth``) and found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ebs_desktop.errors import AuthenticationError, NotFound
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services import auth
from ebs_desktop.services.account_edit import ContactDetails, edit_contact
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.audit import AuditFilter, count_entries, find_entries, staff_names
from ebs_desktop.services.demo import build_demo

ACTOR = system_actor("test")


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=5, months=2, until="2026-06")
    return db


def test_failed_sign_ins_are_recorded_and_found_by_user_action_and_day(demo: Database) -> None:
    for password in ("wrong-1", "wrong-2"):
        with pytest.raises(AuthenticationError):
            auth.login(demo, "clerk", password)
    clerk = next(n for n in staff_names(demo, ACTOR) if n.username == "clerk")
    by_user = find_entries(demo, ACTOR, AuditFilter(user_id=clerk.user_id), 0, 50)
    assert [e.what for e in by_user] == [
        "Failed sign-in as 'clerk': wrong password (2 in a row)",
        "Failed sign-in as 'clerk': wrong password"]
    assert {e.who for e in by_user} == {"(not signed in)"}
    failed = AuditFilter(actions=("user.login_failed",))
    assert count_entries(demo, ACTOR, failed) == 2
    today = datetime.now(UTC).date()
    assert count_entries(demo, ACTOR, AuditFilter(actions=("user.login_failed",),
                                                  first=today, last=today)) == 2
    assert count_entries(demo, ACTOR, AuditFilter(actions=("user.login_failed",),
                                                  last=today - timedelta(days=1))) == 0


def test_account_filter_finds_what_names_the_account(demo: Database) -> None:
    edit_contact(demo, ACTOR, "100000011",
                 ContactDetails("Jo Example", "+1 202 555 0100", "", "1 Road"))
    lines = find_entries(demo, ACTOR, AuditFilter(account="100000011"), 0, 50)
    assert len(lines) == 1 and lines[0].what == "Customer details changed: account 100000011"
    assert "name: " in lines[0].change and "-> Jo Example" in lines[0].change
    assert count_entries(demo, ACTOR, AuditFilter(account="100000011")) == 1
    with pytest.raises(NotFound, match="no account '42'"):
        count_entries(demo, ACTOR, AuditFilter(account="42"))
