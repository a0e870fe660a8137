"""Queries of online payments: the gateway payments we started and the events received."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ebs_desktop.persistence.models import Account, Bill, GatewayEvent, GatewayPayment
from ebs_desktop.persistence.models.base import utcnow
from ebs_desktop.persistence.tx import Session


@dataclass(frozen=True)
class StartedPayment:
    id: int
    gateway: str
    payment_ref: str | None
    account_number: str
    bill_number: str | None
    amount_minor: int
    currency: str
    state: str
    payment_id: int | None


def _insert(session: Session) -> type:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert  # type: ignore[return-value]


def record_event(session: Session, *, gateway: str, event_id: str, type_: str, kind: str,
                 amount_minor: int | None, payment_ref: str | None, body: str) -> int | None:
    """Store one event; None when this gateway's event id was stored before."""
    statement = _insert(session)(GatewayEvent).values(
        gateway=gateway, event_id=event_id, type=type_, kind=kind, amount_minor=amount_minor,
        payment_ref=payment_ref,
        received_at=utcnow(), body=body, outcome="recorded"
    ).on_conflict_do_nothing(index_elements=["gateway", "event_id"]).returning(GatewayEvent.id)
    row = session.execute(statement).first()
    return None if row is None else int(row[0])


def set_event_outcome(session: Session, event_row: int, outcome: str, reason: str | None,
                      payment_id: int | None = None) -> None:
    session.execute(update(GatewayEvent).where(GatewayEvent.id == event_row).values(
        outcome=outcome, reason=reason, payment_id=payment_id))


def _started() -> object:
    return (select(GatewayPayment.id, GatewayPayment.gateway, GatewayPayment.payment_ref,
                   Account.account_number, Bill.bill_number, GatewayPayment.amount_minor,
                   GatewayPayment.currency, GatewayPayment.state, GatewayPayment.payment_id)
            .join(Account, Account.id == GatewayPayment.account_id)
            .outerjoin(Bill, Bill.id == GatewayPayment.bill_id))


def started_payment(session: Session, gateway: str, payment_ref: str) -> StartedPayment | None:
    row = session.execute(_started().where(  # type: ignore[attr-defined]
        GatewayPayment.gateway == gateway, GatewayPayment.payment_ref == payment_ref)
    ).one_or_none()
    return None if row is None else StartedPayment(*row)


def started_by_key(session: Session, request_key: str) -> StartedPayment | None:
    row = session.execute(_started().where(  # type: ignore[attr-defined]
        GatewayPayment.request_key == request_key)).one_or_none()
    return None if row is None else StartedPayment(*row)


def insert_started(session: Session, *, gateway: str, request_key: str, account_id: int,
                   bill_id: int | None, amount_minor: int, currency: str) -> int:
    now = utcnow()
    return int(session.execute(_insert(session)(GatewayPayment).values(
        gateway=gateway, request_key=request_key, account_id=account_id, bill_id=bill_id,
        amount_minor=amount_minor, currency=currency, state="pending", created_at=now,
        updated_at=now).returning(GatewayPayment.id)).scalar_one())


def set_started(session: Session, started_id: int, *, state: str,
                payment_ref: str | None = None, failure: str | None = None,
                payment_id: int | None = None) -> None:
    values: dict[str, object] = {"state": state, "updated_at": utcnow()}
    if payment_ref is not None:
        values["payment_ref"] = payment_ref
    if failure is not None:
        values["failure"] = failure
    if payment_id is not None:
        values["payment_id"] = payment_id
    session.execute(update(GatewayPayment).where(GatewayPayment.id == started_id)
                    .values(**values))


def waiting(session: Session, gateway: str, before: datetime) -> list[str]:
    """Payment refs of payments with no final state, untouched since ``before``."""
    return [str(r) for r in session.scalars(
        select(GatewayPayment.payment_ref).where(
            GatewayPayment.gateway == gateway, GatewayPayment.payment_ref.is_not(None),
            GatewayPayment.state.in_(("pending", "requires_action", "processing")),
            GatewayPayment.updated_at < before).order_by(GatewayPayment.id))]


def account_id_of(session: Session, account_number: str) -> int | None:
    found = session.scalar(select(Account.id).where(Account.account_number == account_number))
    return None if found is None else int(found)


def bill_of(session: Session, bill_number: str) -> tuple[int, str] | None:
    """(bill id, its account's number)."""
    row = session.execute(select(Bill.id, Account.account_number)
                          .join(Account, Account.id == Bill.account_id)
                          .where(Bill.bill_number == bill_number)).one_or_none()
    return None if row is None else (int(row[0]), str(row[1]))


@dataclass(frozen=True)
class StoredEvent:
    row: int
    event_id: str
    type: str
    kind: str
    amount_minor: int | None
    outcome: str
    reason: str | None
    body: str


def events_of(session: Session, gateway: str, payment_ref: str) -> list[StoredEvent]:
    """One payment's events, in arrival order."""
    return [StoredEvent(*r) for r in session.execute(
        select(GatewayEvent.id, GatewayEvent.event_id, GatewayEvent.type, GatewayEvent.kind,
               GatewayEvent.amount_minor, GatewayEvent.outcome, GatewayEvent.reason,
               GatewayEvent.body)
        .where(GatewayEvent.gateway == gateway, GatewayEvent.payment_ref == payment_ref)
        .order_by(GatewayEvent.id))]
