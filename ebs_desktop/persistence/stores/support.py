"""Service requests and their threads: the only SQL of the support feature.

A customer's reads take ``numbers`` (the principal's proven account numbers) and every
such query carries ``Account.account_number IN numbers``: a request id of somebody else
finds nothing, exactly like one that does not exist. Staff reads take ``numbers=None``.
Rows come back as frozen tuples; photos' bytes are read only by :func:`photo`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import aliased

from ebs_desktop.domain.photos import Photo
from ebs_desktop.persistence.models import (
    Account,
    Bill,
    Customer,
    Payment,
    ServiceRequest,
    ServiceRequestMessage,
    ServiceRequestPhoto,
    User,
    UserRole,
)
from ebs_desktop.persistence.tx import Session


@dataclass(frozen=True)
class RequestRow:
    id: int
    account_id: int
    account_number: str
    customer_name: str
    login_id: int | None
    topic: str
    status: str
    assignee_id: int | None
    assignee_name: str | None
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    messages: int
    last_author: str | None
    first_message: str


@dataclass(frozen=True)
class MessageRow:
    id: int
    author: str  # customer | staff
    author_name: str  # the staff user's full name; "" for the customer
    body: str
    created_at: datetime
    photo: bool


def account_id(session: Session, number: str,
               numbers: Collection[str] | None = None) -> int | None:
    """The id of account ``number``; None when there is none, or (``numbers`` given) when
    it is not one of them."""
    if numbers is not None and number not in numbers:
        return None
    found = session.execute(select(Account.id).where(Account.account_number == number)
                            ).scalar_one_or_none()
    return None if found is None else int(found)


def add_request(session: Session, *, account_id: int, login_id: int | None, topic: str,
                now: datetime) -> int:
    row = ServiceRequest(account_id=account_id, login_id=login_id, topic=topic, status="open",
                         opened_at=now, updated_at=now)
    session.add(row)
    session.flush()
    return row.id


def add_message(session: Session, *, request_id: int, author: str, body: str, now: datetime,
                user_id: int | None = None, login_id: int | None = None,
                photo: Photo | None = None) -> int:
    message = ServiceRequestMessage(request_id=request_id, author=author, body=body,
                                    author_user_id=user_id, author_login_id=login_id,
                                    created_at=now)
    session.add(message)
    session.flush()
    if photo is not None:
        session.add(ServiceRequestPhoto(message_id=message.id, content_type=photo.content_type,
                                        width=photo.width, height=photo.height,
                                        data=photo.data))
        session.flush()
    return message.id


def set_status(session: Session, request_id: int, status: str, now: datetime) -> None:
    closed = now if status == "closed" else None
    session.execute(update(ServiceRequest).where(ServiceRequest.id == request_id)
                    .values(status=status, updated_at=now, closed_at=closed))


def set_assignee(session: Session, request_id: int, user_id: int | None, now: datetime) -> None:
    session.execute(update(ServiceRequest).where(ServiceRequest.id == request_id)
                    .values(assignee_id=user_id, updated_at=now))


def lock_request(session: Session, request_id: int) -> None:
    """Hold the request's row until the transaction ends (two staff replying at once
    write one after the other; a no-op lock on SQLite, whose writer is alone anyway)."""
    session.execute(select(ServiceRequest.id).where(ServiceRequest.id == request_id)
                    .with_for_update())


def _requests_query() -> Any:
    counted = (select(ServiceRequestMessage.request_id,
                      func.count().label("n"),
                      func.min(ServiceRequestMessage.id).label("first_id"),
                      func.max(ServiceRequestMessage.id).label("last_id"))
               .group_by(ServiceRequestMessage.request_id).subquery())
    first = aliased(ServiceRequestMessage)
    last = aliased(ServiceRequestMessage)
    return (select(ServiceRequest.id, ServiceRequest.account_id, Account.account_number,
                   Customer.name, ServiceRequest.login_id, ServiceRequest.topic,
                   ServiceRequest.status, ServiceRequest.assignee_id, User.full_name,
                   ServiceRequest.opened_at, ServiceRequest.updated_at,
                   ServiceRequest.closed_at, func.coalesce(counted.c.n, 0), last.author,
                   func.coalesce(first.body, ""))
            .join(Account, Account.id == ServiceRequest.account_id)
            .join(Customer, Customer.id == Account.customer_id)
            .outerjoin(User, User.id == ServiceRequest.assignee_id)
            .outerjoin(counted, counted.c.request_id == ServiceRequest.id)
            .outerjoin(first, first.id == counted.c.first_id)
            .outerjoin(last, last.id == counted.c.last_id))


def _row(r: Any) -> RequestRow:
    return RequestRow(int(r[0]), int(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
                      r[10], r[11], int(r[12]), r[13], r[14])


def request(session: Session, request_id: int,
            numbers: Collection[str] | None = None) -> RequestRow | None:
    query = _requests_query().where(ServiceRequest.id == request_id)
    if numbers is not None:
        query = query.where(Account.account_number.in_(sorted(numbers)))
    found = session.execute(query).first()
    return None if found is None else _row(found)


def customer_requests(session: Session, numbers: Collection[str]) -> list[RequestRow]:
    """The requests on ``numbers``' accounts, latest activity first."""
    query = (_requests_query().where(Account.account_number.in_(sorted(numbers)))
             .order_by(ServiceRequest.updated_at.desc(), ServiceRequest.id.desc()))
    return [_row(r) for r in session.execute(query)]


