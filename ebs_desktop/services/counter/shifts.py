"""Shifts: opened with a float, safe drops during the day, closed with a blind count.

Why the close takes the count before it says anything: the clerk counts notes and coins
by denomination (and the card slips, cheques and transfer confirmations per tender), the
count is stored, and only the result of :func:`close_shift` reveals what was expected
and the over/short per tender. A difference above the ``shift_difference_threshold``
setting leaves the shift closed but unapproved until a supervisor signs it off (with
their own credentials: :func:`approve_shift`), or the supervisor signs at the close; until
then no new shift opens at that counter.

A shift is its clerk's alone (see :mod:`.ownership`): only they post to it, drop from it
and close it; a supervisor may force-close it with a reason, which the Z-report shows.

A reversal of a cash payment pays the cash out of the drawer of the shift that reverses
(:mod:`.reversals` records that shift), so the expected cash of that shift goes down by
the reversed cash and its Z-report lists the pay-out. Card, cheque and transfer parts
never were in a drawer (a bounced cheque was deposited; a card refund goes through the
terminal) and change no drawer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal

from ebs_desktop.domain.cash import TenderKind
from ebs_desktop.domain.cash_count import count_cash, needs_supervisor, over_short
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.permissions import allowed
from ebs_desktop.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Shift
from ebs_desktop.persistence.stores import counter as store
from ebs_desktop.persistence.tx import IntegrityError, Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.auth import verify_supervisor
from ebs_desktop.services.counter import zreport
from ebs_desktop.services.counter.drawer import expected_by_tender
from ebs_desktop.services.counter.drawer import paid_out as paid_out  # reports.shift_z
from ebs_desktop.services.counter.ownership import (
    counter_id,
    open_shift_at,
    own_open_shift,
    refuse_if_unapproved,
    refuse_second_drawer,
    require_clerk_user,
)
from ebs_desktop.services.counter.records import CloseResult, ShiftInfo
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import currency as utility_currency
from ebs_desktop.services.settings import get_settings


def _info(session: Session, shift: Shift) -> ShiftInfo:
    currency = utility_currency(session)
    code = store.counter_code(session, shift.counter_id)
    clerk = store.username(session, shift.clerk_id)
    return ShiftInfo(shift.id, str(code), str(clerk), shift.status,
                     Money(shift.opening_float_minor, currency), shift.opened_at,
                     shift.closed_at)


def open_shift_in(session: Session, actor: Actor, counter_code: str,
                  opening_float: Money) -> ShiftInfo:
    """Open the acting clerk's own shift (see :mod:`.ownership` for who may)."""
    require(actor, "shift.open")
    user = require_clerk_user(session, actor)
    currency = utility_currency(session)
    if opening_float.currency != currency:
        raise ValidationError(f"the utility counts in {currency}, not "
                              f"{opening_float.currency}", location="opening float")
    if opening_float.minor < 0:
        raise ValidationError(f"opening float cannot be negative, got {opening_float}",
                              location="opening float")
    cid = counter_id(session, counter_code)
    if store.has_open_shift(session, cid):
        raise ConflictError(f"counter {counter_code} already has an open shift")
    refuse_if_unapproved(session, cid, counter_code, currency)
    refuse_second_drawer(session, user)
    shift = store.add_shift(session, cid, user.id, opening_float.minor)
    audit.record(session, actor, "shift.open", "shift", shift.id,
                 after={"counter": counter_code, "float": str(opening_float)})
    return _info(session, shift)


def open_shift(db: Database, actor: Actor, counter_code: str,
               opening_float: Money) -> ShiftInfo:
    """Open the acting clerk's shift; two at once at a counter: one ConflictError."""
    try:
        with db.write() as session:
            return open_shift_in(session, actor, counter_code, opening_float)
    except IntegrityError:
        raise ConflictError(f"counter {counter_code} already has an open shift") from None


def current_shift(db: Database, counter_code: str) -> ShiftInfo | None:
    with db.read() as session:
        shift = store.open_shift_at(session, counter_code)
        return _info(session, shift) if shift is not None else None


def safe_drop(db: Database, actor: Actor, counter_code: str, amount: Money) -> int:
    """Cash taken from the clerk's own drawer to the safe mid-shift; returns the drop's id."""
    require(actor, "shift.drop")
    if amount.minor <= 0:
        raise ValidationError(f"a safe drop must be more than zero, got {amount}",
                              location="amount")
    with db.write() as session:
        shift = own_open_shift(session, actor, counter_code, "take a safe drop from")
        drop_id = store.insert_safe_drop(session, shift.id, amount.minor, actor.user_id)
        audit.record(session, actor, "shift.drop", "shift", shift.id,
                     after={"amount": str(amount), "drop": drop_id})
        return drop_id


