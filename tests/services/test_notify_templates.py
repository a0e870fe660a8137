"""The administrator's message templates: French and English sets, replacements stored and
used, save-time checks naming template and line, preview on a real account, audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select, update

from ebs_desktop.domain.notifications import Channel, Kind
from ebs_desktop.errors import NotFound, PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, AccountPreferences, AuditEntry, Customer
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.facade import StaffServices
from ebs_desktop.services.notify import content
from ebs_desktop.services.notify.content import TemplateProblem
from tests.support.counter_scratch import seed_counter_scratch

ADMIN = Actor(None, "alice", frozenset({"admin"}))
BILLING = Actor(None, "bob", frozenset({"billing"}))


def test_every_language_has_every_template_and_each_renders() -> None:
    assert content.LANGUAGES == ("en", "fr")
    for language in content.LANGUAGES:
        for name in content.template_names():
            source = content.default_source(language, name)
            content.check_template(language, name, source)  # shipped files pass the check
        for kind in Kind:
            context = {v: f"<{v}>" for v in content.VARIABLES[kind]}
            email = content.render(kind, Channel.EMAIL, language, context)
            assert email.subject and "<customer_name>" in email.text
            assert "&lt;customer_name&gt;" in email.html  # HTML autoescaped
            assert "<customer_name>" not in email.html
            assert content.render(kind, Channel.SMS, language, context).text
    fr = content.render(Kind.REMINDER, Channel.EMAIL, "fr_CA",
                        {v: "X" for v in content.VARIABLES[Kind.REMINDER]})
    assert fr.text.startswith("Bonjour X,") and "Rappel" in fr.subject
    assert content.render(Kind.REMINDER, Channel.SMS, "de_DE", {
        v: "X" for v in content.VARIABLES[Kind.REMINDER]}).text.startswith("X: reminder")


@pytest.mark.parametrize(("name", "source", "expected"), [
    ("reminder.sms", "Hi {{ customer_name }}\n{{ amount_due }} by {{ due_dat }}",
     "template fr/reminder.sms, line 2: unknown variable 'due_dat'"),
    ("reminder.txt", '{% extends "_base.txt" %}\n{% block body %}\n{% if amount_due %}\n'
                     "{% endblock %}", "template fr/reminder.txt, line 4: "),
    ("payment_posted.subject", "Paid\n\n{{ amount.missing.deeper }}",
     "template fr/payment_posted.subject, line 3: 'str object' has no attribute 'missing'"),
    ("_base.html", "<p>{{ customer_name }}</p>", "template fr/_base.html, line 1: the frame"),
    ("_base.txt", "{{ customer_name }}\n{% block body %}{% endblock %}\n{{ bill_number }}",
     "template fr/_base.txt, line 3: unknown variable 'bill_number'"),
])
def test_a_broken_template_is_refused_at_save_naming_template_and_line(
        db: Database, name: str, source: str, expected: str) -> None:
    seed_counter_scratch(db, accounts=1, with_users=False)
    staff = StaffServices(db, ADMIN)
    with pytest.raises(TemplateProblem) as caught:
        staff.templates.save_template("fr", name, source)
    assert str(caught.value).startswith(expected)
    assert not staff.templates.template_text("fr", name).replaced


def _account(db: Database) -> str:
    with db.write() as s:
        number, customer_id = s.execute(select(Account.account_number, Account.customer_id)
                                        .order_by(Account.id).limit(1)).one()
        s.execute(update(Customer).where(Customer.id == customer_id).values(
            name="Zoé <Dupont>", email="zoe@example.org"))
    return str(number)


def test_a_saved_template_is_used_audited_and_previewed_on_a_real_account(
        db: Database) -> None:
    seed_counter_scratch(db, accounts=2, bill_minor=4550, with_users=False)
    number = _account(db)
    staff = StaffServices(db, ADMIN)
    source = "{{ utility_name }} : {{ customer_name }}, {{ amount_due }} avant le {{ due_date }}"
    saved = staff.templates.save_template("fr", "reminder.sms", source)
    assert saved.replaced and saved.source == source
    assert saved.shipped == content.default_source("fr", "reminder.sms")
    listed = {(t.language, t.name): t for t in staff.templates.list_templates()}
    assert listed[("fr", "reminder.sms")].replaced
    assert listed[("fr", "reminder.sms")].updated_by == "alice"
    assert not listed[("en", "reminder.sms")].replaced
    assert len(listed) == 2 * (4 * len(Kind) + 2)

    # the account reads French: the preview takes its language, its latest bill, its name
    with db.write() as s:
        account_id = s.scalar(select(Account.id).where(Account.account_number == number))
        s.add(AccountPreferences(account_id=account_id, paperless=False, language="fr_FR",
                                 reminders=True, channels=None))
    preview = staff.templates.preview(number, "reminder", "sms", today=date(2026, 12, 6))
    assert preview.language == "fr"
    assert preview.message.text == (
        "Riverside Electric Co-op : Zoé <Dupont>, 45.50 USD avant le 2025-03-12")
    assert preview.recipient == "+15550000001"
    email = staff.templates.preview(number, "reminder", "email", language="en")
    assert email.recipient == "zoe@example.org" and email.language == "en"
    assert "Zoé &lt;Dupont&gt;" in email.message.html
    assert f"B{number}-02" in email.message.subject

    # unsaved edits preview without being stored, and are checked the same way
    edited = staff.templates.preview(number, "reminder", "sms",
                                     edits={"reminder.sms": "Draft {{ bill_number }}"})
    assert edited.message.text == f"Draft B{number}-02"
    with pytest.raises(TemplateProblem, match=r"fr/reminder.sms, line 1: unknown variable"):
        staff.templates.preview(number, "reminder", "sms", edits={"reminder.sms": "{{ x }}"})
    assert staff.templates.template_text("fr", "reminder.sms").source == source

    # the outbox renders with the replacement too
    assert content.render(Kind.REMINDER, Channel.SMS, "fr", preview.context,
                          {"reminder.sms": source}).text == preview.message.text

    reset = staff.templates.reset_template("fr", "reminder.sms")
    assert not reset.replaced and reset.source == reset.shipped
    with db.read() as s:
        audit = [(a, e, json.loads(b or "null"), json.loads(af or "null")) for a, e, b, af in
                 s.execute(select(AuditEntry.action, AuditEntry.entity_id, AuditEntry.before,
                                  AuditEntry.after)
                           .where(AuditEntry.entity == "notification_template")
                           .order_by(AuditEntry.id))]
    assert audit == [("template.save", "fr/reminder.sms", {"source": None}, {"source": source}),
                     ("template.reset", "fr/reminder.sms", {"source": source},
                      {"source": None})]


def test_a_frame_cannot_be_reset_or_replaced_under_a_template_that_needs_it(
        db: Database) -> None:
    seed_counter_scratch(db, accounts=1, with_users=False)
    staff = StaffServices(db, ADMIN)
    staff.templates.save_template(
        "en", "_base.txt", "Hello {{ customer_name }}\n{% block body %}{% endblock %}\n"
        "{% block footer %}Bye{% endblock %}")
    staff.templates.save_template(
        "en", "reminder.txt", '{% extends "_base.txt" %}{% block body %}Pay {{ amount_due }}'
        "{% endblock %}{% block footer %}{{ super() }} now{% endblock %}")
    preview_number = _account(db)
    text = staff.templates.preview(preview_number, "reminder", "email", language="en")
    assert text.message.text == "Hello Zoé <Dupont>\nPay 45.50 USDBye now"
    # the shipped frame has no footer: the reminder's footer would vanish without a word
    with pytest.raises(TemplateProblem, match=r"template en/reminder.txt, line 1: block "
                                              r"'footer' is not in _base.txt"):
        staff.templates.reset_template("en", "_base.txt")
    with pytest.raises(TemplateProblem, match=r"template en/_base.txt, line 1: unknown "
                                              r"variable 'nobody'"):
        staff.templates.save_template("en", "_base.txt", "{{ nobody }}{% block body %}"
                                                         "{% endblock %}")
    assert staff.templates.template_text("en", "_base.txt").replaced
    staff.templates.reset_template("en", "reminder.txt")
    staff.templates.reset_template("en", "_base.txt")
    assert not staff.templates.template_text("en", "_base.txt").replaced


def test_refusals(db: Database) -> None:
    seed_counter_scratch(db, accounts=1, with_users=False)
    with pytest.raises(PermissionDenied):
        StaffServices(db, BILLING).templates.list_templates()
    staff = StaffServices(db, system_actor())
    with pytest.raises(PermissionDenied):
        StaffServices(db, Actor(None, "m", frozenset({"manager"}))).templates.preview(
            "x", "reminder", "sms")
    admin = StaffServices(db, ADMIN)
    with pytest.raises(NotFound, match="no account 999999999"):
        admin.templates.preview("999999999", "reminder", "sms")
    with pytest.raises(Exception, match="no template set for language 'de'"):
        admin.templates.save_template("de", "reminder.sms", "x")
    with pytest.raises(Exception, match=r"no template named 'reminder\.pdf'"):
        admin.templates.save_template("en", "reminder.pdf", "x")
    assert staff.templates.list_templates()  # the local operator holds every role
