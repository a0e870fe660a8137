"""Collections' store: the facts the dunning rules read (open bills, steps reached, holds,
orders, arrangements) in a few set-wise statements, and the writes of a run.

Open amounts are a bill's total less what payments (and their reversals' negative
allocations) allocated to it now, for bills issued by the run's day and not credited.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import DateTime, String, and_, exists, func, literal, or_, select, update

from ebs_desktop.domain.dunning import (
    ArrangementFacts,
    HoldKind,
    Level,
    OpenBill,
    PastStep,
)
from ebs_desktop.persistence.models import (
    Account,
    ArrangementInstalment,
    Bill,
    CollectionHold,
    CreditNote,
    Customer,
    DunningEvent,
    FieldOrder,
    Payment,
    PaymentAllocation,
    PaymentArrangement,
    PaymentReversal,
    Premise,
    Route,
)
from ebs_desktop.persistence.tx import Session


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def open_bills(session: Session, as_of: date, account_ids: Sequence[int] | None = None
               ) -> dict[int, list[OpenBill]]:
    """Per account: its bills issued by ``as_of`` with something still open, oldest due
    first (closed accounts left out)."""
    paid = (select(PaymentAllocation.bill_id,
                   func.sum(PaymentAllocation.amount_minor).label("paid"))
            .group_by(PaymentAllocation.bill_id).subquery())
    open_minor = Bill.total_minor - func.coalesce(paid.c.paid, 0)
    stmt = (select(Bill.account_id, Bill.id, Bill.bill_number, Bill.due_date, open_minor)
            .join(Account, Account.id == Bill.account_id)
            .outerjoin(paid, paid.c.bill_id == Bill.id)
            .where(Bill.issue_date <= as_of, Account.status != "closed", open_minor > 0,
                   ~exists().where(CreditNote.bill_id == Bill.id))
            .order_by(Bill.account_id, Bill.due_date, Bill.id))
    if account_ids is not None:
        stmt = stmt.where(Bill.account_id.in_(list(account_ids)))
    out: dict[int, list[OpenBill]] = {}
    for account_id, bill_id, number, due, minor in session.execute(stmt):
        out.setdefault(int(account_id), []).append(
            OpenBill(int(bill_id), str(number), as_date(due), int(minor)))
    return out


def steps_reached(session: Session, account_ids: Iterable[int]
                  ) -> dict[int, dict[int, dict[Level, PastStep]]]:
    """account -> bill -> level -> the step taken."""
    out: dict[int, dict[int, dict[Level, PastStep]]] = {}
    ids = list(account_ids)
    for chunk in range(0, len(ids), 5000):
        rows = session.execute(
            select(DunningEvent.account_id, DunningEvent.bill_id, DunningEvent.level,
                   DunningEvent.event_date, DunningEvent.disconnect_on)
            .where(DunningEvent.account_id.in_(ids[chunk:chunk + 5000])))
        for account_id, bill_id, level, on, disconnect_on in rows:
            out.setdefault(int(account_id), {}).setdefault(int(bill_id), {})[Level(level)] = \
                PastStep(Level(level), as_date(on),
                         None if disconnect_on is None else as_date(disconnect_on))
    return out


def _in_force(as_of: date) -> Any:
    return and_(CollectionHold.starts_on <= as_of,
                or_(CollectionHold.ends_on.is_(None), CollectionHold.ends_on >= as_of),
                CollectionHold.released_on.is_(None))


def holds_in_force(session: Session, as_of: date) -> dict[int, list[HoldKind]]:
    out: dict[int, list[HoldKind]] = {}
    for account_id, kind in session.execute(
            select(CollectionHold.account_id, CollectionHold.kind)
            .where(_in_force(as_of)).order_by(CollectionHold.id)):
        out.setdefault(int(account_id), []).append(HoldKind(kind))
    return out


def disconnected_accounts(session: Session) -> set[int]:
    return {int(a) for a in session.scalars(
        select(Account.id).where(Account.status == "disconnected"))}


def open_orders(session: Session, kind: str) -> dict[int, int]:
    """account id -> its open order's id, of ``kind`` (disconnect or reconnect)."""
    return {int(a): int(o) for a, o in session.execute(
        select(FieldOrder.account_id, FieldOrder.id)
        .where(FieldOrder.kind == kind, FieldOrder.status == "open"))}


def _paid_since(session: Session, account_id: int, since: date) -> int:
    reversed_ = exists().where(PaymentReversal.payment_id == Payment.id)
    if session.get_bind().dialect.name == "sqlite":
        bound: Any = literal(since.isoformat(), String())
    else:
        bound = literal(datetime(since.year, since.month, since.day, tzinfo=UTC),
                        DateTime(timezone=True))
    total = session.scalar(
        select(func.coalesce(func.sum(Payment.amount_minor), 0))
        .where(Payment.account_id == account_id, ~reversed_, Payment.received_at >= bound))
    return int(total or 0)


