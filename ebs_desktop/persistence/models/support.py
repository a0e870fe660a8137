"""Service requests (issue 21, point 6): a customer's question or problem and its thread.

A request is about one account and was opened by one portal login (``login_id``; portal
logins live in another table, so the column is a plain integer). Its status says whose
turn it is: ``open`` (staff to act), ``waiting`` (on the customer), ``answered`` (staff
replied), ``closed``. Messages are the thread, each by the customer or by a staff user; a
message may carry one photo, stored re-encoded in its own table so that listing a thread
never reads image bytes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, created_at, one_of
from ebs_desktop.persistence.models.codes import (
    PHOTO_TYPES,
    REQUEST_AUTHORS,
    REQUEST_STATUSES,
    REQUEST_TOPICS,
)


class ServiceRequest(Base):
    __tablename__ = "service_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    login_id: Mapped[int | None] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = created_at()
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        one_of("topic", REQUEST_TOPICS, "topic_known"),
        one_of("status", REQUEST_STATUSES, "status_known"),
    )


class ServiceRequestMessage(Base):
    __tablename__ = "service_request_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), index=True)
    author: Mapped[str] = mapped_column(String(16))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_login_id: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (one_of("author", REQUEST_AUTHORS, "author_known"),)


class ServiceRequestPhoto(Base):
    __tablename__ = "service_request_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("service_request_messages.id"),
                                            unique=True)
    content_type: Mapped[str] = mapped_column(String(16))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (one_of("content_type", PHOTO_TYPES, "content_type_known"),)
