"""The outbox sender: drain ``notification_outbox`` through the email and SMS transports.

How a message leaves, once:

1. **Claim** (one short write transaction): up to ``batch`` due messages are leased to this
   sender (``status='sending'``, ``leased_by``, ``lease_until``); on PostgreSQL with
   ``FOR UPDATE SKIP LOCKED`` so senders on several machines take different rows without
   waiting; on SQLite the write transaction (``BEGIN IMMEDIATE``) makes the claim
   single-writer. A lease that runs out (its sender was killed) makes the row due again,
   for any sender.
2. **Send** each message: render its template (:mod:`.content`), attach the bill's PDF to a
   bill email (rendered exactly as the print run renders it: same document, deterministic
   PDF), hand it to the transport with its dedupe key (the Message-ID of the email, the
   client reference of an SMS).
3. **Mark** each message, only while this sender still holds the lease: ``sent`` in
   groups of ``mark_ahead`` (and the rest at the end of each batch), one statement and
   one commit per group (a commit each cost as much as the SMTP exchange: on SQLite with
   ``synchronous=FULL`` an fsync); ``pending`` again after a backoff with jitter
   (temporary failure), or ``failed`` (permanent failure, template problem, too many
   tries), each in its own transaction at once. An unreachable recipient also marks
   the customer's email or phone unreachable (audited), which the account page shows.

The one window where a message can go twice is a crash between the provider's "accepted"
and the mark (at most ``mark_ahead`` + 1 messages: those sent and not yet marked, and
the one in flight): the retry carries the same Message-ID / client reference, so the
provider (or the customer's mail client) can drop the repeat.

Delivery receipts: an SMS provider that reads them on its own connection (SMPP
``deliver_sm``: :meth:`ebs_desktop.devices.sms.smpp.SmppProvider.receipts`) is polled
after every batch and while the sender waits for work, and the receipts are written on
their messages (:func:`ebs_desktop.services.notify.sms.record_sms_receipts`: delivered,
failed, a number the network rejects marked unreachable). An HTTP gateway posts its
receipts to the callback instead. ``--once`` waits up to ``RECEIPT_WAIT`` seconds at the
end for the receipts of what it sent.

SMS are held back in the utility's quiet hours (settings ``sms.quiet_start`` /
``sms.quiet_end``, in its time zone): claimed SMS are given back due at the end of the
window, with the try not counted; so are the SMS of a customer inside their own quiet
window (``account_preferences.quiet_from`` / ``quiet_to``, chosen in the portal).
"""

from __future__ import annotations

import os
import socket
import threading
import time as _time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ebs_desktop.devices.delivery import (
    DeliveryError,
    EmailTransport,
    PermanentFailure,
    Sent,
    SmsProvider,
    TemporaryFailure,
    UnreachableRecipient,
)
from ebs_desktop.domain.delivery_rules import MAX_ATTEMPTS, backoff, quiet_until
from ebs_desktop.domain.formatting import format_date, format_money
from ebs_desktop.domain.notifications import Attachment, Channel, Kind
from ebs_desktop.errors import ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import outbox as store
from ebs_desktop.persistence.stores import preferences as preferences_store
from ebs_desktop.services import audit, notify_settings
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.notify import content
from ebs_desktop.services.notify.bill_pdfs import (
    bill_figures,
    kept_for,
    own_process_possible,
)
from ebs_desktop.services.notify_settings import NotifySettings
from ebs_desktop.services.progress import TaskState
from ebs_desktop.services.settings import UtilitySettings, get_settings

LEASE_SECONDS = 300.0
BATCH = 20
POLL_SECONDS = 2.0
RECEIPT_WAIT = 1.0
MARK_AHEAD = 8


@dataclass(frozen=True)
class DeliverySettings:
    """What the sender needs of the settings: the delivery keys (``ebs settings``, one
    snapshot from :mod:`ebs_desktop.services.notify_settings`) and the utility's own."""

    notify: NotifySettings = field(default_factory=NotifySettings)
    utility: UtilitySettings = field(default_factory=UtilitySettings)

    @property
    def sender_address(self) -> str:
        return self.notify.smtp_from or "billing@localhost"

    @property
    def quiet_start(self) -> time:
        return self.notify.quiet_hours[0]

    @property
    def quiet_end(self) -> time:
        return self.notify.quiet_hours[1]


def _delivery_settings(db: Database, actor: Actor) -> DeliverySettings:
    chosen = notify_settings.current_notify_settings(db, actor)
    with db.read() as s:
        utility = get_settings(s)
    return DeliverySettings(chosen, utility)


