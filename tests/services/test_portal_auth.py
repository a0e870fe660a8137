"""Portal sign-in services (issue 21), on SQLite and PostgreSQL, through the facades."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import func, select, text, update

from ebs_desktop.errors import AuthenticationError, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    OutboxMessage,
    PortalLogin,
    PortalSession,
    PortalToken,
)
from ebs_desktop.services import portal_auth
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.demo.portal import DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD
from ebs_desktop.services.facade import StaffServices
from ebs_desktop.services.facade.portal import CustomerSecurity, PortalGate

BASE = "https://portal.example.org"


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=4, months=3, until="2026-06")
    return db


def other_account(db: Database) -> tuple[str, str, int]:
    """An account the demo login does not hold: (number, its latest bill, that total)."""
    with db.read() as s:
        row = s.execute(text(
            "SELECT a.account_number, b.bill_number, b.total_minor FROM accounts a "
            "JOIN bills b ON b.account_id = a.id WHERE a.id NOT IN "
            "(SELECT account_id FROM portal_login_accounts) "
            "ORDER BY b.issue_date DESC, b.id DESC")).first()
    assert row is not None
    return str(row[0]), str(row[1]), int(row[2])


def outbox(db: Database, kind: str) -> list[dict[str, str]]:
    with db.read() as s:
        rows = s.execute(select(OutboxMessage.recipient, OutboxMessage.context)
                         .where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)).all()
    return [{"to": r, **json.loads(c)} for r, c in rows]


def token_of(message: dict[str, str]) -> str:
    return message["link"].rsplit("/", 1)[-1].rsplit("=", 1)[-1]


def counts(db: Database) -> tuple[int, ...]:
    with db.read() as s:
        return tuple(int(s.scalar(select(func.count()).select_from(t)) or 0)
                     for t in (PortalLogin, PortalToken, OutboxMessage, PortalSession))


def test_demo_login_signs_in_and_resolves_to_its_account(demo: Database) -> None:
    gate = PortalGate(demo)
    signed = gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE)
    assert not signed.needs_code
    who = gate.resolve(signed.secret)
    assert who is not None and who.kind == "customer" and len(who.accounts) == 1
    assert gate.resolve("not a session") is None
    gate.logout(signed.secret)
    assert gate.resolve(signed.secret) is None


def test_register_verify_sign_in_with_a_bill_total(demo: Database) -> None:
    gate = PortalGate(demo)
    number, _bill, total = other_account(demo)
    answer = gate.register(number, f"{total / 100:.2f}", "New.Person@Example.org",
                           "a good password", "a good password", base_url=BASE)
    assert "new.person@example.org" in answer.lower()
    with pytest.raises(AuthenticationError, match="confirm your email"):
        gate.login("new.person@example.org", "a good password", base_url=BASE)
    sent = outbox(demo, "portal_verify")
    assert sent[0]["to"].lower() == "new.person@example.org"
    assert sent[0]["link"].startswith(f"{BASE}/verify/")
    gate.verify_email(token_of(sent[0]))
    with pytest.raises(AuthenticationError, match="expired or has already been used"):
        gate.verify_email(token_of(sent[0]))  # single use
    who = gate.resolve(gate.login(" NEW.person@example.ORG ", "a good password",
                                  base_url=BASE).secret)
    assert who is not None and who.accounts == frozenset({number})


def test_register_answers_the_same_whatever_is_wrong(demo: Database) -> None:
    gate = PortalGate(demo)
    number, bill, _total = other_account(demo)
    before = counts(demo)
    wrong_proof = gate.register(number, "B-nonsense", "x@example.org", "password1",
                                "password1", base_url=BASE)
    no_account = gate.register("9999-9999-9", bill, "x@example.org", "password1",
                               "password1", base_url=BASE)
    assert wrong_proof == no_account
    assert counts(demo) == before  # no login, token or email for either
    # an address that already has a login: the same answer, nothing taken over
    taken = gate.register(number, bill, DEMO_PORTAL_EMAIL, "password1", "password1",
                          base_url=BASE)
    assert taken == wrong_proof.replace("x@example.org", DEMO_PORTAL_EMAIL)
    assert counts(demo) == before
    gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE)  # password unchanged


def test_register_refuses_bad_input_with_its_field(demo: Database) -> None:
    gate = PortalGate(demo)
    with pytest.raises(ValidationError) as bad:
        gate.register("1", "2", "not an address", "password1", "password1", base_url=BASE)
    assert bad.value.location == "email"
    with pytest.raises(ValidationError) as short:
        gate.register("1", "2", "a@example.org", "short", "short", base_url=BASE)
    assert short.value.location == "password"
    with pytest.raises(ValidationError) as differ:
        gate.register("1", "2", "a@example.org", "password1", "password2", base_url=BASE)
    assert differ.value.location == "password_confirm"


def test_five_wrong_passwords_throttle_the_address_even_with_the_right_one(
        demo: Database) -> None:
    gate = PortalGate(demo)
    for _ in range(portal_auth.EMAIL_LIMIT):
        with pytest.raises(AuthenticationError, match="Wrong email or password"):
            gate.login(DEMO_PORTAL_EMAIL, "wrong", base_url=BASE)
    with pytest.raises(AuthenticationError, match="paused for 15 minutes"):
        gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE)
    # the window passes: the right password works again
    with demo.write() as s:
        s.execute(text("UPDATE portal_throttle SET window_start = :t"),
                  {"t": datetime.now(UTC) - timedelta(minutes=16)})
    assert gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE).secret


def test_twenty_failures_from_one_address_throttle_it_for_every_email(demo: Database) -> None:
    gate = PortalGate(demo)
    here = portal_auth.Client(ip="203.0.113.9")
    for n in range(portal_auth.IP_LIMIT):
        with pytest.raises(AuthenticationError):
            gate.login(f"guess{n}@example.org", "wrong", base_url=BASE, client=here)
    with pytest.raises(AuthenticationError, match="paused"):
        gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE, client=here)
    elsewhere = portal_auth.Client(ip="198.51.100.7")
    assert gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE,
                      client=elsewhere).secret


def test_reset_token_works_once_and_not_after_expiry(demo: Database) -> None:
    gate = PortalGate(demo)
    old = gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE).secret
    unknown = gate.forgot_password("nobody@example.org", base_url=BASE)
    known = gate.forgot_password(DEMO_PORTAL_EMAIL, base_url=BASE)
    assert unknown.replace("nobody@example.org", DEMO_PORTAL_EMAIL) == known
    sent = outbox(demo, "portal_reset")
    assert len(sent) == 1 and sent[0]["to"] == DEMO_PORTAL_EMAIL
    token = token_of(sent[0])
    assert gate.reset_token_valid(token)
    gate.reset_password(token, "brand new pass", "brand new pass")
    assert gate.resolve(old) is None  # sessions from before the reset end
    with pytest.raises(AuthenticationError, match="already been used"):
        gate.reset_password(token, "another pass1", "another pass1")
    gate.forgot_password(DEMO_PORTAL_EMAIL, base_url=BASE)
    late = token_of(outbox(demo, "portal_reset")[-1])
    with demo.write() as s:
        s.execute(update(PortalToken).values(expires_at=datetime.now(UTC) - timedelta(1)))
    with pytest.raises(AuthenticationError, match="expired"):
        gate.reset_password(late, "another pass1", "another pass1")
    gate.login(DEMO_PORTAL_EMAIL, "brand new pass", base_url=BASE)


def test_password_change_refuses_sessions_from_before(demo: Database) -> None:
    gate = PortalGate(demo)
    first = gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE).secret
    second = gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE).secret
    who = gate.resolve(first)
    assert who is not None
    mine = CustomerSecurity(demo, who)
    with pytest.raises(ValidationError) as wrong:
        mine.change_password("not it", "changed pass", "changed pass")
    assert wrong.value.location == "current_password"
    fresh = mine.change_password(DEMO_PORTAL_PASSWORD, "changed pass", "changed pass")
    assert gate.resolve(first) is None and gate.resolve(second) is None
    assert gate.resolve(fresh) is not None
    # even a session un-revoked by hand is older than the change: refused
    with demo.write() as s:
        s.execute(update(PortalSession).values(revoked_at=None))
    assert gate.resolve(first) is None


def test_idle_and_absolute_timeouts(demo: Database) -> None:
    gate = PortalGate(demo)
    secret = gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE).secret
    now = datetime.now(UTC)
    with demo.write() as s:
        s.execute(update(PortalSession).values(last_seen_at=now - timedelta(minutes=31)))
    assert gate.resolve(secret) is None
    with demo.write() as s:
        s.execute(update(PortalSession).values(last_seen_at=now,
                                               expires_at=now - timedelta(seconds=1)))
    assert gate.resolve(secret) is None


def test_totp_second_step_and_logout_everywhere(demo: Database) -> None:
    gate = PortalGate(demo)
    who = gate.resolve(gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD,
                                  base_url=BASE).secret)
    assert who is not None
    mine = CustomerSecurity(demo, who)
    setup = mine.totp_begin()
    with pytest.raises(ValidationError):
        mine.totp_confirm("000000" if pyotp.TOTP(setup.secret).now() != "000000" else "1")
    mine.totp_confirm(pyotp.TOTP(setup.secret).now())
    pending = gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE)
    assert pending.needs_code and gate.resolve(pending.secret) is None
    with pytest.raises(AuthenticationError, match="code is not right"):
        gate.login_code(pending.secret, "12345x")
    full = gate.login_code(pending.secret, pyotp.TOTP(setup.secret).now())
    assert gate.resolve(full.secret) is not None
    assert mine.logout_everywhere() >= 2
    assert gate.resolve(full.secret) is None


def test_staff_invite_add_lock_and_activity(demo: Database) -> None:
    staff = StaffServices(demo, system_actor())
    number, _bill, _total = other_account(demo)
    link = staff.portal.invite(number, "invited@example.org", base_url=BASE)
    assert outbox(demo, "portal_invite")[0]["link"] == link
    gate = PortalGate(demo)
    token = link.rsplit("=", 1)[-1]
    assert gate.invite_account(token) == number
    gate.register("", "", "invited@example.org", "password12", "password12", base_url=BASE,
                  invite=token)
    assert gate.invite_account(token) is None  # used
    gate.verify_email(token_of(outbox(demo, "portal_verify")[-1]))
    assert gate.login("invited@example.org", "password12", base_url=BASE).secret
    staff.portal.add_user(number, "helped@example.org", "counter-pass")
    listed = {v.email: v for v in staff.portal.list_logins(number)}
    assert set(listed) == {"invited@example.org", "helped@example.org"}
    assert listed["helped@example.org"].verified
    session = gate.login("helped@example.org", "counter-pass", base_url=BASE).secret
    staff.portal.set_locked("helped@example.org", True, "asked by phone")
    assert gate.resolve(session) is None
    with pytest.raises(AuthenticationError, match="locked"):
        gate.login("helped@example.org", "counter-pass", base_url=BASE)
    staff.portal.set_locked("helped@example.org", False)
    assert gate.login("helped@example.org", "counter-pass", base_url=BASE).secret
    actions = [a.action for a in staff.portal.account_activity(number)]
    assert {"invited", "registered", "added_by_staff", "locked", "unlocked",
            "login"} <= set(actions)


def test_add_account_needs_the_proof(demo: Database) -> None:
    gate = PortalGate(demo)
    who = gate.resolve(gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD,
                                  base_url=BASE).secret)
    assert who is not None
    number, bill, _total = other_account(demo)
    mine = CustomerSecurity(demo, who)
    with pytest.raises(ValidationError) as wrong:
        mine.add_account(number, "nope")
    assert wrong.value.location == "proof"
    mine.add_account(number, bill)
    again = gate.resolve(gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD,
                                    base_url=BASE).secret)
    assert again is not None and number in again.accounts


def test_doors_refuse_the_wrong_principal(demo: Database) -> None:
    customer = Actor.customer(1, "a@example.org", [])
    with pytest.raises(PermissionDenied):
        PortalGate(demo, customer).login("a", "b", base_url=BASE)
    with pytest.raises(PermissionDenied):
        StaffServices(demo, Actor(None, "reader", frozenset({"reader"}))).portal.list_logins()
    with pytest.raises(PermissionDenied):
        CustomerSecurity(demo, Actor.job("portal")).security()


def test_reset_links_to_one_mailbox_are_limited(demo: Database) -> None:
    gate = PortalGate(demo)
    answers = {gate.forgot_password(DEMO_PORTAL_EMAIL, base_url=BASE) for _ in range(8)}
    assert len(answers) == 1
    assert len(outbox(demo, "portal_reset")) == portal_auth.EMAIL_LIMIT


def test_old_sessions_are_forgotten_at_the_next_sign_in(demo: Database) -> None:
    gate = PortalGate(demo)
    old = gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE).secret
    gate.logout(old)
    with demo.write() as s:
        s.execute(update(PortalSession).values(
            revoked_at=datetime.now(UTC) - timedelta(days=2)))
    gate.login(DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, base_url=BASE)
    with demo.read() as s:
        assert s.scalar(select(func.count()).select_from(PortalSession)) == 1


def test_portal_emails_render_in_the_accounts_language(demo: Database) -> None:
    from ebs_desktop.domain.notifications import Channel, Kind
    from ebs_desktop.services.notify.content import render

    number, bill, _total = other_account(demo)
    staff = StaffServices(demo, system_actor())
    from ebs_desktop.services.account_prefs import PreferencesChange

    staff.accounts.set_preferences(number, PreferencesChange(language="fr"))
    PortalGate(demo).register(number, bill, "lea@example.org", "password12", "password12",
                              base_url=BASE)
    with demo.read() as s:
        language, context = s.execute(select(OutboxMessage.language, OutboxMessage.context)
                                      .where(OutboxMessage.kind == "portal_verify")).one()
    assert language.startswith("fr")
    message = render(Kind.PORTAL_VERIFY, Channel.EMAIL, language, json.loads(context))
    assert "Confirmez votre adresse" in message.subject
    assert f"{BASE}/verify/" in message.text and "48 heures" in message.text
