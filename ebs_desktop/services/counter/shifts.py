"""Shifts: opened with a float, safe drops during the day, closed with a blind count.

Why the close takes the count before it says anything: the clerk counts notes and coins
by denomination (and the card slips, cheques and transfer confirmations per tender), the
count is stored, and only the result of :func:`close_shift` reveals what was expected
and the over/short per tender. A difference above the ``shift_difference_threshold``
setting leaves the shift closed but unapproved until a supervisor signs it off (with
their own credentials: :func:`approve_shift`), or the supervisor signs at the close.

A reversal pays no cash out of the drawer (a bounced cheque was never cash, a mistake is
re-posted to the right account; refunds are a separate process), so a reversed payment
stays in the takings of the shift that took it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ebs_desktop.domain.cash import TenderKind
from ebs_desktop.domain.cash_count import count_cash, expected_cash, needs_supervisor, over_short
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Counter,
    Payment,
    PaymentTender,
    SafeDrop,
    Shift,
    ShiftCount,
    User,
)
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.auth import verify_supervisor
from ebs_desktop.services.counter import zreport
from ebs_desktop.services.counter.records import CloseResult, ShiftInfo
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import get_settings


def _counter_id(session: Session, code: str) -> int:
    cid = session.scalar(select(Counter.id).where(Counter.code == code))
    if cid is None:
        raise NotFound(f"no counter {code!r}")
    return int(cid)


def _info(session: Session, shift: Shift) -> ShiftInfo:
    currency = get_settings(session).currency
    code = session.scalar(select(Counter.code).where(Counter.id == shift.counter_id))
    clerk = session.scalar(select(User.username).where(User.id == shift.clerk_id))
    return ShiftInfo(shift.id, str(code), str(clerk), shift.status,
                     Money(shift.opening_float_minor, currency), shift.opened_at,
                     shift.closed_at)


def open_shift_in(session: Session, actor: Actor, counter_code: str, opening_float: Money,
                  clerk_id: int | None = None) -> ShiftInfo:
    require(actor, "shift.open")
    clerk = clerk_id if clerk_id is not None else actor.user_id
    if clerk is None:
        raise ValidationError("a shift belongs to a clerk: sign in as one (--user NAME) "
                              "or name one (--clerk NAME)",
                              location="clerk")
    if opening_float.minor < 0:
        raise ValidationError(f"opening float cannot be negative, got {opening_float}",
                              location="opening float")
    counter_id = _counter_id(session, counter_code)
    if session.scalar(select(Shift.id).where(Shift.counter_id == counter_id,
                                             Shift.status == "open")) is not None:
        raise ConflictError(f"counter {counter_code} already has an open shift")
    shift = Shift(counter_id=counter_id, clerk_id=clerk, status="open",
                  opening_float_minor=opening_float.minor)
    session.add(shift)
    session.flush()
    audit.record(session, actor, "shift.open", "shift", shift.id,
                 after={"counter": counter_code, "float": str(opening_float)})
    return _info(session, shift)


def open_shift(db: Database, actor: Actor, counter_code: str, opening_float: Money,
               clerk: str | None = None) -> ShiftInfo:
    """Open a shift (for ``clerk``, by default the actor); two at once: one ConflictError."""
    try:
        with db.write() as session:
            clerk_id = None
            if clerk is not None:
                found = session.scalar(select(User.id).where(User.username == clerk))
                if found is None:
                    raise NotFound(f"no user {clerk!r}")
                clerk_id = int(found)
            return open_shift_in(session, actor, counter_code, opening_float, clerk_id)
    except IntegrityError:
        raise ConflictError(f"counter {counter_code} already has an open shift") from None


def current_shift(db: Database, counter_code: str) -> ShiftInfo | None:
    with db.read() as session:
        shift = session.scalar(select(Shift).join(Counter, Counter.id == Shift.counter_id)
                               .where(Counter.code == counter_code, Shift.status == "open"))
        return _info(session, shift) if shift is not None else None


def _open_shift_row(session: Session, counter_code: str) -> Shift:
    shift = session.scalar(
        select(Shift).join(Counter, Counter.id == Shift.counter_id)
        .where(Counter.code == counter_code, Shift.status == "open").with_for_update())
    if shift is None:
        raise ConflictError(f"no open shift at counter {counter_code}")
    return shift


def safe_drop(db: Database, actor: Actor, counter_code: str, amount: Money) -> int:
    """Cash taken from the drawer to the safe mid-shift; returns the drop's id."""
    require(actor, "shift.drop")
    if amount.minor <= 0:
        raise ValidationError(f"a safe drop must be more than zero, got {amount}",
                              location="amount")
    with db.write() as session:
        shift = _open_shift_row(session, counter_code)
        user = actor.user_id if actor.user_id is not None else shift.clerk_id
        drop_id = int(session.execute(insert(SafeDrop).values(
            shift_id=shift.id, amount_minor=amount.minor, user_id=user)
            .returning(SafeDrop.id)).scalar_one())
        audit.record(session, actor, "shift.drop", "shift", shift.id,
                     after={"amount": str(amount), "drop": drop_id})
        return drop_id


