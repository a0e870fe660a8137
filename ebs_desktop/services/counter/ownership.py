"""A shift belongs to one clerk: who may open one, and whose drawer a clerk works.

Why this is strict: the drawer's count at close is the clerk's responsibility, and the
Z-report is filed under their name. If another clerk could post into the shift, take a
safe drop from it or close it, the over/short would be nobody's. So:

* a shift is opened by an active user holding the clerk role, for themselves (never in
  someone else's name, never for the CLI's local operator, which has no user row: it
  signs in with ``--user``);
* only that clerk posts payments to it, takes safe drops from it and closes it; a clerk
  works one drawer at a time;
* a supervisor (``shift.force_close``) may close someone else's shift with a reason
  (:func:`ebs_desktop.services.counter.shifts.close_shift`, ``force_reason=``);
* a shift closed with an over/short above the threshold and not yet approved blocks the
  next shift at its counter until a supervisor approves it.
"""

from __future__ import annotations

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.models import Shift, User
from ebs_desktop.persistence.stores import counter as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter.drawer import total_difference

SIGN_IN = "sign in as the clerk (--user NAME)"


class ShiftAwaitsApproval(ConflictError):
    """The counter's last shift closed over the threshold and no supervisor approved it."""

    def __init__(self, shift_id: int, counter: str, difference: Money | None) -> None:
        self.shift_id = shift_id
        self.counter = counter
        amount = f" ({difference} over/short)" if difference is not None else ""
        super().__init__(
            f"shift {shift_id} at counter {counter} closed with a difference above the "
            f"threshold{amount} and awaits a supervisor's approval: no new shift there "
            f"until it is approved (ebs shift approve {shift_id})")


def require_clerk_user(session: Session, actor: Actor) -> User:
    """The acting user's row, if they may hold a drawer (active, clerk role)."""
    if actor.user_id is None:
        raise ValidationError(f"a shift belongs to a clerk: {SIGN_IN}", location="clerk")
    user = store.user(session, actor.user_id)
    if user is None or not user.is_active:
        raise PermissionDenied(f"{actor.username} is not an active user: only an active "
                               "clerk opens a shift")
    if "clerk" not in store.user_roles(session, user.id):
        raise PermissionDenied(f"{user.username} does not hold the clerk role: only a clerk "
                               "opens a shift")
    return user


def counter_id(session: Session, code: str) -> int:
    cid = store.counter_id(session, code)
    if cid is None:
        raise NotFound(f"no counter {code!r}")
    return cid


def clerk_name(session: Session, user_id: int) -> str:
    return str(store.username(session, user_id))


def check_owner(session: Session, actor: Actor, shift: Shift, counter_code: str,
                what: str) -> None:
    """Refuse unless ``actor`` is the shift's own clerk (``what``: "post to", ...)."""
    if actor.user_id is not None and actor.user_id == shift.clerk_id:
        return
    owner = clerk_name(session, shift.clerk_id)
    if actor.user_id is None:
        raise PermissionDenied(f"shift {shift.id} at counter {counter_code} belongs to "
                               f"{owner}: {SIGN_IN.replace('the clerk', owner)}")
    raise PermissionDenied(
        f"shift {shift.id} at counter {counter_code} belongs to {owner}: only {owner} may "
        f"{what} it (a supervisor can force-close it with a reason)")


def open_shift_at(session: Session, counter_code: str, *, for_update: bool = False) -> Shift:
    """The counter's open shift, whoever's it is; ConflictError when there is none."""
    shift = store.open_shift_at(session, counter_code, for_update=for_update)
    if shift is None:
        counter_id(session, counter_code)  # NotFound for an unknown counter
        raise ConflictError(f"no open shift at counter {counter_code}")
    return shift


def own_open_shift(session: Session, actor: Actor, counter_code: str, what: str) -> Shift:
    """The open shift at the counter, locked, if it is the actor's own."""
    shift = open_shift_at(session, counter_code, for_update=True)
    check_owner(session, actor, shift, counter_code, what)
    return shift


def refuse_if_unapproved(session: Session, cid: int, code: str, currency: str) -> None:
    """Raise :class:`ShiftAwaitsApproval` for a closed, unapproved shift at the counter."""
    waiting = store.shift_awaiting_approval(session, cid)
    if waiting is not None:
        raise ShiftAwaitsApproval(waiting.id, code,
                                  total_difference(session, waiting, currency))


def refuse_second_drawer(session: Session, user: User) -> None:
    """A clerk works one drawer at a time."""
    row = store.clerks_open_shift(session, user.id)
    if row is not None:
        raise ConflictError(f"{user.username} already has shift {row[0]} open at counter "
                            f"{row[1]}: close it first (one drawer at a time)")