def active_arrangements(session: Session) -> dict[int, ArrangementFacts]:
    """account id -> its active arrangement (schedule and what was paid since agreed)."""
    out: dict[int, ArrangementFacts] = {}
    rows = session.execute(
        select(PaymentArrangement.id, PaymentArrangement.account_id,
               PaymentArrangement.agreed_on, PaymentArrangement.total_minor)
        .where(PaymentArrangement.status == "active")).all()
    for arrangement_id, account_id, agreed_on, total in rows:
        schedule = tuple((as_date(d), int(m)) for d, m in session.execute(
            select(ArrangementInstalment.due_on, ArrangementInstalment.amount_minor)
            .where(ArrangementInstalment.arrangement_id == arrangement_id)
            .order_by(ArrangementInstalment.seq)))
        agreed = as_date(agreed_on)
        out[int(account_id)] = ArrangementFacts(int(arrangement_id), agreed, int(total),
                                                schedule,
                                                _paid_since(session, int(account_id), agreed))
    return out


def account_labels(session: Session, account_ids: Iterable[int]
                   ) -> dict[int, tuple[str, str, str]]:
    """account id -> (account number, customer name, status)."""
    ids = list(account_ids)
    out: dict[int, tuple[str, str, str]] = {}
    for chunk in range(0, len(ids), 5000):
        for a, number, name, status in session.execute(
                select(Account.id, Account.account_number, Customer.name, Account.status)
                .join(Customer, Customer.id == Account.customer_id)
                .where(Account.id.in_(ids[chunk:chunk + 5000]))):
            out[int(a)] = (str(number), str(name), str(status))
    return out


def account_id_of(session: Session, account_number: str) -> int | None:
    found = session.scalar(select(Account.id).where(Account.account_number == account_number))
    return None if found is None else int(found)


# -- writes --------------------------------------------------------------------------------

def add_event(session: Session, account_id: int, bill_id: int, level: Level, on: date,
              arrears_minor: int, disconnect_on: date | None = None) -> None:
    session.add(DunningEvent(account_id=account_id, bill_id=bill_id, level=level.value,
                             event_date=on, arrears_minor=arrears_minor,
                             disconnect_on=disconnect_on))


def add_order(session: Session, *, number: str, kind: str, account_id: int,
              bill_id: int | None, on: date, arrears_minor: int, fee_minor: int = 0,
              journal_id: int | None = None, note: str = "") -> int:
    order = FieldOrder(number=number, kind=kind, account_id=account_id, bill_id=bill_id,
                       status="open", ordered_on=on, arrears_minor=arrears_minor,
                       fee_minor=fee_minor, journal_id=journal_id, note=note)
    session.add(order)
    session.flush()
    return order.id


def order(session: Session, number: str) -> FieldOrder | None:
    return session.scalar(select(FieldOrder).where(FieldOrder.number == number))


def order_by_id(session: Session, order_id: int) -> FieldOrder | None:
    return session.get(FieldOrder, order_id)


def last_done_disconnect(session: Session, account_id: int) -> FieldOrder | None:
    return session.scalar(select(FieldOrder).where(
        FieldOrder.account_id == account_id, FieldOrder.kind == "disconnect",
        FieldOrder.status == "done").order_by(FieldOrder.id.desc()).limit(1))


def set_order_status(session: Session, order_id: int, status: str, done_on: date | None,
                     note: str | None = None) -> None:
    values: dict[str, Any] = {"status": status, "done_on": done_on}
    if note is not None:
        values["note"] = note
    session.execute(update(FieldOrder).where(FieldOrder.id == order_id).values(**values))


def set_account_status(session: Session, account_id: int, status: str) -> None:
    session.execute(update(Account).where(Account.id == account_id).values(status=status))


def add_hold(session: Session, *, account_id: int, kind: HoldKind, starts_on: date,
             ends_on: date | None, reference: str, note: str, user_id: int | None,
             arrangement_id: int | None = None) -> int:
    hold = CollectionHold(account_id=account_id, kind=kind.value, starts_on=starts_on,
                          ends_on=ends_on, reference=reference, note=note,
                          arrangement_id=arrangement_id, created_by=user_id)
    session.add(hold)
    session.flush()
    return hold.id


def hold(session: Session, hold_id: int) -> CollectionHold | None:
    return session.get(CollectionHold, hold_id)


def release_hold(session: Session, hold_id: int, on: date, reason: str) -> None:
    session.execute(update(CollectionHold).where(CollectionHold.id == hold_id)
                    .values(released_on=on, release_reason=reason))


def release_arrangement_holds(session: Session, arrangement_id: int, on: date,
                              reason: str) -> None:
    session.execute(update(CollectionHold)
                    .where(CollectionHold.arrangement_id == arrangement_id,
                           CollectionHold.released_on.is_(None))
                    .values(released_on=on, release_reason=reason))


