"""The sender's fast path on SQLite and PostgreSQL, against a real SMTP server: a bill's
PDF drawn once and kept (the email attaches the kept bytes, not a new drawing), the
emails composed straight to bytes read back by a mail parser as the EmailMessage way
composes them, and the "sent" marks written behind the sending but never more than
``mark_ahead`` messages behind."""

from __future__ import annotations

import email
import email.policy
import hashlib
from datetime import date
from typing import Any

from sqlalchemy import func, select, update

from ebs_desktop.devices.email_smtp import SmtpConfig, SmtpTransport
from ebs_desktop.domain.notifications import Attachment, Kind, RenderedMessage
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    AccountPreferences,
    BillPdf,
    Customer,
    OutboxMessage,
)
from ebs_desktop.persistence.stores import outbox
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.billing.run import run_billing
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import SystemServices
from ebs_desktop.services.notify.bill_pdfs import bill_documents as load_bill_documents
from ebs_desktop.services.notify.bill_pdfs import render_bill_pdfs
from ebs_desktop.services.notify.content import compose_email, compose_raw
from ebs_desktop.services.notify.sender import Transports
from tests.support.counter_scratch import seed_counter_scratch
from tests.support.smtp_server import MailServer

JOB = Actor.job("notifier")


def _transports(server: MailServer) -> Transports:
    config = SmtpConfig("127.0.0.1", server.port)
    return Transports(email=lambda: SmtpTransport(config))


def _billed(db: Database) -> list[int]:
    """Four demo customers with an email, billed for 2026-06: their bill ids."""
    build_demo(db, customers=4, months=2, until="2026-05", seed=3)
    with db.write() as s:
        for i, customer_id in enumerate(list(s.scalars(select(Customer.id)))):
            s.execute(update(Customer).where(Customer.id == customer_id)
                      .values(email=f"c{i}@example.org"))
        s.execute(update(OutboxMessage).values(status="cancelled"))  # the demo's own
        s.execute(update(AccountPreferences).values(language=None, channels=None))
    run_billing(db, system_actor("test"), "2026-06", issue_date=date(2026, 7, 1))
    with db.read() as s:
        return [int(i) for i in s.scalars(
            select(OutboxMessage.bill_id).where(OutboxMessage.status == "pending")
            .order_by(OutboxMessage.bill_id))]


def test_a_bill_pdf_is_drawn_once_kept_and_attached(db: Database) -> None:
    bills = _billed(db)
    assert len(bills) == 4
    staff = system_actor("test")
    assert render_bill_pdfs(db, staff, bills[:2]) == 2
    assert render_bill_pdfs(db, staff, period="2026-06") == 2  # the other two
    assert render_bill_pdfs(db, staff, bills) == 0  # nothing is drawn twice
    with db.read() as s:
        kept = {r.bill_id: r for r in s.scalars(select(BillPdf))}
        docs = load_bill_documents(s, bills)
        s.expunge_all()
    assert set(kept) == set(bills)
    for row in kept.values():  # deterministic: what the print run draws now
        from ebs_desktop.reports.bill_pdf import bill_pdf_bytes

        assert bytes(row.pdf) == bill_pdf_bytes(docs[row.bill_id])
        assert row.sha256 == hashlib.sha256(row.pdf).hexdigest() and row.size == len(row.pdf)
    # the kept bytes are what goes out, not a new drawing: mark one as the issued copy
    issued = b"%PDF-1.4\n% the copy kept when the bill was issued\n%%EOF\n"
    with db.write() as s:
        s.execute(update(BillPdf).where(BillPdf.bill_id == bills[0])
                  .values(pdf=issued, size=len(issued),
                          sha256=hashlib.sha256(issued).hexdigest()))
    with MailServer() as server:
        summary = SystemServices(db, JOB).send_notifications(transports=_transports(server))
    assert summary.sent == 4
    attached = {}
    for mail in server.received:
        (pdf,) = [p for p in mail.iter_attachments()
                  if p.get_content_type() == "application/pdf"]
        attached[pdf.get_filename()] = pdf.get_content()
    assert issued in attached.values()
    assert sorted(attached.values()) == sorted(bytes(r.pdf) if r.bill_id != bills[0]
                                               else issued for r in kept.values())