def queue(session: Session, *, statuses: Collection[str] = (), assignee_id: int | None = None,
          unassigned: bool = False, topic: str | None = None, account_number: str | None = None,
          search: str | None = None, limit: int = 500) -> list[RequestRow]:
    """The staff queue, oldest waiting first (what has waited longest comes first)."""
    query = _requests_query()
    if statuses:
        query = query.where(ServiceRequest.status.in_(sorted(statuses)))
    if unassigned:
        query = query.where(ServiceRequest.assignee_id.is_(None))
    elif assignee_id is not None:
        query = query.where(ServiceRequest.assignee_id == assignee_id)
    if topic:
        query = query.where(ServiceRequest.topic == topic)
    if account_number:
        query = query.where(Account.account_number == account_number)
    if search:  # words as typed: % and _ are letters here, not wildcards
        plain = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{plain}%"
        query = query.where(or_(
            func.lower(Customer.name).like(like, escape="\\"),
            Account.account_number.like(like, escape="\\"),
            ServiceRequest.id.in_(select(ServiceRequestMessage.request_id).where(
                func.lower(ServiceRequestMessage.body).like(like, escape="\\")))))
    query = query.order_by(ServiceRequest.updated_at, ServiceRequest.id).limit(limit)
    return [_row(r) for r in session.execute(query)]


def messages(session: Session, request_id: int) -> list[MessageRow]:
    rows = session.execute(
        select(ServiceRequestMessage.id, ServiceRequestMessage.author,
               func.coalesce(User.full_name, ""), ServiceRequestMessage.body,
               ServiceRequestMessage.created_at, ServiceRequestPhoto.id)
        .outerjoin(User, User.id == ServiceRequestMessage.author_user_id)
        .outerjoin(ServiceRequestPhoto,
                   ServiceRequestPhoto.message_id == ServiceRequestMessage.id)
        .where(ServiceRequestMessage.request_id == request_id)
        .order_by(ServiceRequestMessage.id))
    return [MessageRow(int(i), a, n, b, at, p is not None) for i, a, n, b, at, p in rows]


def photo(session: Session, request_id: int, message_id: int,
          numbers: Collection[str] | None = None) -> tuple[str, bytes] | None:
    """(content type, bytes) of a message's photo, only through its own request (and,
    for a customer, only on their accounts)."""
    query = (select(ServiceRequestPhoto.content_type, ServiceRequestPhoto.data)
             .join(ServiceRequestMessage,
                   ServiceRequestMessage.id == ServiceRequestPhoto.message_id)
             .join(ServiceRequest, ServiceRequest.id == ServiceRequestMessage.request_id)
             .join(Account, Account.id == ServiceRequest.account_id)
             .where(and_(ServiceRequestMessage.id == message_id,
                         ServiceRequest.id == request_id)))
    if numbers is not None:
        query = query.where(Account.account_number.in_(sorted(numbers)))
    found = session.execute(query).first()
    return None if found is None else (str(found[0]), bytes(found[1]))


def staff_users(session: Session) -> list[tuple[int, str, frozenset[str]]]:
    """(id, full name, roles) of every active staff user, by name."""
    users: dict[int, tuple[str, set[str]]] = {}
    rows = session.execute(select(User.id, User.full_name, UserRole.role)
                           .outerjoin(UserRole, UserRole.user_id == User.id)
                           .where(User.is_active.is_(True)).order_by(User.full_name, User.id))
    for uid, name, role in rows:
        users.setdefault(int(uid), (str(name), set()))[1].update({role} if role else set())
    return [(uid, name, frozenset(roles)) for uid, (name, roles) in users.items()]


def opened_since(session: Session, login_id: int, since: datetime) -> int:
    """How many requests login ``login_id`` opened at or after ``since``."""
    return int(session.scalar(select(func.count()).select_from(ServiceRequest).where(
        ServiceRequest.login_id == login_id, ServiceRequest.opened_at >= since)) or 0)


def first_paying_account(session: Session) -> int | None:
    """The first account with both bills and payments: the one the demo's portal login
    holds (the auth slice's ``stores.demo.portal_demo_account`` picks it the same way)."""
    found = session.scalar(select(Payment.account_id)
                           .where(Payment.account_id.in_(select(Bill.account_id)))
                           .order_by(Payment.account_id).limit(1))
    return None if found is None else int(found)


def counts(session: Session) -> dict[str, int]:
    """Requests per status."""
    rows = session.execute(select(ServiceRequest.status, func.count())
                           .group_by(ServiceRequest.status))
    return {str(s): int(n) for s, n in rows}
