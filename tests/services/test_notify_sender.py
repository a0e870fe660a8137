"""The outbox sender against a real SMTP server (aiosmtpd), on SQLite and PostgreSQL:
payments tell the customer in their own transaction (a rollback tells nothing), each
message leaves once with a stable Message-ID, a failing server means retries then one
delivery, a refused address marks the contact unreachable, SMS wait out quiet hours, and
a bill email attaches the very PDF the print run writes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from ebs_desktop.devices.delivery import Sent
from ebs_desktop.devices.email_smtp import SmtpConfig, SmtpTransport
from ebs_desktop.domain.cash import CashTender
from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    AccountPreferences,
    AuditEntry,
    Customer,
    OutboxMessage,
    Payment,
)
from ebs_desktop.persistence.stores import settings as settings_store
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.bill_documents import print_bills
from ebs_desktop.services.billing.run import run_billing
from ebs_desktop.services.counter import open_shift, post_payment, reverse_payment
from ebs_desktop.services.counter.posting import PaymentRequest, post_payment_in
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import SystemServices
from ebs_desktop.services.notify.content import message_id
from ebs_desktop.services.notify.sender import Transports
from tests.support.counter_scratch import CLERK, SUPERVISOR, Scratch, seed_counter_scratch
from tests.support.smtp_server import MailServer

JOB = Actor.job("notifier")
SENDER = "billing@localhost"  # smtp.from unset: the sender's fallback


def usd(text: str) -> Money:
    return Money.of(text, "USD")


class RecordingSms:
    """An SMS provider peer that records what it was given (the real adapters are the
    sms slice's; here only the sender's rules are under test)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, text: str, client_ref: str) -> Sent:
        self.sent.append((to, text, client_ref))
        return Sent(provider_id=f"sms-{len(self.sent)}")

    def close(self) -> None:
        pass


def _transports(server: MailServer, sms: RecordingSms | None = None) -> Transports:
    config = SmtpConfig("127.0.0.1", server.port)
    return Transports(email=lambda: SmtpTransport(config),
                      sms=(lambda: sms) if sms is not None else None)


def _set_email(db: Database, account_number: str, email: str) -> None:
    with db.write() as s:
        customer_id = s.scalar(select(Account.customer_id)
                               .where(Account.account_number == account_number))
        s.execute(update(Customer).where(Customer.id == customer_id).values(email=email))


def _rows(db: Database) -> list[OutboxMessage]:
    with db.read() as s:
        rows = list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        s.expunge_all()
        return rows


def _all_due(db: Database) -> None:
    """Let time pass: every message waiting for a retry is due now."""
    with db.write() as s:
        s.execute(update(OutboxMessage).where(OutboxMessage.status == "pending")
                  .values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)))


@pytest.fixture
def counter(db: Database) -> tuple[Scratch, Actor]:
    scratch = seed_counter_scratch(db, 3)
    for i, number in enumerate(scratch.account_numbers):
        _set_email(db, number, f"customer{i}@example.net")
    clerk = login(db, *CLERK)
    open_shift(db, clerk, "C01", usd("100"))
    return scratch, clerk