def test_the_sender_draws_and_keeps_what_nobody_drew(db: Database) -> None:
    bills = _billed(db)
    with MailServer() as server:
        summary = SystemServices(db, JOB).send_notifications(transports=_transports(server))
    assert summary.sent == len(bills) == 4
    with db.read() as s:
        kept = {int(i): bytes(p) for i, p in s.execute(select(BillPdf.bill_id, BillPdf.pdf))}
    assert set(kept) == set(bills)
    sent = sorted(p.get_content() for m in server.received for p in m.iter_attachments())
    assert sent == sorted(kept.values())


def test_bytes_composed_read_as_the_email_message_way() -> None:
    rendered = RenderedMessage("Votre facture B-1 : 45,50 € — échéance le 5 janvier",
                               "Bonjour Zoë,\nvotre facture est jointe.\n" + "x" * 1200,
                               "<p>Bonjour <b>Zoë</b></p>")
    pdf = Attachment("facture_B-1.pdf", "application/pdf", bytes(range(256)) * 40)
    args: dict[str, Any] = {"sender": "factures@example.com",
                            "sender_name": "Électricité de la Rivière",
                            "recipient": "zoe@example.net", "dedupe_key": "bill_issued:B-1"}
    raw = compose_raw(rendered, attachments=[pdf], **args)
    parsed = email.message_from_bytes(raw.data, policy=email.policy.default)  # type: ignore[union-attr]
    model = compose_email(rendered, attachments=[pdf], **args)
    assert parsed.defects == []
    for header in ("From", "To", "Subject", "Message-ID"):
        assert str(parsed[header]) == str(model[header]), header
    assert parsed["Date"] is not None
    for kind in ("plain", "html"):
        assert parsed.get_body((kind,)).get_content() == \
            model.get_body((kind,)).get_content()  # type: ignore[union-attr]
    (got,) = parsed.iter_attachments()
    assert got.get_filename() == "facture_B-1.pdf" and got.get_content() == pdf.data
    assert all(len(line) <= 998 for line in raw.data.split(b"\r\n"))  # type: ignore[union-attr]
    assert b"\n" not in raw.data.replace(b"\r\n", b"")  # type: ignore[union-attr]
    # a header cannot be smuggled in through a subject
    sneaky = compose_raw(RenderedMessage("Bill\r\nBcc: x@example.org", "t"), **args)
    assert email.message_from_bytes(sneaky.data)["Bcc"] is None  # type: ignore[union-attr]


def test_marks_run_behind_the_sending_by_at_most_mark_ahead(db: Database) -> None:
    seed_counter_scratch(db, 6, with_users=False)
    with db.write() as s:
        for customer_id in list(s.scalars(select(Customer.id))):
            s.execute(update(Customer).where(Customer.id == customer_id)
                      .values(email=f"c{customer_id}@example.com"))
        for account_id, number in s.execute(select(Account.id, Account.account_number)):
            for n in range(5):
                outbox.enqueue(s, kind=Kind.PAYMENT_POSTED, account_id=account_id,
                               dedupe_key=f"payment_posted:R{account_id}-{n}", language="en",
                               context={"customer_name": "A", "account_number": number,
                                        "amount": "$1.00", "paid_on": "today",
                                        "receipt_number": f"R{account_id}-{n}",
                                        "balance": "$0.00"})
    behind: list[int] = []
    with MailServer() as server:
        accept = server.handler.handle_DATA

        async def watched(srv: Any, session: Any, envelope: Any) -> str:
            with db.read() as s:  # accepted before this one, and not marked sent yet
                marked = s.scalar(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.status == "sent")) or 0
            behind.append(len(server.received) - int(marked))
            return await accept(srv, session, envelope)

        server.handler.handle_DATA = watched  # type: ignore[method-assign]
        summary = SystemServices(db, JOB).send_notifications(
            transports=_transports(server), mark_ahead=2, batch=10)
    assert summary.sent == len(server.received) == 30
    assert len(behind) == 30 and max(behind) <= 2
    with db.read() as s:
        assert set(s.scalars(select(OutboxMessage.status))) == {"sent"}
