"""The outbox sender against a bare smtplib loop, side by side in one run.

Both send the same bill emails (text + HTML + the bill's PDF) to one local SMTP sink
(aiosmtpd in a process of its own, so the server's work is not charged to either):

* **sender**: ``run_sender`` draining the outbox as in production (``--workers N``: N
  processes, the server from the ``smtp.*`` settings): claim a batch (leases),
  load the bills' documents and their kept PDFs, render the templates, compose, send,
  mark each message sent in its own transaction. The bills' PDFs are drawn and kept
  beforehand (``render_bill_pdfs``, on every core; timed and reported on its own, as the
  bare loop's preparation is not timed), as after a print run; ``--cold`` leaves them to
  the sender, which then draws each one as it first sends it;
* **bare loop**: the same messages prepared beforehand down to their bytes (not
  timed), then ``smtp.sendmail`` in a loop over one connection: the rate of the wire and
  server alone, the ceiling for any sender. (Before 2026-12-07 the loop called
  ``send_message``, flattening each message inside the timed loop: a lower ceiling.)
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import time
from typing import Any


def _sink(port: int, ready: Any, counter: Any) -> None:
    """An SMTP server that accepts everything and counts it."""
    from aiosmtpd.controller import Controller

    class Count:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            counter.value += 1  # one event loop: no lock needed
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def _smtp_policy() -> Any:
    """The policy ``smtplib.send_message`` flattens with (CRLF line ends)."""
    from email.policy import SMTP

    return SMTP


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_email(url: str, bills: int, workers: int, cold: bool = False) -> dict[str, Any]:
    """Build ``bills`` demo accounts with email, bill them, then time both senders."""
    import smtplib

    from sqlalchemy import delete, func, select, update

    from ebs_desktop.domain.notifications import Channel, Kind
    from ebs_desktop.persistence import migrate
    from ebs_desktop.persistence.engine import open_database
    from ebs_desktop.persistence.models import AccountPreferences, Bill, Customer, OutboxMessage
    from ebs_desktop.persistence.stores import bill_pdfs as pdf_store
    from ebs_desktop.persistence.stores import outbox
    from ebs_desktop.persistence.stores import settings as settings_store
    from ebs_desktop.services.actor import Actor, system_actor
    from ebs_desktop.services.bill_documents import load_documents, utility_header
    from ebs_desktop.services.demo import build_demo
    from ebs_desktop.services.demo.build import last_complete_month
    from ebs_desktop.services.facade import SystemServices
    from ebs_desktop.services.notify import content
    from ebs_desktop.services.notify.bill_pdfs import render_bill_pdfs
    from ebs_desktop.services.notify.sender import bill_attachment, bill_context
    from ebs_desktop.services.settings import get_settings

    db = open_database(url)
    migrate.upgrade(db)
    until = last_complete_month()
    build_demo(db, bills, 2, until, counter_months=1)
    with db.write() as s:
        s.execute(update(Customer).values(email="customer@example.com"))
        s.execute(delete(OutboxMessage))  # the demo run told its bills by SMS (no email)
        s.execute(update(AccountPreferences).values(channels=None))  # every bill by email
        period = s.scalar(select(func.max(Bill.period)))
        ids = list(s.scalars(select(Bill.id).where(Bill.period == period).order_by(Bill.id)))
        outbox.enqueue_bills(s, ids, "en_US")
    spawn = multiprocessing.get_context("spawn")
    port = _free_port()
    ready, counter = spawn.Event(), spawn.RawValue("q", 0)
    sink = spawn.Process(target=_sink, args=(port, ready, counter), daemon=True)
    sink.start()
    ready.wait(30)
    try:
        rendering = 0.0
        if not cold:  # the PDFs drawn once and kept, as a print run (or this) leaves them
            started = time.perf_counter()
            render_bill_pdfs(db, system_actor("bench"), ids, workers=os.cpu_count() or 1)
            rendering = time.perf_counter() - started
        # the bare loop's messages, prepared untimed down to their bytes: the same
        # documents, PDFs and parts, flattened as smtplib.send_message flattens them
        with db.read() as s:
            settings = get_settings(s)
            docs = load_documents(s, ids, settings, utility_header(settings))
            kept = {} if cold else pdf_store.stored(s, ids)
        prepared: list[bytes] = []
        for bill_id, doc in zip(ids, docs, strict=True):
            rendered = content.render(Kind.BILL_ISSUED, Channel.EMAIL, "en",
                                      {"utility_name": settings.utility_name,
                                       "utility_phone": settings.phone,
                                       **bill_context(doc, "en_US")})
            message = content.compose_email(
                rendered, sender="billing@localhost", sender_name=settings.utility_name,
                recipient="customer@example.com", dedupe_key=f"bare:{doc.bill_number}",
                attachments=[bill_attachment(doc, kept.get(bill_id))])
            prepared.append(message.as_bytes(policy=_smtp_policy()))
        del docs, kept
        started = time.perf_counter()
        smtp = smtplib.SMTP("127.0.0.1", port)
        for data in prepared:
            smtp.sendmail("billing@localhost", ["customer@example.com"], data)
        smtp.quit()
        bare = time.perf_counter() - started
        started = time.perf_counter()
        with db.write() as s:  # the sender reads its server from the settings
            settings_store.store_value(s, "smtp.host", '"127.0.0.1"')
            settings_store.store_value(s, "smtp.port", str(port))
        summary = SystemServices(db, Actor.job("notifier")).send_notifications(
            workers=workers, batch=50)
        ours = time.perf_counter() - started
        received = int(counter.value)
    finally:
        sink.kill()
        db.dispose()
    size = sum(len(m) for m in prepared[:100]) // max(1, min(100, len(prepared)))
    return {"messages": len(prepared), "sent": summary.sent, "workers": workers,
            "bare_seconds": round(bare, 2), "bare_per_s": round(len(prepared) / bare),
            "sender_seconds": round(ours, 2), "sender_per_s": round(summary.sent / ours),
            "ratio": round((summary.sent / ours) / (len(prepared) / bare), 2),
            "message_bytes": size, "received": received, "cold": cold,
            "pdfs_drawn_seconds": round(rendering, 2),
            "backend": url.split(":", 1)[0].split("+", 1)[0]}