def add_arrangement(session: Session, *, account_id: int, reference: str, agreed_on: date,
                    schedule: Sequence[tuple[date, int]], user_id: int | None) -> int:
    arrangement = PaymentArrangement(account_id=account_id, reference=reference,
                                     agreed_on=agreed_on,
                                     total_minor=sum(m for _, m in schedule),
                                     status="active", created_by=user_id)
    session.add(arrangement)
    session.flush()
    session.add_all([ArrangementInstalment(arrangement_id=arrangement.id, seq=i + 1,
                                           due_on=day, amount_minor=minor)
                     for i, (day, minor) in enumerate(schedule)])
    session.flush()
    return arrangement.id


def has_active_arrangement(session: Session, account_id: int) -> bool:
    return session.scalar(select(func.count()).select_from(PaymentArrangement).where(
        PaymentArrangement.account_id == account_id,
        PaymentArrangement.status == "active")) != 0


def end_arrangement(session: Session, arrangement_id: int, status: str, on: date) -> None:
    session.execute(update(PaymentArrangement)
                    .where(PaymentArrangement.id == arrangement_id)
                    .values(status=status, ended_on=on))


# -- what the Collections page and the order lists show -------------------------------------

def path_rows(session: Session, limit: int = 2000) -> list[tuple[Any, ...]]:
    """(account number, name, level, bill number, step date, disconnection date, arrears)
    of the latest step per account, newest first."""
    latest = (select(DunningEvent.account_id, func.max(DunningEvent.id).label("id"))
              .group_by(DunningEvent.account_id).subquery())
    return [tuple(r) for r in session.execute(
        select(Account.account_number, Customer.name, DunningEvent.level, Bill.bill_number,
               DunningEvent.event_date, DunningEvent.disconnect_on, DunningEvent.arrears_minor)
        .join(latest, latest.c.id == DunningEvent.id)
        .join(Account, Account.id == DunningEvent.account_id)
        .join(Customer, Customer.id == Account.customer_id)
        .join(Bill, Bill.id == DunningEvent.bill_id)
        .order_by(DunningEvent.event_date.desc(), Account.account_number).limit(limit))]


def hold_rows(session: Session, as_of: date) -> list[tuple[Any, ...]]:
    """(hold id, account number, name, kind, from, until, reference, note) of the holds
    in force on ``as_of`` or starting later (not released, not ended before it)."""
    return [tuple(r) for r in session.execute(
        select(CollectionHold.id, Account.account_number, Customer.name, CollectionHold.kind,
               CollectionHold.starts_on, CollectionHold.ends_on, CollectionHold.reference,
               CollectionHold.note)
        .join(Account, Account.id == CollectionHold.account_id)
        .join(Customer, Customer.id == Account.customer_id)
        .where(or_(CollectionHold.ends_on.is_(None), CollectionHold.ends_on >= as_of),
               CollectionHold.released_on.is_(None))
        .order_by(CollectionHold.starts_on, CollectionHold.id))]


def arrangement_rows(session: Session) -> list[tuple[Any, ...]]:
    """(id, account number, name, reference, agreed on, total, status, instalments,
    next due) of every arrangement, newest first."""
    count = (select(func.count()).where(ArrangementInstalment.arrangement_id ==
                                        PaymentArrangement.id).scalar_subquery())
    last = (select(func.max(ArrangementInstalment.due_on))
            .where(ArrangementInstalment.arrangement_id == PaymentArrangement.id)
            .scalar_subquery())
    return [tuple(r) for r in session.execute(
        select(PaymentArrangement.id, Account.account_number, Customer.name,
               PaymentArrangement.reference, PaymentArrangement.agreed_on,
               PaymentArrangement.total_minor, PaymentArrangement.status, count, last)
        .join(Account, Account.id == PaymentArrangement.account_id)
        .join(Customer, Customer.id == Account.customer_id)
        .order_by(PaymentArrangement.id.desc()))]


def order_rows(session: Session, kind: str | None = None, status: str | None = None
               ) -> list[tuple[Any, ...]]:
    """(number, kind, status, ordered on, done on, account number, name, address,
    route code, walk order, arrears, fee) in route walk order."""
    stmt = (select(FieldOrder.number, FieldOrder.kind, FieldOrder.status,
                   FieldOrder.ordered_on, FieldOrder.done_on, Account.account_number,
                   Customer.name, func.coalesce(Premise.address, Customer.address),
                   Route.code, Account.walk_order, FieldOrder.arrears_minor,
                   FieldOrder.fee_minor)
            .join(Account, Account.id == FieldOrder.account_id)
            .join(Customer, Customer.id == Account.customer_id)
            .join(Route, Route.id == Account.route_id)
            .outerjoin(Premise, Premise.account_id == Account.id))
    if kind is not None:
        stmt = stmt.where(FieldOrder.kind == kind)
    if status is not None:
        stmt = stmt.where(FieldOrder.status == status)
    return [tuple(r) for r in session.execute(
        stmt.order_by(Route.code, Account.walk_order, FieldOrder.id))]


def all_account_ids(session: Session) -> list[int]:
    """Every account's id, in order (the demo picks a few for holds)."""
    return [int(a) for a in session.scalars(select(Account.id).order_by(Account.id))]