def _secret(db: Database, actor: Actor, key: str) -> str | None:
    """A secret from the keyring (``ebs settings secret KEY``), None when none is kept."""
    return notify_settings.secret_value(db, actor, key)


@dataclass(frozen=True)
class Transports:
    """How to open a transport per sending worker (each worker keeps its own connection).
    None: that channel is not configured here and its messages wait."""

    email: Callable[[], EmailTransport] | None = None
    sms: Callable[[], SmsProvider] | None = None


def transports_from_settings(db: Database, actor: Actor) -> Transports:
    """The SMTP transport of the settings (``smtp.*``; password: secret
    ``smtp.password``). SMS: the SMS adapters' own factory, when installed."""
    require(actor, "notification.send")
    from ebs_desktop.devices.email_smtp import SmtpConfig, SmtpTransport

    found = _delivery_settings(db, actor).notify
    config = SmtpConfig(found.smtp_host, found.smtp_port, found.smtp_security,
                        found.smtp_user or None,
                        _secret(db, actor, "smtp.password") if found.smtp_user else None)
    sms: Callable[[], SmsProvider] | None = None
    chosen = found
    if chosen.sms_url:  # an SMS provider is configured: HTTP gateway or SMPP
        from ebs_desktop.devices.sms import provider_for

        key = "sms.token" if chosen.sms_provider == "http" else "sms.password"
        secret = _secret(db, actor, key) or ""

        def sms_provider() -> SmsProvider:
            return provider_for(chosen.sms_provider, chosen.sms_url, secret,
                                system_id=chosen.sms_system_id, sender=chosen.sms_sender)

        sms = sms_provider
    return Transports(email=lambda: SmtpTransport(config), sms=sms)


@dataclass(frozen=True)
class SendSummary:
    """What one run of the sender did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
    postponed: int = 0
    lost_lease: int = 0  # another sender took the message over after this one's lease ran out
    receipts: int = 0  # SMS delivery receipts read from the provider and recorded

    def to_json(self) -> dict[str, int]:
        return {"sent": self.sent, "retried": self.retried, "failed": self.failed,
                "unreachable": self.unreachable, "postponed": self.postponed,
                "lost_lease": self.lost_lease, "receipts": self.receipts}


class _Tally:
    """The running counts, shared by the sending threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts = dict.fromkeys(SendSummary().to_json(), 0)

    def add(self, what: str, n: int = 1) -> None:
        with self._lock:
            self.counts[what] += n

    @property
    def sent(self) -> int:
        return self.counts["sent"]

    def frozen(self) -> SendSummary:
        with self._lock:
            return SendSummary(**self.counts)


def sender_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class _Marker:
    """The "sent" marks of one sending loop, written ``ahead`` at a time in one
    statement and one commit (and whatever is left at the end of each batch).

    A commit per message cost as much as the SMTP exchange (on SQLite with
    ``synchronous=FULL`` an fsync); a marking thread beside the loop was tried and lost
    more than it won: each of its wake-ups took the GIL from the loop waiting on the
    server's reply (switch interval 5 ms)."""

    def __init__(self, db: Database, name: str, summary: _Tally, ahead: int) -> None:
        self.db, self.name, self.summary, self.ahead = db, name, summary, max(1, ahead)
        self._queue: list[tuple[int, str]] = []

    def add(self, message_id: int, provider_id: str) -> None:
        self._queue.append((message_id, provider_id))
        if len(self._queue) >= self.ahead:
            self.flush()

    def flush(self) -> None:
        """Commit the marks not written yet."""
        group, self._queue = self._queue, []
        if not group:
            return
        with self.db.write() as s:
            done = store.finish_sent_many(s, self.name, group, datetime.now(UTC))
        self.summary.add("sent", len(done))
        self.summary.add("lost_lease", len(group) - len(done))

    def close(self) -> None:
        self.flush()


