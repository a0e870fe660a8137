"""SMS use cases on both databases: the length and cost of a bulk send before it goes,
and delivery receipts from a real SMSC (SMPP) and a real HTTP callback recorded on the
outbox rows, an unreachable number marking the customer's mobile (audited)."""

from __future__ import annotations

import json
import threading
import urllib.request
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select, update

from ebs_desktop.devices.sms.http_gateway import receipt_callback
from ebs_desktop.devices.sms.smpp import SmppProvider
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.notifications import Channel, Kind
from ebs_desktop.domain.sms_receipts import DeliveryReceipt
from ebs_desktop.errors import PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, AuditEntry, Customer, OutboxMessage
from ebs_desktop.persistence.stores import outbox
from ebs_desktop.persistence.stores import settings as settings_store
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.facade import StaffServices, SystemServices
from ebs_desktop.services.notify.content import render
from ebs_desktop.services.settings import currency
from tests.support.counter_scratch import seed_counter_scratch
from tests.support.smpp_server import SmppServer

BASE = {"utility_name": "Riverside Water", "utility_phone": "+1 555 0100",
        "customer_name": "Ana Diaz", "bill_number": "B-1", "amount_due": "45.50 USD",
        "due_date": "2027-01-05"}


def _accounts(db: Database, n: int) -> list[tuple[int, str]]:
    """n accounts with a mobile each and no email (so their notices go by SMS only)."""
    seed_counter_scratch(db, accounts=n, with_users=False)
    with db.write() as s:
        rows = s.execute(select(Account.id, Account.account_number, Account.customer_id)
                         .order_by(Account.id)).all()
        for i, row in enumerate(rows):
            s.execute(update(Customer).where(Customer.id == row.customer_id)
                      .values(email=None, phone=f"+1555010{i:04d}"))
    return [(int(r.id), r.account_number) for r in rows]


def _enqueue(db: Database, account_id: int, number: str, key: str,
             kind: Kind = Kind.OVERDUE_NOTICE, **context: str) -> None:
    with db.write() as s:
        assert outbox.enqueue(s, kind=kind, account_id=account_id, dedupe_key=key,
                              context={**BASE, "account_number": number, **context},
                              language="en") == 1


def test_estimate_counts_segments_encodings_and_cost(db: Database) -> None:
    accounts = _accounts(db, 4)
    _enqueue(db, *accounts[0], "o:1")  # short GSM-7
    _enqueue(db, *accounts[1], "o:2", utility_name="Riverside Water € " * 8)  # GSM-7, 2 parts
    _enqueue(db, *accounts[2], "o:3", customer_name="Łukasz", amount_due="45,50 zł")  # UCS-2
    _enqueue(db, *accounts[3], "b:4", kind=Kind.BILL_ISSUED)  # lacks period and payment code
    staff = StaffServices(db, system_actor())
    estimate = staff.sms.estimate()
    assert (estimate.messages, estimate.gsm7, estimate.ucs2) == (3, 2, 1)
    # 99 septets; 228 characters of which 8 euros (236 septets: 2 x 153); 98 UCS-2 units
    assert estimate.by_segments == ((1, 1), (2, 2))
    assert (estimate.segments, estimate.longest_units) == (5, 236)
    assert estimate.unrenderable == 1
    assert "bill_issued.sms" in estimate.first_problem
    assert dict(estimate.forcing_ucs2) == {"ł": 1}
    assert estimate.price_per_segment is None and estimate.cost is None

    with db.write() as s:
        settings_store.store_value(s, "sms.segment_price", json.dumps("0.05"))
        money_currency = currency(s)
    priced = staff.sms.estimate(kind="overdue_notice")
    assert priced.price_per_segment == Decimal("0.05")
    assert priced.cost == Money(25, money_currency)  # 5 segments x 0.05
    given = staff.sms.estimate(kind="overdue_notice", price=Decimal("0.0075"))
    assert given.cost == Money(4, money_currency)  # 0.0375, rounded once on the total
    assert staff.sms.estimate(kind="reminder").messages == 0

    with pytest.raises(ValidationError, match="kind 'reminders' is not a notification kind"):
        staff.sms.estimate(kind="reminders")
    with pytest.raises(PermissionDenied):
        StaffServices(db, Actor(user_id=None, username="c", roles=frozenset({"clerk"}))
                      ).sms.estimate()


def _send_through(db: Database, provider: SmppProvider) -> dict[int, str]:
    """What the sender does, as far as receipts care: send each waiting SMS and keep the
    provider's id on its row."""
    sent: dict[int, str] = {}
    with db.write() as s:
        rows = s.execute(select(OutboxMessage).where(OutboxMessage.channel == "sms")
                         .order_by(OutboxMessage.id)).scalars().all()
        for row in rows:
            text = render(Kind(row.kind), Channel.SMS, row.language, json.loads(row.context)).text
            result = provider.send(row.recipient, text, row.dedupe_key)
            row.provider_id, row.status = result.provider_id, "sent"
            sent[row.id] = result.provider_id
    return sent


