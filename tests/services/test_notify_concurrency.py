"""Four senders in four processes drain one outbox; one is killed (SIGKILL) mid-batch.
Every message reaches the SMTP server, the killed sender's leased messages are taken over
once its lease runs out, and no message is delivered twice under two Message-IDs: at most
the ones sent and not yet marked at the kill (MARK_AHEAD) and the one in flight come
again, with the same Message-ID. On PostgreSQL (SKIP LOCKED leases) and SQLite (the write lock)."""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter

from sqlalchemy import select, update

from ebs_desktop.domain.notifications import Kind
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Customer, OutboxMessage
from ebs_desktop.persistence.stores import outbox
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.facade import SystemServices
from ebs_desktop.services.notify.content import message_id
from ebs_desktop.services.notify.sender import MARK_AHEAD
from tests.support.counter_scratch import seed_counter_scratch
from tests.support.notify_worker import run_sender_process
from tests.support.smtp_server import MailServer

ACCOUNTS = 40
PER_ACCOUNT = 5
LEASE = 3.0


def _fill(db: Database) -> list[str]:
    seed_counter_scratch(db, ACCOUNTS, with_users=False)
    with db.write() as s:
        accounts = s.execute(select(Account.id, Account.account_number)).all()
        for customer_id in list(s.scalars(select(Customer.id))):
            s.execute(update(Customer).where(Customer.id == customer_id)
                      .values(email=f"c{customer_id}@example.com"))
        for account_id, number in accounts:
            for n in range(PER_ACCOUNT):
                outbox.enqueue(s, kind=Kind.PAYMENT_POSTED, account_id=account_id,
                               dedupe_key=f"payment_posted:R{account_id}-{n}", language="en",
                               context={"customer_name": "A", "account_number": number,
                                        "amount": "$1.00", "paid_on": "today",
                                        "receipt_number": f"R{account_id}-{n}",
                                        "balance": "$0.00"})
        keys = list(s.scalars(select(OutboxMessage.dedupe_key)))
    assert len(keys) == ACCOUNTS * PER_ACCOUNT
    return keys


def test_four_senders_one_killed_each_message_delivered_once(db: Database) -> None:
    keys = _fill(db)
    expected = {message_id(k, "billing@localhost") for k in keys}
    spawn = multiprocessing.get_context("spawn")
    with MailServer() as server:
        server.handler.delay = 0.004
        senders = [spawn.Process(target=run_sender_process,
                                 args=(db.url_text, server.port, f"sender-{i}", LEASE))
                   for i in range(4)]
        for p in senders:
            p.start()
        deadline = time.monotonic() + 60
        while (len(server.received) < 40 or not _holds_leases(db, "sender-0")) \
                and time.monotonic() < deadline:
            time.sleep(0.01)  # (on a loaded machine sender-0 may start late)
        senders[0].kill()  # mid-batch: it holds leased messages it has not sent
        senders[0].join(10)
        with db.read() as s:
            held = s.scalars(select(OutboxMessage.id).where(
                OutboxMessage.status == "sending",
                OutboxMessage.leased_by.like("sender-0/%"))).all()
        for p in senders[1:]:
            p.join(60)
        assert [p.exitcode for p in senders[1:]] == [0, 0, 0]
        time.sleep(LEASE + 0.5)  # the killed sender's lease runs out...
        late = SystemServices(db, Actor.job("notifier")).send_notifications(
            transports=_transports(server.port), name="takeover")  # ...and is taken over
    received = Counter(server.handler.message_ids())
    assert set(received) == expected  # every message arrived
    repeats = sum(n - 1 for n in received.values())
    # only those sent and not yet marked at the kill (the marks run at most MARK_AHEAD
    # behind) and the one in flight, each under its own Message-ID
    assert repeats <= MARK_AHEAD + 1
    assert held  # (taken over by the takeover sender, or by the others when the load
    assert late.sent <= len(held)  # made them outlive the killed sender's lease)
    with db.read() as s:
        states = Counter(s.scalars(select(OutboxMessage.status)))
        taken_over = set(s.execute(select(OutboxMessage.status, OutboxMessage.attempts,
                                          OutboxMessage.leased_by.like("sender-0/%"))
                                   .where(OutboxMessage.id.in_(held))).all())
    assert states == {"sent": len(keys)}
    assert taken_over == {("sent", 2, False)}


def _holds_leases(db: Database, sender: str) -> bool:
    with db.read() as s:
        return s.scalar(select(OutboxMessage.id).where(
            OutboxMessage.status == "sending",
            OutboxMessage.leased_by.like(f"{sender}/%")).limit(1)) is not None


def _transports(port: int):  # type: ignore[no-untyped-def]
    from ebs_desktop.devices.email_smtp import SmtpConfig, SmtpTransport
    from ebs_desktop.services.notify.sender import Transports

    config = SmtpConfig("127.0.0.1", port)
    return Transports(email=lambda: SmtpTransport(config))
