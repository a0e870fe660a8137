"""Service requests (issue 21, point 6): customers ask, staff answer.

Customer side (permission ``self.support``, scoped to the principal's proven accounts):
open a request on one of their accounts with a topic, a message and maybe a photo; list
and read their own; reply. A request id or photo that is not theirs is NotFound, exactly
as one that does not exist.

Staff side (permission ``service.handle``): the queue with filters, one request's thread,
assign, set the status, reply. A staff reply writes, in the same transaction, the
customer's notification (kind ``support_reply``) through the outbox on the channel the
account's preferences choose, and its audit entry last: no reply without its message,
no message for a reply that rolled back.

Status rules and message checks are in :mod:`ebs_desktop.domain.support`; a photo is
checked by content and re-encoded by :mod:`ebs_desktop.domain.photos` before anything is
written. Records handed out are frozen; no ORM object leaves.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ebs_desktop.domain import support as rules
from ebs_desktop.domain.notifications import Kind
from ebs_desktop.domain.permissions import allowed
from ebs_desktop.domain.photos import Photo, clean_photo
from ebs_desktop.errors import NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import outbox
from ebs_desktop.persistence.stores import support as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import get_settings

OPEN_STATUSES = ("open", "waiting", "answered")  # the queue's default: not closed


@dataclass(frozen=True)
class RequestSummary:
    request_id: int
    number: str  # SR-000042
    account_number: str
    customer_name: str
    topic: str
    status: str
    assignee_id: int | None
    assignee_name: str | None
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    messages: int
    last_author: str | None  # customer | staff
    subject: str  # the first line of the first message, shortened

    @property
    def topic_words(self) -> str:
        return rules.TOPIC_WORDS.get(self.topic, self.topic)

    @property
    def status_words(self) -> str:
        return rules.STATUS_WORDS.get(self.status, self.status)


@dataclass(frozen=True)
class RequestMessage:
    message_id: int
    author: str  # customer | staff
    author_name: str  # the staff user's name ("" for the customer)
    text: str
    created_at: datetime
    has_photo: bool


@dataclass(frozen=True)
class RequestThread:
    request: RequestSummary
    messages: tuple[RequestMessage, ...]


@dataclass(frozen=True)
class Handler:
    user_id: int
    name: str


def _now() -> datetime:
    return datetime.now(UTC)


def _subject(text: str, width: int = 80) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[:width - 1].rstrip() + "…"


def _utc(value: datetime) -> datetime:
    """A stored time as an aware UTC time (SQLite hands them back naive)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _summary(row: store.RequestRow) -> RequestSummary:
    return RequestSummary(row.id, rules.request_number(row.id), row.account_number,
                          row.customer_name, row.topic, row.status, row.assignee_id,
                          row.assignee_name, _utc(row.opened_at), _utc(row.updated_at),
                          None if row.closed_at is None else _utc(row.closed_at),
                          row.messages, row.last_author, _subject(row.first_message))


def _thread(session: Session, row: store.RequestRow) -> RequestThread:
    return RequestThread(_summary(row), tuple(
        RequestMessage(m.id, m.author, m.author_name, m.body, _utc(m.created_at), m.photo)
        for m in store.messages(session, row.id)))


def _photo(photo: bytes | None) -> Photo | None:
    return None if not photo else clean_photo(photo)


def _no_request(request_id: object) -> NotFound:
    return NotFound(f"no service request {request_id!r}")


def _customer(actor: Actor) -> frozenset[str]:
    require(actor, "self.support")
    if actor.kind != "customer":
        raise PermissionDenied(f"{actor.username} is not a customer")
    return actor.accounts


# -- the customer's side --------------------------------------------------------------------

@dataclass(frozen=True)
class SupportPlace:
    """How the portal shows times and words to this customer: the language (the first
    proven account's own choice, else the utility's locale) and the utility's time zone."""

    locale: str
    timezone: str


def support_place(db: Database, actor: Actor) -> SupportPlace:
    numbers = _customer(actor)
    with db.read() as session:
        settings = get_settings(session)
        language = None
        for number in sorted(numbers):
            account_id = store.account_id(session, number, numbers)
            if account_id is not None:
                language = outbox.contact_and_preferences(session, account_id)[3]
                break
    return SupportPlace(language or settings.locale, settings.timezone)