def test_smpp_receipts_recorded_and_a_rejected_number_marked(db: Database) -> None:
    accounts = _accounts(db, 3)
    for i, (account_id, number) in enumerate(accounts):
        _enqueue(db, account_id, number, f"o:{i}")
    smsc = SmppServer().start()
    smsc.receipt_stat["15550100001"] = "UNDELIV"
    smsc.receipt_stat["15550100002"] = "REJECTD"
    provider = SmppProvider("127.0.0.1", smsc.port, "ebs", "secret", timeout=5)
    try:
        sent = _send_through(db, provider)
        receipts = provider.receipts(wait=2)
    finally:
        provider.close()
        smsc.stop()
    assert len(receipts) == 3
    jobs = SystemServices(db, Actor.job("notifier"))
    stray = DeliveryReceipt("not-ours", "delivered")
    outcome = jobs.record_sms_receipts([*receipts, stray])
    assert (outcome.recorded, outcome.unknown, outcome.numbers_marked_unreachable) == (3, 1, 1)

    with db.read() as s:
        rows = {r.id: r for r in s.execute(select(OutboxMessage.id, OutboxMessage.receipt_state,
                                                  OutboxMessage.last_error,
                                                  OutboxMessage.receipt_at))}
        phones = dict(s.execute(select(Customer.phone, Customer.phone_status)).all())
        problem = s.scalar(select(Customer.phone_problem)
                           .where(Customer.phone == "+15550100002"))
        audited = s.execute(select(AuditEntry.action, AuditEntry.entity)
                            .where(AuditEntry.action == "customer.phone_unreachable")).all()
    states = [rows[i].receipt_state for i in sorted(sent)]
    assert states == ["delivered", "failed", "unreachable"]
    assert rows[sorted(sent)[0]].last_error is None
    assert rows[sorted(sent)[1]].last_error == "delivery receipt: failed (err:001)"
    assert all(rows[i].receipt_at is not None for i in sent)
    assert phones["+15550100000"] == "ok" and phones["+15550100001"] == "ok"
    assert phones["+15550100002"] == "unreachable"
    assert problem is not None and "+15550100002" in problem
    assert audited == [("customer.phone_unreachable", "customer")]

    # the same receipt again marks nothing twice; staff cannot record receipts
    again = jobs.record_sms_receipts(receipts)
    assert (again.recorded, again.numbers_marked_unreachable) == (3, 0)
    with pytest.raises(PermissionDenied):
        SystemServices(db, Actor.job("scheduler")).record_sms_receipts(receipts)


def test_http_callback_records_through_the_webhook_job(db: Database) -> None:
    [(account_id, number)] = _accounts(db, 1)
    _enqueue(db, account_id, number, "o:1")
    with db.write() as s:
        s.execute(update(OutboxMessage).values(provider_id="gw-42", status="sent"))
    jobs = SystemServices(db, Actor.job("webhooks"))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status, answer = receipt_callback(
                lambda r: jobs.record_sms_receipts([r]), "hook", dict(self.headers), body)
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.server_address[1]}/sms/receipts", method="POST",
            data=json.dumps({"id": "gw-42", "status": "expired", "error": "E12"}).encode(),
            headers={"Authorization": "Bearer hook", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
    finally:
        server.shutdown()
        server.server_close()
    with db.read() as s:
        state, error = s.execute(select(OutboxMessage.receipt_state,
                                        OutboxMessage.last_error)).one()
    assert (state, error) == ("expired", "delivery receipt: expired (E12)")


def test_who_may_estimate() -> None:
    from ebs_desktop.domain.permissions import allowed
    assert [r for r in ("clerk", "reader", "billing", "manager", "admin")
            if allowed(frozenset({r}), "notification.estimate")] == ["billing", "manager", "admin"]


def _receipt_states(db: Database) -> list[tuple[str, str | None, str | None]]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(  # type: ignore[misc]
            select(OutboxMessage.status, OutboxMessage.receipt_state, OutboxMessage.recipient)
            .order_by(OutboxMessage.id))]


def test_the_sender_polls_smpp_receipts_while_it_runs(db: Database) -> None:
    """Issue 20 (b): ``ebs notify run`` reads the SMSC's receipts on its own bind: after
    a batch (``--once``) and while it waits for work (a long run); the rejected number is
    marked unreachable, the summary counts the receipts."""
    from ebs_desktop.services.notify.sender import Transports

    accounts = _accounts(db, 3)
    for i, (account_id, number) in enumerate(accounts[:2]):
        _enqueue(db, account_id, number, f"o:{i}")
    with db.write() as s:  # no quiet hours, whatever the time the test runs at
        settings_store.store_value(s, "sms.quiet_start", json.dumps("00:00"))
        settings_store.store_value(s, "sms.quiet_end", json.dumps("00:00"))
    smsc = SmppServer().start()
    smsc.receipt_stat["15550100001"] = "REJECTD"
    transports = Transports(sms=lambda: SmppProvider("127.0.0.1", smsc.port, "ebs",
                                                     "secret", timeout=5))
    jobs = SystemServices(db, Actor.job("notifier"))
    try:
        summary = jobs.send_notifications(transports=transports, channel="sms", once=True)
        assert (summary.sent, summary.receipts) == (2, 2)
        assert _receipt_states(db) == [("sent", "delivered", "+15550100000"),
                                       ("sent", "unreachable", "+15550100001")]
        with db.read() as s:
            assert s.scalar(select(Customer.phone_status)
                            .where(Customer.phone == "+15550100001")) == "unreachable"

        # a long run: the third message enqueued while the sender waits for work
        stop = threading.Event()
        found: list[object] = []
        runner = threading.Thread(target=lambda: found.append(jobs.send_notifications(
            transports=transports, channel="sms", once=False, stop=stop,
            poll_seconds=0.2)))
        runner.start()
        _enqueue(db, *accounts[2], "o:2")
        for _ in range(100):
            if _receipt_states(db)[-1][1] is not None:
                break
            threading.Event().wait(0.1)
        stop.set()
        runner.join(10)
    finally:
        smsc.stop()
    assert _receipt_states(db)[-1] == ("sent", "delivered", "+15550100002")
    assert found and found[0].receipts == 1  # type: ignore[attr-defined]