def takings(session: Session, shift_id: int, currency: str) -> dict[TenderKind, Money]:
    """Applied amounts per tender of the shift's payments (change is not takings)."""
    rows = session.execute(
        select(PaymentTender.tender, func.sum(PaymentTender.amount_minor))
        .join(Payment, Payment.id == PaymentTender.payment_id)
        .where(Payment.shift_id == shift_id).group_by(PaymentTender.tender))
    out: dict[TenderKind, Money] = {}
    for kind, total in rows:
        out[cast(TenderKind, kind)] = Money(int(total), currency)
    return out


def expected_by_tender(session: Session, shift: Shift, currency: str) -> dict[TenderKind, Money]:
    taken = takings(session, shift.id, currency)
    drops = [Money(int(m), currency) for m in session.scalars(
        select(SafeDrop.amount_minor).where(SafeDrop.shift_id == shift.id))]
    expected = dict(taken)
    expected["cash"] = expected_cash(Money(shift.opening_float_minor, currency),
                                     taken.get("cash", Money.zero(currency)), drops)
    return expected


def close_shift(db: Database, actor: Actor, counter_code: str,
                cash_counts: Mapping[str | Decimal, int],
                other_counts: Mapping[TenderKind, Money] | None = None, *,
                supervisor: tuple[str, str] | None = None) -> CloseResult:
    """Store the blind count, close the shift, and only then reveal over/short."""
    require(actor, "shift.close")
    approver: Actor | None = None
    if supervisor is not None:
        approver = verify_supervisor(db, supervisor[0], supervisor[1], "shift.approve")
    with db.write() as session:
        settings = get_settings(session)
        currency = settings.currency
        shift = _open_shift_row(session, counter_code)
        cash = count_cash(currency, cash_counts)
        counted: dict[TenderKind, Money] = {"cash": cash.total}
        rows: list[dict[str, object]] = [
            {"shift_id": shift.id, "tender": "cash", "denomination_minor": d.value.minor,
             "quantity": n, "amount_minor": (d.value * n).minor} for d, n in cash.lines]
        for kind, amount in (other_counts or {}).items():
            if kind == "cash":
                raise ValidationError("cash is counted by denomination", location="count")
            if amount.minor < 0:
                raise ValidationError(f"count cannot be negative, got {amount}",
                                      location=f"count[{kind}]")
            counted[kind] = amount
            rows.append({"shift_id": shift.id, "tender": kind, "denomination_minor": None,
                         "quantity": 1, "amount_minor": amount.minor})
        if rows:
            session.execute(insert(ShiftCount), rows)
        expected = expected_by_tender(session, shift, currency)
        differences = over_short(expected, counted, currency)
        approval = needs_supervisor(differences, settings.money("shift_difference_threshold"))
        now = datetime.now(UTC)
        shift.status, shift.closed_at = "closed", now
        if approval and approver is not None:
            shift.approved_by = approver.user_id
        session.flush()
        z_id = zreport.store_shift_report(session, shift)
        audit.record(session, actor, "shift.close", "shift", shift.id,
                     after={"counted": {k: str(v) for k, v in counted.items()},
                            "over_short": {d.kind: str(d.difference) for d in differences},
                            "approved_by": approver.username if approval and approver
                            else None})
        return CloseResult(shift.id, tuple(counted.items()), differences, approval,
                           approver.username if approval and approver else None, z_id)


def approve_shift(db: Database, actor: Actor, shift_id: int, supervisor_username: str,
                  supervisor_password: str) -> None:
    """A supervisor signs off a closed shift whose difference was above the threshold."""
    approver = verify_supervisor(db, supervisor_username, supervisor_password, "shift.approve")
    with db.write() as session:
        shift = session.get(Shift, shift_id, with_for_update=True)
        if shift is None:
            raise NotFound(f"no shift {shift_id}")
        if shift.status != "closed":
            raise ConflictError(f"shift {shift_id} is still open; close it first")
        if shift.approved_by is not None:
            raise ConflictError(f"shift {shift_id} is already approved")
        session.execute(update(Shift).where(Shift.id == shift_id)
                        .values(approved_by=approver.user_id))
        session.flush()
        session.refresh(shift)
        zreport.store_shift_report(session, shift)
        audit.record(session, actor, "shift.approve", "shift", shift_id,
                     after={"approved_by": approver.username})