def open_request(db: Database, actor: Actor, account_number: str, topic: str, message: str,
                 photo: bytes | None = None) -> RequestSummary:
    """A new request on one of the principal's accounts; its first message is ``message``."""
    numbers = _customer(actor)
    number = (account_number or "").strip()
    topic_ = rules.check_topic(topic)
    text = rules.check_message(message)
    picture = _photo(photo)  # checked and re-encoded before the transaction opens
    with db.write() as session:
        account_id = store.account_id(session, number, numbers)
        if account_id is None:
            raise ValidationError(f"{account_number!r} is not one of your accounts",
                                  location="account_number")
        now = _now()
        if actor.login_id is not None and store.opened_since(
                session, actor.login_id, now - timedelta(days=1)) >= rules.MAX_OPENED_PER_DAY:
            raise ValidationError(
                f"you have opened {rules.MAX_OPENED_PER_DAY} requests in the last 24 hours; "
                "please add to one of them, or call us", location="message")
        request_id = store.add_request(session, account_id=account_id,
                                       login_id=actor.login_id, topic=topic_, now=now)
        store.add_message(session, request_id=request_id, author="customer", body=text,
                          now=now, login_id=actor.login_id, photo=picture)
        row = store.request(session, request_id)
        assert row is not None
        return _summary(row)


def my_requests(db: Database, actor: Actor) -> list[RequestSummary]:
    """The principal's requests on all their accounts, latest activity first."""
    numbers = _customer(actor)
    with db.read() as session:
        return [_summary(r) for r in store.customer_requests(session, numbers)]


def my_request(db: Database, actor: Actor, request_id: int) -> RequestThread:
    numbers = _customer(actor)
    with db.read() as session:
        row = store.request(session, request_id, numbers)
        if row is None:
            raise _no_request(request_id)
        return _thread(session, row)


def customer_reply(db: Database, actor: Actor, request_id: int, message: str,
                   photo: bytes | None = None) -> RequestThread:
    """The customer writes on their request: staff's turn again (a closed one reopens)."""
    numbers = _customer(actor)
    text = rules.check_message(message)
    picture = _photo(photo)
    with db.write() as session:
        store.lock_request(session, request_id)
        row = store.request(session, request_id, numbers)
        if row is None:
            raise _no_request(request_id)
        now = _now()
        store.add_message(session, request_id=request_id, author="customer", body=text,
                          now=now, login_id=actor.login_id, photo=picture)
        store.set_status(session, request_id, rules.after_customer_message(row.status), now)
        row = store.request(session, request_id)
        assert row is not None
        return _thread(session, row)


def my_photo(db: Database, actor: Actor, request_id: int, message_id: int
             ) -> tuple[str, bytes]:
    """(content type, bytes) of a photo on one of the principal's requests."""
    numbers = _customer(actor)
    with db.read() as session:
        found = store.photo(session, request_id, message_id, numbers)
    if found is None:
        raise NotFound(f"no photo {message_id!r}")
    return found


# -- the staff's side -----------------------------------------------------------------------

def request_queue(db: Database, actor: Actor, *, statuses: Collection[str] = OPEN_STATUSES,
                  assignee_id: int | None = None, unassigned: bool = False,
                  topic: str | None = None, account_number: str | None = None,
                  search: str | None = None) -> list[RequestSummary]:
    """Requests in ``statuses`` (default: all but closed), oldest activity first."""
    require(actor, "service.handle")
    wanted = [rules.check_status(s) for s in statuses]
    topic_ = rules.check_topic(topic) if topic else None
    with db.read() as session:
        rows = store.queue(session, statuses=wanted, assignee_id=assignee_id,
                           unassigned=unassigned, topic=topic_,
                           account_number=(account_number or "").strip() or None,
                           search=(search or "").strip() or None)
    return [_summary(r) for r in rows]


def request_counts(db: Database, actor: Actor) -> dict[str, int]:
    """How many requests are in each status (every status named, zeros included)."""
    require(actor, "service.handle")
    with db.read() as session:
        found = store.counts(session)
    return {s: found.get(s, 0) for s in rules.STATUSES}


def staff_request(db: Database, actor: Actor, request_id: int) -> RequestThread:
    require(actor, "service.handle")
    with db.read() as session:
        row = store.request(session, request_id)
        if row is None:
            raise _no_request(request_id)
        return _thread(session, row)