def close_shift(db: Database, actor: Actor, counter_code: str,
                cash_counts: Mapping[str | Decimal, int],
                other_counts: Mapping[TenderKind, Money] | None = None, *,
                supervisor: tuple[str, str] | None = None,
                force_reason: str | None = None) -> CloseResult:
    """Store the blind count, close the shift, and only then reveal over/short.

    The shift's own clerk closes it. With ``force_reason`` a supervisor (permission
    ``shift.force_close``) closes another clerk's shift; the count they give is stored
    like the clerk's, and the Z-report says the close was forced, by whom and why.
    """
    forced = force_reason is not None
    if forced:
        require(actor, "shift.force_close")
        if not (force_reason or "").strip():
            raise ValidationError("give the reason for closing another clerk's shift",
                                  location="reason")
        if actor.user_id is None:
            raise ValidationError("a forced close names its supervisor: sign in as one "
                                  "(--user NAME)", location="user")
    else:
        require(actor, "shift.close")
    approver: Actor | None = None
    if supervisor is not None:
        approver = verify_supervisor(db, supervisor[0], supervisor[1], "shift.approve")
    with db.write() as session:
        settings = get_settings(session)
        currency = settings.currency
        if forced:
            shift = open_shift_at(session, counter_code, for_update=True)
        else:
            shift = own_open_shift(session, actor, counter_code, "close")
        if approver is not None and approver.user_id == shift.clerk_id:
            raise PermissionDenied("a clerk cannot approve their own shift: another "
                                   "supervisor signs it off")
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
        store.insert_shift_counts(session, rows)
        expected = expected_by_tender(session, shift, currency)
        differences = over_short(expected, counted, currency)
        approval = needs_supervisor(differences, settings.money("shift_difference_threshold"))
        now = datetime.now(UTC)
        shift.status, shift.closed_at, shift.needs_approval = "closed", now, approval
        if forced:
            shift.forced_by, shift.force_reason = actor.user_id, (force_reason or "").strip()
        if approval and approver is not None:
            shift.approved_by = approver.user_id
        session.flush()
        z_id = zreport.store_shift_report(session, shift)
        signed = approver.username if approval and approver else None
        audit.record(session, actor, "shift.force_close" if forced else "shift.close",
                     "shift", shift.id,
                     after={"counted": {k: str(v) for k, v in counted.items()},
                            "over_short": {d.kind: str(d.difference) for d in differences},
                            "needs_approval": approval, "approved_by": signed,
                            **({"reason": shift.force_reason} if forced else {})})
        return CloseResult(shift.id, tuple(counted.items()), differences, approval, signed,
                           z_id)


def approve_shift(db: Database, actor: Actor, shift_id: int,
                  supervisor_username: str | None = None,
                  supervisor_password: str | None = None) -> None:
    """A supervisor signs off a closed shift whose difference was above the threshold.

    Either the acting user is the supervisor (permission ``shift.approve``), or a clerk
    (``shift.close``) asks a supervisor, who types their own credentials. Nobody
    approves their own shift.
    """
    if supervisor_username is None:
        require(actor, "shift.approve")
        if actor.user_id is None:
            raise ValidationError("an approval names its supervisor: sign in as one "
                                  "(--user NAME) or give --supervisor NAME",
                                  location="supervisor")
        approver = actor
    else:
        if not (allowed(actor.roles, "shift.approve") or allowed(actor.roles, "shift.close")):
            require(actor, "shift.approve")  # raises, naming the permission
        approver = verify_supervisor(db, supervisor_username, supervisor_password or "",
                                     "shift.approve")
    with db.write() as session:
        shift = store.lock_shift(session, shift_id)
        if shift is None:
            raise NotFound(f"no shift {shift_id}")
        if shift.status != "closed":
            raise ConflictError(f"shift {shift_id} is still open; close it first")
        if shift.approved_by is not None:
            raise ConflictError(f"shift {shift_id} is already approved")
        if not shift.needs_approval:
            raise ConflictError(f"shift {shift_id} closed within the threshold: it needs "
                                "no approval")
        if approver.user_id == shift.clerk_id:
            raise PermissionDenied("a clerk cannot approve their own shift: another "
                                   "supervisor signs it off")
        store.set_shift_approver(session, shift, approver.user_id)
        zreport.store_shift_report(session, shift)
        audit.record(session, actor, "shift.approve", "shift", shift_id,
                     after={"approved_by": approver.username})
