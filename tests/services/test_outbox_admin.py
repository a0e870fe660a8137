"""The Outbox page's use cases: filters, one message rendered as the customer gets it,
retry and cancel only where they make sense, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from ebs_desktop.domain.notifications import Kind
from ebs_desktop.errors import NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, AuditEntry, Customer, OutboxMessage
from ebs_desktop.persistence.stores import outbox
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.facade import StaffServices
from ebs_desktop.services.notify import content
from tests.support.counter_scratch import seed_counter_scratch

BILLING = Actor(None, "bob", frozenset({"billing"}))
CLERK = Actor(None, "carl", frozenset({"clerk"}))


def _fill(db: Database) -> list[str]:
    seed_counter_scratch(db, accounts=3, with_users=False)
    with db.write() as s:
        rows = s.execute(select(Account.id, Account.account_number, Account.customer_id)
                         .order_by(Account.id)).all()
        s.execute(update(Customer).values(email="someone@example.com"))
        for account_id, number, _ in rows:
            context = {v: f"{v}-{number}" for v in content.VARIABLES[Kind.OVERDUE_NOTICE]}
            outbox.enqueue(s, kind=Kind.OVERDUE_NOTICE, account_id=account_id,
                           dedupe_key=f"overdue:{number}", context=context, language="fr_FR")
            outbox.enqueue(s, kind=Kind.PAYMENT_POSTED, account_id=account_id,
                           dedupe_key=f"paid:{number}", context={"amount": "1"},
                           language="en")
    return [str(r[1]) for r in rows]


def _status(db: Database, message_id: int) -> tuple[str, int]:
    with db.read() as s:
        row = s.execute(select(OutboxMessage.status, OutboxMessage.attempts)
                        .where(OutboxMessage.id == message_id)).one()
    return str(row[0]), int(row[1])


def test_filters_and_the_rendered_message(db: Database) -> None:
    numbers = _fill(db)
    staff = StaffServices(db, BILLING)
    everything = staff.outbox.messages()
    assert len(everything) == 9  # overdue by email and sms, payment by email; 3 accounts
    assert [m.id for m in everything] == sorted((m.id for m in everything), reverse=True)
    assert len(staff.outbox.messages(channel="sms")) == 3
    assert len(staff.outbox.messages(kind="payment_posted")) == 3
    mine = staff.outbox.messages(account=numbers[1], channel="email", kind="overdue_notice")
    assert [(m.account_number, m.recipient, m.status) for m in mine] == [
        (numbers[1], "someone@example.com", "pending")]
    assert staff.outbox.counts() == {"pending": 9, "sending": 0, "sent": 0, "failed": 0,
                                     "cancelled": 0}

    view = staff.outbox.message(mine[0].id)
    assert view.rendered is not None and view.problem == ""
    assert view.rendered.subject == f"Impayé : la facture bill_number-{numbers[1]} était due " \
                                    f"le due_date-{numbers[1]}"
    assert view.rendered.text.startswith(f"Bonjour customer_name-{numbers[1]},")
    # a message whose context lacks a variable says so, naming the template
    broken = staff.outbox.messages(account=numbers[1], kind="payment_posted")[0]
    shown = staff.outbox.message(broken.id)
    assert shown.rendered is None
    assert shown.problem.startswith("template payment_posted.subject")
    assert shown.problem == ("template payment_posted.subject, line 1: 'account_number' is "
                             "undefined")

    with pytest.raises(ValidationError, match="unknown state 'lost'"):
        staff.outbox.messages(status="lost")
    with pytest.raises(NotFound, match="no message 123456"):
        staff.outbox.message(123456)
    with pytest.raises(PermissionDenied):
        StaffServices(db, CLERK).outbox.messages()


def test_retry_and_cancel(db: Database) -> None:
    _fill(db)
    staff = StaffServices(db, BILLING)
    ids = sorted(m.id for m in staff.outbox.messages(channel="sms"))
    with db.write() as s:
        s.execute(update(OutboxMessage).where(OutboxMessage.id == ids[0]).values(
            status="failed", attempts=5, last_error="550 user unknown"))
        s.execute(update(OutboxMessage).where(OutboxMessage.id == ids[1]).values(
            status="sent"))
    with pytest.raises(ValidationError, match=rf"cannot retry message {ids[1]} \(sent\), "
                                              rf"{ids[2]} \(pending\): only failed or "
                                              "cancelled"):
        staff.outbox.retry(ids)
    assert _status(db, ids[0]) == ("failed", 5)  # nothing changed
    assert staff.outbox.retry([ids[0]]) == 1
    assert _status(db, ids[0]) == ("pending", 0)
    assert staff.outbox.cancel([ids[0], ids[2]]) == 2
    assert _status(db, ids[2]) == ("cancelled", 0)
    with pytest.raises(ValidationError, match=rf"cannot cancel message {ids[1]} \(sent\)"):
        staff.outbox.cancel([ids[1]])
    with pytest.raises(NotFound, match="no message 999999"):
        staff.outbox.cancel([999999])
    with pytest.raises(ValidationError, match="no message selected"):
        staff.outbox.retry([])
    assert staff.outbox.retry([ids[2]]) == 1
    with db.read() as s:
        actions = s.execute(select(AuditEntry.action, AuditEntry.entity_id, AuditEntry.actor)
                            .where(AuditEntry.entity == "notification_outbox")
                            .order_by(AuditEntry.id)).all()
    low, high = sorted([ids[0], ids[2]])
    assert [tuple(a) for a in actions] == [
        ("outbox.retry", str(ids[0]), "bob"),
        ("outbox.cancel", f"{low}..{high} (2 messages)", "bob"),
        ("outbox.retry", str(ids[2]), "bob")]


def test_a_bill_notice_shows_the_bills_figures_as_the_customer_will_read_them(
        db: Database) -> None:
    """A bill notice keeps only the bill's and account's numbers; the screen, like the
    sender, takes the figures from the bill itself (found on the demo's Outbox screen,
    which said "'utility_name' is undefined" for every bill by SMS)."""
    from ebs_desktop.services.demo import build_demo

    build_demo(db, customers=20, months=2, until="2026-05", seed=3)
    staff = StaffServices(db, Actor(None, "bill", frozenset({"billing"})))
    with db.read() as s:
        rows = s.execute(select(OutboxMessage.id, OutboxMessage.channel)
                         .where(OutboxMessage.kind == "bill_issued",
                                OutboxMessage.status == "pending")).all()
    assert {channel for _id, channel in rows} == {"email", "sms"}
    for message_id, channel in rows:
        view = staff.outbox.message(message_id)
        assert view.rendered is not None, view
        text = view.rendered.text
        assert "B2026-" in text and "$" in text and "Riverside" in text, text
        assert (view.rendered.html != "") is (channel == "email")