class _Worker:
    """One sending loop with its own transports (one SMTP session, one SMS session)."""

    def __init__(self, db: Database, actor: Actor, transports: Transports,
                 channels: Sequence[str], found: DeliverySettings, summary: _Tally,
                 *, once: bool, batch: int, lease: timedelta, poll: float,
                 stop: threading.Event, name: str, mark_ahead: int = MARK_AHEAD) -> None:
        self.db, self.actor, self.transports = db, actor, transports
        self.channels = list(channels)
        self.found, self.summary = found, summary
        self.once, self.batch, self.lease, self.poll = once, batch, lease, poll
        self.stop, self.name = stop, name
        self._email: EmailTransport | None = None
        self._sms: SmsProvider | None = None
        self._template_cache: dict[str, Mapping[str, str]] = {}
        self.mark_ahead = mark_ahead
        self._marks: _Marker | None = None

    def run(self) -> None:
        self._marks = _Marker(self.db, self.name, self.summary, self.mark_ahead)
        try:
            while not self.stop.is_set():
                claimed = self._claim()
                if not claimed:
                    if self.once:
                        self._receipts(RECEIPT_WAIT)
                        return
                    if not self._receipts(self.poll):  # waiting for work or receipts
                        self.stop.wait(self.poll)
                    continue
                documents, pdfs = self._documents(claimed)
                for message in claimed:
                    self._one(message, documents, pdfs)
                self._marks.flush()
                self._receipts(0.0)
        finally:
            try:
                self._marks.close()
            finally:
                for transport in (self._email, self._sms):
                    if transport is not None:
                        transport.close()

    def _receipts(self, wait: float) -> bool:
        """Record the delivery receipts the SMS connection holds, reading for up to
        ``wait`` seconds more; False when there is no connection that carries receipts
        (nothing was waited for)."""
        take = getattr(self._sms, "receipts", None)
        if take is None:
            return False
        found = take(wait=wait)
        if found:
            assert self._marks is not None
            self._marks.flush()  # a receipt finds its message by the provider id marked
            from ebs_desktop.services.notify.sms import record_sms_receipts

            recorded = record_sms_receipts(self.db, self.actor, found)
            self.summary.add("receipts", recorded.recorded)
        return True

    def _claim(self) -> list[store.Claimed]:
        now = datetime.now(UTC)
        held = quiet_until(now, self.found.quiet_start, self.found.quiet_end,
                           self.found.utility.timezone)
        with self.db.write() as s:
            claimed = store.claim(s, self.name, limit=self.batch, lease=self.lease, now=now,
                                  channels=self.channels)
            quiet = [m.id for m in claimed if m.channel == Channel.SMS.value]
            if held is not None and quiet:
                store.postpone(s, quiet, self.name, held)
                self.summary.add("postponed", len(quiet))
                claimed = [m for m in claimed if m.channel != Channel.SMS.value]
            elif quiet:
                own = self._customers_quiet(s, claimed, now)
                if own:
                    claimed = [m for m in claimed if m.id not in own]
        return claimed

    def _customers_quiet(self, s: Any, claimed: Sequence[store.Claimed],
                         now: datetime) -> set[int]:
        """Postpone the SMS of customers inside their own quiet window (chosen in the
        portal or at the counter) to its end; the ids held back."""
        sms = [m for m in claimed if m.channel == Channel.SMS.value]
        windows = preferences_store.quiet_windows(s, [m.account_id for m in sms])
        later: dict[datetime, list[int]] = {}
        for message in sms:
            window = windows.get(message.account_id)
            if window is None:
                continue
            until = quiet_until(now, time.fromisoformat(window[0]),
                                time.fromisoformat(window[1]), self.found.utility.timezone)
            if until is not None:
                later.setdefault(until, []).append(message.id)
        for until, ids in later.items():
            store.postpone(s, ids, self.name, until)
            self.summary.add("postponed", len(ids))
        return {i for ids in later.values() for i in ids}

    def _documents(self, claimed: Sequence[store.Claimed]
                   ) -> tuple[dict[int, Any], dict[int, bytes]]:
        """The figures of the batch's bill notices and the PDFs its bill emails attach,
        both as kept with the bill's PDF (:mod:`.bill_pdfs`: drawn once per bill; drawn
        here, from the bill documents, only when nothing drew them before)."""
        ids = {m.bill_id for m in claimed if m.bill_id is not None
               and m.kind == Kind.BILL_ISSUED.value}
        if not ids:
            return {}, {}
        emailed = {m.bill_id for m in claimed if m.bill_id is not None
                   and m.kind == Kind.BILL_ISSUED.value and m.channel == Channel.EMAIL.value}
        return kept_for(self.db, ids, emailed)

    def _one(self, message: store.Claimed, documents: Mapping[int, Any],
             pdfs: Mapping[int, bytes]) -> None:
        try:
            sent = self._deliver(message, documents, pdfs)
        except UnreachableRecipient as exc:
            self._unreachable(message, str(exc))
            return
        except (PermanentFailure, ValidationError) as exc:
            self._finish(store.finish_failed, message, str(exc), "failed")
            return
        except (TemporaryFailure, DeliveryError) as exc:
            if message.attempts >= MAX_ATTEMPTS:
                self._finish(store.finish_failed, message,
                             f"gave up after {message.attempts} tries: {exc}", "failed")
            else:
                again = datetime.now(UTC) + backoff(message.attempts)
                with self.db.write() as s:
                    done = store.finish_retry(s, message.id, self.name, str(exc), again)
                self.summary.add("retried" if done else "lost_lease")
            return
        assert self._marks is not None
        self._marks.add(message.id, sent.provider_id)

    def _finish(self, mark: Callable[..., bool], message: store.Claimed, error: str,
                what: str) -> None:
        with self.db.write() as s:
            done = mark(s, message.id, self.name, error)
        self.summary.add(what if done else "lost_lease")

    def _unreachable(self, message: store.Claimed, problem: str) -> None:
        with self.db.write() as s:
            if not store.finish_failed(s, message.id, self.name, problem):
                self.summary.add("lost_lease")
                return
            customer_id, before = store.mark_contact_unreachable(
                s, message.account_id, message.channel, problem)
            what = "email" if message.channel == Channel.EMAIL.value else "phone"
            audit.record(s, self.actor, "customer.contact_unreachable", "customer",
                         customer_id, before={f"{what}_status": before},
                         after={f"{what}_status": "unreachable", f"{what}_problem": problem,
                                what: message.recipient, "message": message.id})
        self.summary.add("unreachable")

    def _overrides(self, language: str) -> Mapping[str, str]:
        """The administrator's replaced templates of ``language``, read once per worker
        (``ebs notify run`` is restarted, or a long run re-reads at its next start)."""
        found = self._template_cache.get(language)
        if found is None:
            from ebs_desktop.services.notify import templates

            with self.db.read() as s:
                found = templates.overrides_for(s, language)
            self._template_cache[language] = found
        return found

    def _deliver(self, message: store.Claimed, documents: Mapping[int, Any],
                 pdfs: Mapping[int, bytes]) -> Sent:
        kind = Kind(message.kind)
        attachments: list[Attachment] = []
        utility = self.found.utility
        figures = None
        if kind is Kind.BILL_ISSUED and message.bill_id is not None:
            figures = documents.get(message.bill_id)
            pdf = pdfs.get(message.bill_id)
            if figures is None or (pdf is None and message.channel == Channel.EMAIL.value):
                more_figures, more_pdfs = self._documents([message])
                figures = more_figures.get(message.bill_id)
                pdf = more_pdfs.get(message.bill_id)
            if figures is not None and pdf is not None \
                    and message.channel == Channel.EMAIL.value:
                attachments.append(Attachment(pdf_file_name(figures), "application/pdf",
                                              pdf))
        context = message_context(message.context, utility, None, message.language,
                                  figures)
        if message.channel == Channel.SMS.value:
            if self.transports.sms is None:
                raise TemporaryFailure("no SMS provider is configured")
            rendered = content.render(kind, Channel.SMS, message.language, context,
                                      self._overrides(message.language))
            if self._sms is None:
                self._sms = self.transports.sms()
            return self._sms.send(message.recipient, rendered.text, message.dedupe_key)
        if self.transports.email is None:
            raise TemporaryFailure("no mail server is configured")
        rendered = content.render(kind, Channel.EMAIL, message.language, context,
                                  self._overrides(message.language))
        email = content.compose_raw(
            rendered, sender=self.found.sender_address, sender_name=utility.utility_name,
            recipient=message.recipient, dedupe_key=message.dedupe_key,
            attachments=attachments)
        if self._email is None:
            self._email = self.transports.email()
        return self._email.send(email)


