"""Queries of online payments: the gateway payments we started and the events received."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ebs_desktop.persistence.models import (
    Account,
    AutopayMandate,
    Bill,
    GatewayEvent,
    GatewayPayment,
)
from ebs_desktop.persistence.models.base import utcnow
from ebs_desktop.persistence.stores.counter import open_bills
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


def _insert(session: Session | Connection) -> type:
    dialect = (session.dialect if isinstance(session, Connection)
               else session.get_bind().dialect)
    return pg_insert if dialect.name == "postgresql" else sqlite_insert  # type: ignore[return-value]


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


def receive_event(session: Session | Connection, *, gateway: str, event_id: str, type_: str,
                  kind: str, amount_minor: int | None, payment_ref: str | None, body: str,
                  detail: str) -> bool:
    """Store one verified event for the drainer (outcome ``received``) in one statement;
    False when this gateway's event id was stored before. On a Core connection (the
    webhook's path: no ORM session to set up per event) or a session."""
    statement = _insert(session)(GatewayEvent).values(
        gateway=gateway, event_id=event_id, type=type_, kind=kind, amount_minor=amount_minor,
        payment_ref=payment_ref, received_at=utcnow(), body=body, outcome="received",
        detail=detail
    ).on_conflict_do_nothing(index_elements=["gateway", "event_id"]).returning(GatewayEvent.id)
    return session.execute(statement).first() is not None


@dataclass(frozen=True)
class ReceivedEvent:
    row: int
    gateway: str
    event_id: str
    type: str
    kind: str
    payment_ref: str | None
    amount_minor: int | None
    received_at: datetime
    body: str
    detail: str | None


def any_received(session: Session) -> bool:
    """Whether any event waits for the drainer (the partial index: no table scan)."""
    return session.scalar(select(GatewayEvent.id).where(GatewayEvent.outcome == "received")
                          .limit(1)) is not None


DRAIN_LOCK = 22_0019  # pg advisory lock key: one drainer posts at a time


def take_drain_turn(session: Session) -> bool:
    """This transaction's turn to drain (PostgreSQL: a transaction advisory lock, False
    when another drainer holds it; SQLite: the write transaction is the turn already).
    One drainer at a time keeps a refund and its payment from being processed side by
    side, each missing the other's uncommitted row; the serialised parts of a posting
    (receipt series, audit head) would queue them anyway."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(select(func.pg_try_advisory_xact_lock(DRAIN_LOCK))))


def claim_received(session: Session, limit: int) -> list[ReceivedEvent]:
    """Up to ``limit`` received events, oldest first, locked for this transaction. On
    PostgreSQL rows another drainer holds are skipped (FOR UPDATE SKIP LOCKED), so two
    workers drain side by side; SQLite has one writer at a time anyway."""
    query = (select(GatewayEvent.id, GatewayEvent.gateway, GatewayEvent.event_id,
                    GatewayEvent.type, GatewayEvent.kind, GatewayEvent.payment_ref,
                    GatewayEvent.amount_minor, GatewayEvent.received_at, GatewayEvent.body,
                    GatewayEvent.detail)
             .where(GatewayEvent.outcome == "received").order_by(GatewayEvent.id)
             .limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [ReceivedEvent(*r) for r in session.execute(query).all()]  # type: ignore[call-arg]


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
                   bill_id: int | None, amount_minor: int, currency: str) -> int | None:
    """Our record of a payment to start; None when another transaction has just made the
    record of the same key (it asks the gateway, not us)."""
    now = utcnow()
    row = session.execute(_insert(session)(GatewayPayment).values(
        gateway=gateway, request_key=request_key, account_id=account_id, bill_id=bill_id,
        amount_minor=amount_minor, currency=currency, state="pending", created_at=now,
        updated_at=now).on_conflict_do_nothing(index_elements=["request_key"])
        .returning(GatewayPayment.id)).first()
    return None if row is None else int(row[0])


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


# -- autopay --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mandate:
    id: int
    account_id: int
    account_number: str
    gateway: str
    customer_ref: str
    method_ref: str
    method_label: str


def _mandates() -> Any:
    return (select(AutopayMandate.id, AutopayMandate.account_id, Account.account_number,
                   AutopayMandate.gateway, AutopayMandate.customer_ref,
                   AutopayMandate.method_ref, AutopayMandate.method_label)
            .join(Account, Account.id == AutopayMandate.account_id)
            .where(AutopayMandate.enabled.is_(True)))


def live_mandate(session: Session, account_id: int) -> Mandate | None:
    row = session.execute(_mandates().where(AutopayMandate.account_id == account_id)
                          ).first()
    return None if row is None else Mandate(*row)


def live_mandates(session: Session) -> list[Mandate]:
    return [Mandate(*r) for r in session.execute(_mandates().order_by(AutopayMandate.id))]


def disable_mandates(session: Session, account_id: int) -> int:
    return len(session.execute(update(AutopayMandate).where(
        AutopayMandate.account_id == account_id, AutopayMandate.enabled.is_(True)
    ).values(enabled=False, disabled_at=utcnow()).returning(AutopayMandate.id)).all())


def insert_mandate(session: Session, *, account_id: int, gateway: str, customer_ref: str,
                   method_ref: str, method_label: str) -> int:
    return int(session.execute(_insert(session)(AutopayMandate).values(
        account_id=account_id, gateway=gateway, customer_ref=customer_ref,
        method_ref=method_ref, method_label=method_label, enabled=True, created_at=utcnow()
    ).returning(AutopayMandate.id)).scalar_one())


def bills_due(session: Session, account_id: int, as_of: date) -> list[tuple[str, int]]:
    """(bill number, open minor units) of the account's open bills due on or before as_of."""
    numbers = dict(session.execute(select(Bill.id, Bill.bill_number)
                                   .where(Bill.account_id == account_id)).all())
    return [(str(numbers[bill_id]), open_minor)
            for bill_id, due, open_minor in open_bills(session, account_id) if due <= as_of]


def claim_start(session: Session, started_id: int, stale_before: datetime) -> bool:
    """Take over asking the gateway for a started payment that has no gateway id yet, when
    whoever started it has been silent since ``stale_before`` (crashed, or timed out)."""
    return session.execute(update(GatewayPayment).where(
        GatewayPayment.id == started_id, GatewayPayment.payment_ref.is_(None),
        GatewayPayment.state == "pending", GatewayPayment.updated_at < stale_before
    ).values(updated_at=utcnow()).returning(GatewayPayment.id)).first() is not None