def staff_photo(db: Database, actor: Actor, request_id: int, message_id: int
                ) -> tuple[str, bytes]:
    require(actor, "service.handle")
    with db.read() as session:
        found = store.photo(session, request_id, message_id)
    if found is None:
        raise NotFound(f"no photo {message_id!r}")
    return found


def handlers(db: Database, actor: Actor) -> list[Handler]:
    """The active staff users who may handle requests (the assignee choices)."""
    require(actor, "service.handle")
    with db.read() as session:
        return [Handler(uid, name) for uid, name, roles in store.staff_users(session)
                if allowed(roles, "service.handle")]


def assign_request(db: Database, actor: Actor, request_id: int,
                   user_id: int | None) -> RequestSummary:
    """Give the request to a staff user who may handle requests (None: to nobody)."""
    require(actor, "service.handle")
    with db.write() as session:
        store.lock_request(session, request_id)
        row = store.request(session, request_id)
        if row is None:
            raise _no_request(request_id)
        name = None
        if user_id is not None:
            found = {uid: (n, roles) for uid, n, roles in store.staff_users(session)}
            if user_id not in found or not allowed(found[user_id][1], "service.handle"):
                raise ValidationError(f"user {user_id} cannot handle service requests",
                                      location="assignee")
            name = found[user_id][0]
        if row.assignee_id != user_id:
            store.set_assignee(session, request_id, user_id, _now())
            audit.record(session, actor, "service.assign", "service_request",
                         rules.request_number(request_id),
                         before={"assignee": row.assignee_name},
                         after={"account": row.account_number, "assignee": name})
        row = store.request(session, request_id)
        assert row is not None
        return _summary(row)


def set_request_status(db: Database, actor: Actor, request_id: int,
                       status: str) -> RequestSummary:
    require(actor, "service.handle")
    wanted = rules.check_status(status)
    with db.write() as session:
        store.lock_request(session, request_id)
        row = store.request(session, request_id)
        if row is None:
            raise _no_request(request_id)
        if row.status != wanted:
            store.set_status(session, request_id, wanted, _now())
            audit.record(session, actor, "service.status", "service_request",
                         rules.request_number(request_id), before={"status": row.status},
                         after={"account": row.account_number, "status": wanted})
        row = store.request(session, request_id)
        assert row is not None
        return _summary(row)


def staff_reply(db: Database, actor: Actor, request_id: int, message: str, *,
                waiting_on_customer: bool = False, close: bool = False) -> RequestThread:
    """Answer the customer: the message, the new status (answered, or waiting on the
    customer, or closed), the customer's notification and the audit entry, in one
    transaction. An unassigned request is taken by whoever answers it."""
    require(actor, "service.handle")
    text = rules.check_message(message)
    if close and waiting_on_customer:
        raise ValidationError("a closed request waits on nobody", location="status")
    with db.write() as session:
        store.lock_request(session, request_id)
        row = store.request(session, request_id)
        if row is None:
            raise _no_request(request_id)
        now = _now()
        message_id = store.add_message(session, request_id=request_id, author="staff",
                                       body=text, now=now, user_id=actor.user_id)
        status = "closed" if close else rules.after_staff_reply(
            row.status, waiting_on_customer=waiting_on_customer)
        store.set_status(session, request_id, status, now)
        if row.assignee_id is None and actor.user_id is not None:
            store.set_assignee(session, request_id, actor.user_id, now)
        _notify(session, row, message_id, text)
        audit.record(session, actor, "service.reply", "service_request",
                     rules.request_number(request_id),
                     before={"status": row.status},
                     after={"account": row.account_number, "status": status,
                            "message": message_id})
        row = store.request(session, request_id)
        assert row is not None
        return _thread(session, row)


def _notify(session: Session, row: store.RequestRow, message_id: int, text: str) -> int:
    """The customer's ``support_reply`` message(s), in the reply's transaction."""
    settings = get_settings(session)
    _contact, _chosen, _reminders, own = outbox.contact_and_preferences(session,
                                                                       row.account_id)
    language = own or settings.locale
    context = {"utility_name": settings.utility_name, "utility_phone": settings.phone,
               "customer_name": row.customer_name, "account_number": row.account_number,
               "request_number": rules.request_number(row.id),
               "topic": rules.topic_words(row.topic, language), "reply": text}
    return outbox.enqueue(session, kind=Kind.SUPPORT_REPLY, account_id=row.account_id,
                          dedupe_key=f"support_reply:{message_id}", context=context,
                          language=settings.locale)
