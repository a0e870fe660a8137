"""Issue 20, points 8 and 11: preferences and consent per account, contact details checked
at entry, contact status, and the demo's customers (example domains, fictional mobiles,
some paperless, some SMS-only). On both backends."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from ebs_desktop.cli.main import cli
from ebs_desktop.domain.contacts import clean_phone
from ebs_desktop.domain.notifications import Kind
from ebs_desktop.errors import PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    AccountPreferences,
    AuditEntry,
    Customer,
    OutboxMessage,
)
from ebs_desktop.persistence.stores import outbox
from ebs_desktop.services import notify_settings
from ebs_desktop.services.account_edit import ContactDetails, edit_contact
from ebs_desktop.services.account_prefs import (
    PreferencesChange,
    account_preferences,
    set_preferences,
)
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo
from tests.support.dns_server import dns_server

ADMIN = system_actor("test")
CLERK = Actor(None, "clerk", frozenset({"clerk"}))


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=40, months=2, until="2026-06")
    return db


def _account(db: Database, serial: int) -> str:
    with db.read() as s:
        return str(s.scalar(select(Account.account_number).where(Account.id == serial)))


def test_the_demo_has_contacts_on_reserved_ranges_and_preferences(demo: Database) -> None:
    with demo.read() as s:
        rows = s.execute(select(Customer.id, Customer.email, Customer.phone)).all()
        prefs = {r.account_id: r for r in s.execute(select(
            AccountPreferences.account_id, AccountPreferences.paperless,
            AccountPreferences.language, AccountPreferences.reminders,
            AccountPreferences.channels))}
    emails = [r.email for r in rows if r.email]
    phones = [r.phone for r in rows if r.phone]
    assert len(rows) == 40 and len(emails) == 34 and len(phones) == 36  # most have both
    assert all(e.rsplit("@", 1)[1] in ("example.com", "example.net", "example.org")
               for e in emails)
    assert {e.rsplit("@", 1)[1] for e in emails} == {"example.com", "example.net",
                                                     "example.org"}
    assert all(clean_phone(p, "US") == p and p[5:9] == "5550" for p in phones)
    assert len(set(phones)) == len(phones)
    sms_only = [r.id for r in rows if r.email is None and r.phone]
    assert sms_only and all(json.loads(prefs[i].channels or "{}").get("bill_issued") == ["sms"]
                            for i in sms_only)
    paperless = [i for i, p in prefs.items() if p.paperless]
    assert 8 <= len(paperless) <= 16
    assert any(p.language == "fr" for p in prefs.values())
    assert any(not p.reminders for p in prefs.values())
    # the demo's addresses take no mail: the domain check is off there
    assert not notify_settings.current_notify_settings(demo, ADMIN).notify_check_email_domain


def test_preferences_change_where_messages_go_and_are_audited(demo: Database) -> None:
    number = _account(demo, 1)  # e-mail and phone, no preferences of its own
    view = account_preferences(demo, CLERK, number)
    assert not view.stored and view.email.text == "ok" and view.phone.text == "ok"
    assert [c for c, _ in view.routes["bill_issued"]] == ["email"]
    changed = set_preferences(demo, ADMIN, number, PreferencesChange(
        paperless=True, language="fr", reminders=False,
        channels={"bill_issued": ["sms", "email", "sms"], "payment_posted": []}))
    assert changed.paperless and changed.language == "fr" and not changed.reminders
    assert changed.chosen == {"bill_issued": ("sms", "email"), "payment_posted": ()}
    assert changed.routes["reminder"] == () and changed.routes["payment_posted"] == ()
    with demo.read() as s:
        entry = s.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert entry is not None and entry.action == "customer.preferences"
        assert '"paperless":false' in (entry.before or "")
        assert f'"account":"{number}"' in (entry.after or "")
    # the outbox follows: the bill notice by SMS and e-mail, in French; no reminder
    with demo.write() as s:
        account_id = s.scalar(select(Account.id).where(Account.account_number == number))
        assert account_id is not None
        outbox.enqueue(s, kind=Kind.BILL_ISSUED, account_id=account_id, dedupe_key="t:bill",
                       context={}, language="en")
        assert outbox.enqueue(s, kind=Kind.REMINDER, account_id=account_id,
                              dedupe_key="t:rem", context={}, language="en") == 0
    with demo.read() as s:
        sent = s.execute(select(OutboxMessage.channel, OutboxMessage.language)
                         .where(OutboxMessage.dedupe_key.like("t:%"))
                         .order_by(OutboxMessage.channel)).all()
    assert [tuple(r) for r in sent] == [("email", "fr"), ("sms", "fr")]
    # back to the defaults for one kind; the same change twice writes nothing more
    back = set_preferences(demo, ADMIN, number, PreferencesChange(
        channels={"bill_issued": None}))
    assert "bill_issued" not in back.chosen
    with demo.read() as s:
        count = s.scalar(select(func.count()).select_from(AuditEntry))
    set_preferences(demo, ADMIN, number, PreferencesChange(reminders=False))
    with demo.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == count


@pytest.mark.parametrize(("change", "words"), [
    (PreferencesChange(channels={"final_notice": []}),
     "channels: final_notice is a notice the law requires"),
    (PreferencesChange(channels={"bill_issued": ["fax"]}), "unknown channel 'fax'"),
    (PreferencesChange(channels={"birthday": ["email"]}), "unknown kind of notification"),
    (PreferencesChange(language="de"), "language: 'de' is not a language of the messages"),
])
def test_a_wrong_preference_is_refused(demo: Database, change: PreferencesChange,
                                       words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        set_preferences(demo, ADMIN, _account(demo, 1), change)
    with pytest.raises(PermissionDenied):
        set_preferences(demo, CLERK, _account(demo, 1), PreferencesChange(paperless=True))


def test_paperless_needs_somewhere_to_send_the_bill(demo: Database) -> None:
    number = _account(demo, 5)  # e-mail, no phone
    edit_contact(demo, ADMIN, number, ContactDetails("No Contact", "", "", "1 Road"))
    with pytest.raises(ValidationError, match="paperless: a paperless account needs"):
        set_preferences(demo, ADMIN, number, PreferencesChange(paperless=True))


def test_unreachable_is_shown_and_a_correction_clears_it(demo: Database) -> None:
    number = _account(demo, 2)
    with demo.write() as s:
        customer_id = s.scalar(select(Account.customer_id).where(Account.id == 2))
        s.execute(update(Customer).where(Customer.id == customer_id).values(
            email_status="unreachable", email_problem="550 5.1.1 user unknown"))
    view = account_preferences(demo, CLERK, number)
    assert view.email.text == "unreachable: 550 5.1.1 user unknown"
    assert [c for c, _ in view.routes["overdue_notice"]] == ["sms"]
    name = view.email.address or ""
    with demo.read() as s:
        customer = s.get(Customer, customer_id)
        assert customer is not None
        name, address = customer.name, customer.address
    edit_contact(demo, ADMIN, number, ContactDetails(name, "(202) 555-0177",
                                                     "new.address@example.com", address))
    view = account_preferences(demo, CLERK, number)
    assert view.email.text == "ok" and view.phone.address == "+12025550177"


def test_contacts_are_checked_at_entry_in_the_utility_country(demo: Database) -> None:
    number = _account(demo, 3)
    with demo.read() as s:
        customer = s.get(Customer, 3)
        assert customer is not None
        name, address = customer.name, customer.address
    notify_settings.set_settings(demo, ADMIN, {"notify.country": "GB"})
    stored = edit_contact(demo, ADMIN, number, ContactDetails(name, "020 7946 0123", "", address))
    assert stored.phone == "+442079460123"
    with pytest.raises(ValidationError, match="phone: '555 0123' is not a phone number in GB"):
        edit_contact(demo, ADMIN, number, ContactDetails(name, "555 0123", "", address))
    with dns_server({"riverside-mail.com": {"MX": ["10 mx.riverside-mail.com."]}}) as server:
        notify_settings.set_settings(demo, ADMIN, {
            "notify.check_email_domain": "true", "notify.dns_server": f"127.0.0.1:{server.port}"})
        edit_contact(demo, ADMIN, number, ContactDetails(name, "", "jo@riverside-mail.com",
                                                         address))
        with pytest.raises(ValidationError,
                           match=r"email: 'jo@example\.org' is not an e-mail address that can "
                                 r"receive mail: the domain name example\.org does not exist"):
            edit_contact(demo, ADMIN, number, ContactDetails(name, "", "jo@example.org",
                                                             address))
    with demo.read() as s:
        customer = s.get(Customer, 3)
        assert customer is not None and customer.email == "jo@riverside-mail.com"


def test_account_prefs_on_the_command_line(demo: Database, db_url: str) -> None:
    number = _account(demo, 1)

    def ebs(*args: str) -> tuple[int, str]:
        done = CliRunner().invoke(cli, ["--db", db_url, "account", "prefs", number, *args],
                                  env={"EBS_USER": "admin", "EBS_PASSWORD": "admin-demo"})
        return done.exit_code, done.output

    code, out = ebs()
    assert code == 0 and "on paper" in out and "bill_issued" in out and "(default)" in out
    code, out = ebs("--paperless", "--channels", "bill_issued=sms", "--json")
    data = json.loads(out)
    assert code == 0 and data["paperless"] and data["channels"] == {"bill_issued": ["sms"]}
    assert data["delivery"]["bill_issued"][0].startswith("sms:+1")
    code, out = ebs("--channels", "disconnection_notice=")
    assert code == 1 and "disconnection_notice is a notice the law requires" in out
    code, out = ebs("--channels", "bill_issued")
    assert code == 1 and "is not KIND=CHANNELS" in out