def message_context(stored: Mapping[str, Any], utility: UtilitySettings, doc: Any | None,
                    language: str, figures: Mapping[str, Any] | None = None
                    ) -> dict[str, Any]:
    """What a template gets: the context stored with the message, the utility's name and
    phone, and for a bill notice the bill's figures (the sender and the Outbox screen both
    render from this, so the screen shows what the customer will read)."""
    context = dict(stored)
    context.setdefault("utility_name", utility.utility_name)
    context.setdefault("utility_phone", utility.phone)
    if figures is not None:
        context.update(figures_context(figures, language))
    elif doc is not None:
        context.update(bill_context(doc, language))
    return context


def bill_context(doc: Any, language: str) -> dict[str, str]:
    """The bill's figures for the templates, from the very document the PDF shows."""
    return figures_context(bill_figures(doc), language)


def figures_context(figures: Mapping[str, Any], language: str) -> dict[str, str]:
    """The templates' bill variables from a bill's figures (:func:`bill_figures`)."""
    from ebs_desktop.domain.money import Money
    from ebs_desktop.reports.payment_code import payment_barcode_value

    total = Money(int(figures["total_due_minor"]), str(figures["currency"]))
    day = date.fromisoformat
    return {
        "customer_name": figures["customer_name"],
        "account_number": figures["account_number"],
        "bill_number": figures["bill_number"],
        "amount_due": format_money(total, language),
        "due_date": format_date(day(figures["due_date"]), language),
        "period_from": format_date(day(figures["period_start"]), language),
        "period_to": format_date(day(figures["period_end"]), language),
        "payment_code": payment_barcode_value(figures["account_number"],
                                              figures["bill_number"], total),
    }