def test_a_payment_is_told_once_with_a_stable_message_id(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    acct = scratch.account_numbers[0]
    result = post_payment(db, clerk, "C01", acct, [CashTender(usd("50"))], "k-1",
                          amount=usd("45.50"))
    (row,) = _rows(db)
    assert (row.kind, row.channel, row.recipient, row.status) == (
        "payment_posted", "email", "customer0@example.net", "pending")
    assert row.dedupe_key == f"payment_posted:{result.receipt_number}:email"
    jobs = SystemServices(db, JOB)
    with MailServer() as server:
        summary = jobs.send_notifications(transports=_transports(server))
        again = jobs.send_notifications(transports=_transports(server))
    assert (summary.sent, again.sent) == (1, 0)
    (mail,) = server.received
    assert mail["To"] == "customer0@example.net"
    assert mail["Message-ID"] == message_id(row.dedupe_key, SENDER)
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert result.receipt_number in text and "$45.50" in text
    (row,) = _rows(db)
    assert (row.status, row.attempts, row.provider_id) == ("sent", 1, mail["Message-ID"])
    assert row.sent_at is not None and row.lease_until is None


def test_a_rolled_back_payment_sends_nothing(db: Database,
                                             counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    request = PaymentRequest(scratch.account_numbers[1], (CashTender(usd("45.50")),),
                             "k-rolled-back", counter_code="C01")
    with pytest.raises(RuntimeError, match="crash before commit"), db.write() as s:
        post_payment_in(s, clerk, request)
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        raise RuntimeError("crash before commit")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 0
    assert _rows(db) == []
    with MailServer() as server:
        summary = SystemServices(db, JOB).send_notifications(transports=_transports(server))
    assert summary.sent == 0 and server.received == []


def test_a_failing_server_means_retries_then_one_delivery(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    post_payment(db, clerk, "C01", scratch.account_numbers[0], [CashTender(usd("45.50"))],
                 "k-2")
    jobs = SystemServices(db, JOB)
    with MailServer() as server:
        server.handler.temporary_failures = 2
        first = jobs.send_notifications(transports=_transports(server))
        (row,) = _rows(db)
        assert (first.retried, row.status, row.attempts) == (1, "pending", 1)
        assert "451" in (row.last_error or "")
        wait = row.next_attempt_at.replace(tzinfo=UTC) - datetime.now(UTC)
        assert timedelta(seconds=10) < wait <= timedelta(seconds=31)  # backoff with jitter
        assert jobs.send_notifications(transports=_transports(server)).sent == 0  # not due
        _all_due(db)
        assert jobs.send_notifications(transports=_transports(server)).retried == 1
        _all_due(db)
        assert jobs.send_notifications(transports=_transports(server)).sent == 1
        _all_due(db)
        assert jobs.send_notifications(transports=_transports(server)).sent == 0
    assert len(server.received) == 1
    (row,) = _rows(db)
    assert (row.status, row.attempts) == ("sent", 3)


def test_no_server_keeps_the_message_for_later(db: Database,
                                                counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    post_payment(db, clerk, "C01", scratch.account_numbers[0], [CashTender(usd("45.50"))],
                 "k-3")
    with MailServer() as server:
        port = server.port
    gone = Transports(email=lambda: SmtpTransport(SmtpConfig("127.0.0.1", port, timeout=2)))
    summary = SystemServices(db, JOB).send_notifications(transports=gone)
    (row,) = _rows(db)
    assert (summary.retried, row.status) == (1, "pending")
    assert "cannot reach mail server" in (row.last_error or "")


def test_an_unknown_address_marks_the_contact_unreachable(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    acct = scratch.account_numbers[2]
    post_payment(db, clerk, "C01", acct, [CashTender(usd("45.50"))], "k-4")
    jobs = SystemServices(db, JOB)
    with MailServer() as server:
        server.handler.unknown = {"customer2@example.net"}
        summary = jobs.send_notifications(transports=_transports(server))
    assert summary.unreachable == 1 and server.received == []
    (row,) = _rows(db)
    assert row.status == "failed" and "550 5.1.1" in (row.last_error or "")
    with db.read() as s:
        status, problem = s.execute(
            select(Customer.email_status, Customer.email_problem)
            .join(Account, Account.customer_id == Customer.id)
            .where(Account.account_number == acct)).one()
        action = s.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1))
    assert status == "unreachable" and "User unknown" in problem
    assert action == "customer.contact_unreachable"
    found = jobs.outbox_status()
    assert found.counts["failed"] == 1 and found.by_channel["email"]["failed"] == 1
    assert found.failures[0][3] == "customer2@example.net"
    assert "550" in found.failures[0][4]


def test_a_refused_message_stops_without_blaming_the_address(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    post_payment(db, clerk, "C01", scratch.account_numbers[1], [CashTender(usd("45.50"))],
                 "k-5")
    with MailServer() as server:
        server.handler.rejected = {"customer1@example.net"}
        summary = SystemServices(db, JOB).send_notifications(transports=_transports(server))
        _all_due(db)
        again = SystemServices(db, JOB).send_notifications(transports=_transports(server))
    assert (summary.failed, again.failed, again.sent) == (1, 0, 0)
    (row,) = _rows(db)
    assert row.status == "failed" and row.attempts == 1
    with db.read() as s:
        assert set(s.scalars(select(Customer.email_status))) == {"ok"}


def test_a_reversal_tells_by_email_and_sms_outside_quiet_hours(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    paid = post_payment(db, clerk, "C01", scratch.account_numbers[0],
                        [CashTender(usd("45.50"))], "k-6")
    reversal = reverse_payment(db, clerk, paid.receipt_number, "cheque bounced", *SUPERVISOR)
    kinds = [(r.kind, r.channel) for r in _rows(db)]
    assert kinds == [("payment_posted", "email"), ("payment_reversed", "email"),
                     ("payment_reversed", "sms")]
    sms = RecordingSms()
    now = datetime.now(UTC)
    # a quiet window that holds "now": the SMS waits until it ends
    with db.write() as s:
        settings_store.store_value(s, "sms.quiet_start", f'"{(now - timedelta(hours=1)):%H:%M}"')
        settings_store.store_value(s, "sms.quiet_end", f'"{(now + timedelta(hours=2)):%H:%M}"')
    jobs = SystemServices(db, JOB)
    with MailServer() as server:
        held = jobs.send_notifications(transports=_transports(server, sms))
        assert (held.sent, held.postponed, sms.sent) == (2, 1, [])
        (waiting,) = [r for r in _rows(db) if r.channel == "sms"]
        assert waiting.status == "pending" and waiting.attempts == 0
        assert waiting.next_attempt_at.replace(tzinfo=UTC) > now + timedelta(minutes=100)
        with db.write() as s:
            settings_store.store_value(s, "sms.quiet_start", '"00:00"')
            settings_store.store_value(s, "sms.quiet_end", '"00:00"')  # no window
        _all_due(db)
        done = jobs.send_notifications(transports=_transports(server, sms))
    assert done.sent == 1
    ((to, text, ref),) = sms.sent
    assert ref == f"payment_reversed:{reversal.receipt_number}:sms"
    assert paid.receipt_number in text and to.startswith("+1555")


def test_a_bill_email_attaches_the_printed_pdf_byte_for_byte(db: Database,
                                                             tmp_path: Path) -> None:
    build_demo(db, customers=4, months=2, until="2026-05", seed=3)
    with db.write() as s:
        ids = list(s.scalars(select(Customer.id).order_by(Customer.id)))
        for i, customer_id in enumerate(ids):
            s.execute(update(Customer).where(Customer.id == customer_id)
                      .values(email=f"c{i}@example.org"))
        s.execute(update(OutboxMessage).values(status="cancelled"))  # the demo's own bills
        s.execute(update(AccountPreferences).values(language=None))  # English, as asserted
    result = run_billing(db, system_actor("test"), "2026-06", issue_date=date(2026, 7, 1))
    bills = [r for r in _rows(db) if r.kind == "bill_issued" and r.status == "pending"]
    assert result.bills == len(bills) == 4
    assert {r.channel for r in bills} == {"email"}
    with MailServer() as server:
        summary = SystemServices(db, JOB).send_notifications(transports=_transports(server))
    assert summary.sent == 4
    for mail in server.received:
        (pdf,) = [p for p in mail.iter_attachments()
                  if p.get_content_type() == "application/pdf"]
        data = pdf.get_content()
        number = str(pdf.get_filename()).rsplit("_", 1)[1].removesuffix(".pdf")
        out = tmp_path / number
        print_bills(db, system_actor("test"), out, bill=number, split=True)
        (printed,) = out.iterdir()
        assert printed.name == pdf.get_filename()
        assert printed.read_bytes() == data
        text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert number in text and "Payment code:" in text
        assert mail.get_body(("html",)) is not None


def test_an_administrators_template_reaches_the_customer(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    from ebs_desktop.services.notify.templates import save_template

    scratch, clerk = counter
    admin = Actor(None, "setup", frozenset({"admin"}))
    save_template(db, admin, "en", "payment_posted.subject",
                  "Thank you, {{ customer_name }}: {{ amount }} received")
    post_payment(db, clerk, "C01", scratch.account_numbers[0], [CashTender(usd("50"))],
                 "k-tpl", amount=usd("45.50"))
    with MailServer() as server:
        assert SystemServices(db, JOB).send_notifications(
            transports=_transports(server)).sent == 1
    (mail,) = server.received
    assert mail["Subject"] == "Thank you, Customer 00001: $45.50 received"


def test_a_bill_notice_by_sms_carries_the_bills_figures(db: Database) -> None:
    """SMS bill notices render from the bill's own figures, as the emails do (they failed
    with "'amount_due' is undefined": the documents were loaded for emails only)."""
    from ebs_desktop.services import notify_settings

    build_demo(db, customers=4, months=2, until="2026-05", seed=3)
    notify_settings.set_settings(db, system_actor("test"), {
        "sms.quiet_start": "00:00", "sms.quiet_end": "00:00"})  # no quiet hours here
    with db.write() as s:
        s.execute(update(Customer).values(email=None))  # SMS only
        s.execute(update(OutboxMessage).values(status="cancelled"))  # the demo's own bills
        s.execute(update(AccountPreferences).values(language=None, channels=None))
    result = run_billing(db, system_actor("test"), "2026-06", issue_date=date(2026, 7, 1))
    sms = RecordingSms()
    with MailServer() as server:
        summary = SystemServices(db, JOB).send_notifications(transports=_transports(server, sms))
    assert summary.sent == result.bills == len(sms.sent) == 4
    for _to, text, _ref in sms.sent:
        assert "B2026-" in text and "$" in text and "due Jul 16, 2026" in text, text
