"""The Outbox page's reads and its two writes: messages filtered by state, channel, kind
and account; one message in full; retry (a failed or cancelled message waits again) and
cancel (a waiting or failed message is given up). A message a sender holds (``sending``)
or has delivered (``sent``) is left as it is by both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from ebs_desktop.persistence.models import Account, OutboxMessage
from ebs_desktop.persistence.models.base import utcnow
from ebs_desktop.persistence.tx import Session

RETRYABLE = ("failed", "cancelled")
CANCELLABLE = ("pending", "failed")


@dataclass(frozen=True)
class OutboxLine:
    id: int
    created_at: datetime
    kind: str
    channel: str
    account_number: str
    recipient: str
    language: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str | None
    dedupe_key: str
    context: str
    provider_id: str | None
    bill_id: int | None = None


def _columns() -> tuple:  # type: ignore[type-arg]
    return (OutboxMessage.id, OutboxMessage.created_at, OutboxMessage.kind,
            OutboxMessage.channel, Account.account_number, OutboxMessage.recipient,
            OutboxMessage.language, OutboxMessage.status, OutboxMessage.attempts,
            OutboxMessage.next_attempt_at, OutboxMessage.sent_at, OutboxMessage.last_error,
            OutboxMessage.dedupe_key, OutboxMessage.context, OutboxMessage.provider_id,
            OutboxMessage.bill_id)


def messages(session: Session, *, status: str | None = None, channel: str | None = None,
             kind: str | None = None, account_number: str | None = None,
             limit: int = 500) -> list[OutboxLine]:
    """Newest first, at most ``limit``."""
    stmt = (select(*_columns()).join(Account, Account.id == OutboxMessage.account_id)
            .order_by(OutboxMessage.id.desc()).limit(limit))
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    if channel:
        stmt = stmt.where(OutboxMessage.channel == channel)
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    if account_number:
        stmt = stmt.where(Account.account_number == account_number)
    return [OutboxLine(*row) for row in session.execute(stmt)]


def message(session: Session, message_id: int) -> OutboxLine | None:
    row = session.execute(select(*_columns()).join(Account, Account.id == OutboxMessage.account_id)
                          .where(OutboxMessage.id == message_id)).first()
    return None if row is None else OutboxLine(*row)


def counts(session: Session) -> dict[str, int]:
    """Messages per state (every state present, zero where none)."""
    found = {str(status): int(n) for status, n in session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))}
    return {state: int(found.get(state, 0)) for state in
            ("pending", "sending", "sent", "failed", "cancelled")}


def states(session: Session, ids: list[int]) -> dict[int, str]:
    return {int(i): str(s) for i, s in session.execute(
        select(OutboxMessage.id, OutboxMessage.status).where(OutboxMessage.id.in_(ids))
        .with_for_update())}


def retry(session: Session, ids: list[int]) -> int:
    """Make failed or cancelled messages wait again, due now, with a fresh count of
    attempts (the last error is kept until the next attempt replaces it)."""
    done = session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(ids),
                                    OutboxMessage.status.in_(RETRYABLE))
        .values(status="pending", attempts=0, next_attempt_at=utcnow(), lease_until=None,
                leased_by=None))
    return int(getattr(done, "rowcount", 0))


def cancel(session: Session, ids: list[int]) -> int:
    done = session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(ids),
                                    OutboxMessage.status.in_(CANCELLABLE))
        .values(status="cancelled", lease_until=None, leased_by=None))
    return int(getattr(done, "rowcount", 0))