def pdf_file_name(figures: Mapping[str, Any]) -> str:
    """The bill's file name as the print run names it, from its kept figures."""
    from ebs_desktop.reports.bill_batch import bill_file_name

    named: Any = _Named(str(figures["account_number"]), str(figures["bill_number"]))
    return bill_file_name(named)


@dataclass(frozen=True)
class _Named:
    account_number: str
    bill_number: str


def bill_attachment(doc: Any, pdf: bytes | None = None) -> Attachment:
    """The bill's PDF, byte for byte what ``ebs bill print --bill N --split`` writes: the
    kept one (``pdf``, :mod:`.bill_pdfs`), else drawn now."""
    from ebs_desktop.reports.bill_batch import bill_file_name

    if pdf is None:
        from ebs_desktop.reports.bill_pdf import bill_pdf_bytes

        pdf = bill_pdf_bytes(doc)
    return Attachment(bill_file_name(doc), "application/pdf", pdf)


def _channels(channel: str | None, transports: Transports) -> list[str]:
    if channel is not None:
        if channel not in (c.value for c in Channel):
            raise ValidationError(f"no channel {channel!r} (email or sms)",
                                  location="--channel")
        return [channel]
    return [c.value for c, factory in ((Channel.EMAIL, transports.email),
                                       (Channel.SMS, transports.sms)) if factory is not None]


def run_sender(db: Database, actor: Actor, *, once: bool = True, workers: int = 1,
               channel: str | None = None, transports: Transports | None = None,
               batch: int = BATCH, lease_seconds: float = LEASE_SECONDS,
               poll_seconds: float = POLL_SECONDS, stop: threading.Event | None = None,
               name: str | None = None, task: TaskState | None = None,
               mark_ahead: int = MARK_AHEAD) -> SendSummary:
    """Send what the outbox holds. ``once``: until nothing is due, then return; else keep
    polling until ``stop`` is set (or the task is cancelled). ``workers``: sending loops
    (threads), each with its own connections. ``channel``: only ``email`` or ``sms``.
    ``transports``: default from the settings (:func:`transports_from_settings`); then
    more than one worker is a process each (their own connections and cores), else a
    thread each. ``mark_ahead``: how many sent messages a loop may have whose "sent" mark
    is not committed yet (what a crash can send again, under the same Message-ID)."""
    require(actor, "notification.send")
    if workers < 1 or workers > 64:
        raise ValidationError(f"--workers must be 1 to 64, not {workers}",
                              location="--workers")
    if transports is None and workers > 1 and own_process_possible(db):
        return _in_processes(db, actor, workers=workers, once=once, channel=channel,
                             batch=batch, lease_seconds=lease_seconds,
                             poll_seconds=poll_seconds, stop=stop, name=name, task=task)
    transports = transports or transports_from_settings(db, actor)
    channels = _channels(channel, transports)
    found = _delivery_settings(db, actor)
    summary = _Tally()
    stop = stop or threading.Event()
    base = name or sender_name()
    loops = [_Worker(db, actor, transports, channels, found, summary, once=once, batch=batch,
                     lease=timedelta(seconds=lease_seconds), poll=poll_seconds, stop=stop,
                     name=f"{base}/{i}"[:64], mark_ahead=mark_ahead) for i in range(workers)]
    if workers == 1 and task is None:
        loops[0].run()
        return summary.frozen()
    errors: list[BaseException] = []

    def guarded(worker: _Worker) -> None:
        try:
            worker.run()
        except BaseException as exc:  # re-raised below
            errors.append(exc)
            stop.set()

    threads = [threading.Thread(target=guarded, args=(w,), name=w.name, daemon=True)
               for w in loops]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        if task is not None:
            task.report(summary.sent, 0, f"{summary.sent} sent")
            if task.is_cancelled:
                stop.set()
        _time.sleep(0.2)
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return summary.frozen()


def _process_main(url: str, actor: Actor, once: bool, channel: str | None, batch: int,
                  lease_seconds: float, poll_seconds: float, stop: Any, name: str,
                  results: Any) -> None:
    """A sending worker process: its own database connection, transports from the
    settings, one loop; its summary goes back through ``results``."""
    from ebs_desktop.persistence.engine import open_database

    db = open_database(url)
    local = threading.Event()

    def watch() -> None:
        # polled, never waited on: a process Event's waiter that dies with its process
        # would leave the parent's set() waiting for it forever
        while not stop.is_set():
            _time.sleep(0.2)
        local.set()

    threading.Thread(target=watch, daemon=True).start()
    try:
        summary = run_sender(db, actor, once=once, channel=channel, batch=batch,
                             lease_seconds=lease_seconds, poll_seconds=poll_seconds,
                             stop=local, name=name)
        results.put(summary.to_json())
    finally:
        db.dispose()


def _in_processes(db: Database, actor: Actor, *, workers: int, once: bool,
                  channel: str | None, batch: int, lease_seconds: float,
                  poll_seconds: float, stop: threading.Event | None, name: str | None,
                  task: TaskState | None) -> SendSummary:
    """``workers`` sending processes (rendering a bill's PDF is CPU work that threads
    would share one core for); each claims its own batches."""
    import multiprocessing

    spawn = multiprocessing.get_context("spawn")
    shared_stop = spawn.Event()
    results = spawn.Queue()
    base = name or sender_name()
    procs = [spawn.Process(target=_process_main,
                           args=(db.url_text, actor, once, channel, batch, lease_seconds,
                                 poll_seconds, shared_stop, f"{base}/p{i}"[:60], results),
                           daemon=True)
             for i in range(workers)]
    for p in procs:
        p.start()
    total = dict.fromkeys(SendSummary().to_json(), 0)
    done = 0
    try:
        while done < len(procs):
            if (stop is not None and stop.is_set()) or (task is not None
                                                        and task.is_cancelled):
                shared_stop.set()
            try:
                part = results.get(timeout=0.2)
            except Exception:  # queue.Empty: no worker finished yet
                if not any(p.is_alive() for p in procs) and results.empty():
                    break
                continue
            for key, n in part.items():
                total[key] += n
            done += 1
            if task is not None:
                task.report(total["sent"], 0, f"{total['sent']} sent")
    finally:
        shared_stop.set()
        for p in procs:
            p.join()
    failed = [p.exitcode for p in procs if p.exitcode]
    if failed:
        raise RuntimeError(f"{len(failed)} sending process(es) failed (exit codes {failed})")
    return SendSummary(**total)


@dataclass(frozen=True)
class OutboxStatus:
    """The backlog by channel and state, the oldest waiting message, the failures."""

    counts: dict[str, int]
    by_channel: dict[str, dict[str, int]]
    oldest_waiting: datetime | None
    failures: tuple[tuple[int, str, str, str, str], ...]

    def to_json(self) -> dict[str, Any]:
        return {**self.counts, "by_channel": self.by_channel,
                "oldest_waiting": (self.oldest_waiting.isoformat()
                                   if self.oldest_waiting else None),
                "failures": [{"id": i, "channel": c, "kind": k, "recipient": r, "error": e}
                             for i, c, k, r, e in self.failures]}


def outbox_status(db: Database, actor: Actor) -> OutboxStatus:
    """``ebs notify status``: what waits, what was sent, what failed and why."""
    require(actor, "notification.send")
    with db.read() as s:
        found = store.backlog(s)
    states = ("pending", "sending", "sent", "failed", "cancelled")
    counts = {state: 0 for state in states}
    by_channel: dict[str, dict[str, int]] = {c.value: {state: 0 for state in states}
                                             for c in Channel}
    for (chan, state), n in found.counts.items():
        counts[state] = counts.get(state, 0) + n
        by_channel.setdefault(chan, {})[state] = n
    return OutboxStatus(counts, by_channel, found.oldest_waiting,
                        tuple((i, c, k, r, e or "") for i, c, k, r, e in found.failures))
