"""Collections (dunning): the pure rules of the path from a reminder to a disconnection.

The path of an account is driven by its oldest bill past its due date (the *driving
bill*). One step per account per run, never skipping a level, so every notice the law
requires reaches the customer before the next step:

1. ``reminder``: ``reminder_days`` before a bill's due date (per bill, any open amount);
2. ``overdue``: ``overdue_days`` after the driving bill's due date, arrears at least
   ``min_overdue``;
3. ``final``: ``final_days`` after the overdue notice, arrears at least ``min_final``;
   names the disconnection date (``disconnect_days`` later, moved past a winter
   moratorium that would cover it);
4. ``disconnect``: on or after that date, arrears at least ``min_disconnect``: a
   disconnection order for the field crews and a notice.

When the arrears are paid, or an arrangement is agreed, an open disconnection order is
cancelled, and a disconnected account gets a reconnection order and the reconnection fee.

Holds stop the path (:data:`HOLD_STOPS`): an open billing dispute and a payment
arrangement stop every step; a medical certificate stops the final notice and the
disconnection; a moratorium (an account's own, or the winter dates in the settings)
stops the disconnection. A held step is planned as held (shown, never done), so the
plan says why nothing happened. An arrangement whose instalments fall behind (paid less
than what was due ``grace_days`` ago) is broken: its hold ends and the path resumes.

Everything here is pure: the service hands in facts read from the database and gets
back the plan, which a dry run prints and a real run carries out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from ebs_desktop.errors import ValidationError


class Level(StrEnum):
    REMINDER = "reminder"
    OVERDUE = "overdue"
    FINAL = "final"
    DISCONNECT = "disconnect"


class HoldKind(StrEnum):
    DISPUTE = "dispute"
    MEDICAL = "medical"
    MORATORIUM = "moratorium"
    ARRANGEMENT = "arrangement"


class Action(StrEnum):
    """What a plan step does. The four levels, plus the way back."""

    REMINDER = "reminder"
    OVERDUE = "overdue"
    FINAL = "final"
    DISCONNECT = "disconnect"
    CANCEL_DISCONNECT = "cancel_disconnect"  # arrears paid before the crew went
    RECONNECT = "reconnect"  # a reconnection order and the fee
    ARRANGEMENT_BROKEN = "arrangement_broken"  # a missed instalment: the path resumes
    ARRANGEMENT_COMPLETED = "arrangement_completed"  # paid in full: the hold ends


LEVEL_ORDER = (Level.REMINDER, Level.OVERDUE, Level.FINAL, Level.DISCONNECT)
ORDER_KINDS = ("disconnect", "reconnect")
ORDER_STATUSES = ("open", "done", "cancelled")
ARRANGEMENT_STATUSES = ("active", "completed", "broken", "cancelled")

HOLD_STOPS: dict[HoldKind, frozenset[Level]] = {
    HoldKind.DISPUTE: frozenset(LEVEL_ORDER),
    HoldKind.ARRANGEMENT: frozenset(LEVEL_ORDER),
    HoldKind.MEDICAL: frozenset({Level.FINAL, Level.DISCONNECT}),
    HoldKind.MORATORIUM: frozenset({Level.DISCONNECT}),
}

HOLD_LABELS = {
    HoldKind.DISPUTE: "Billing dispute",
    HoldKind.MEDICAL: "Medical certificate",
    HoldKind.MORATORIUM: "Moratorium",
    HoldKind.ARRANGEMENT: "Payment arrangement",
}


# -- the rules, from the settings ----------------------------------------------------------

@dataclass(frozen=True)
class Moratorium:
    """Yearly dates (month, day) from ``start`` to ``end`` inclusive; may span new year."""

    start: tuple[int, int]
    end: tuple[int, int]

    def covers(self, day: date) -> bool:
        md = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end

    def first_day_after(self, day: date) -> date:
        """``day`` itself when not covered, else the day after the moratorium ends."""
        while self.covers(day):
            day += timedelta(days=1)
        return day

    def __str__(self) -> str:
        return f"{self.start[0]:02d}-{self.start[1]:02d}..{self.end[0]:02d}-{self.end[1]:02d}"


@dataclass(frozen=True)
class DunningRules:
    reminder_days: int = 3
    overdue_days: int = 7
    final_days: int = 14
    disconnect_days: int = 10
    min_overdue: int = 500  # minor units of the utility's currency
    min_final: int = 2000
    min_disconnect: int = 5000
    reconnection_fee: int = 2500
    grace_days: int = 5
    moratorium: Moratorium | None = None


# key -> (kind, default as the person types it, what it means)
SETTING_KEYS: dict[str, tuple[str, str, str]] = {
    "dunning.reminder_days": ("days", "3", "reminder this many days before the due date"),
    "dunning.overdue_days": ("days", "7", "overdue notice this many days after the due date"),
    "dunning.final_days": ("days", "14", "final notice this many days after the overdue notice"),
    "dunning.disconnect_days": ("days", "10",
                                "disconnection this many days after the final notice"),
    "dunning.min_overdue": ("money", "5.00", "least arrears for an overdue notice"),
    "dunning.min_final": ("money", "20.00", "least arrears for a final notice"),
    "dunning.min_disconnect": ("money", "50.00", "least arrears for a disconnection"),
    "dunning.reconnection_fee": ("money", "25.00", "fee charged with a reconnection"),
    "dunning.grace_days": ("days", "5", "days an instalment may be late before the "
                                        "arrangement is broken"),
    "dunning.moratorium": ("dates", "", "winter moratorium MM-DD..MM-DD (no disconnections);"
                                        " empty: none"),
}

_DATES = re.compile(r"^(\d\d)-(\d\d)\.\.(\d\d)-(\d\d)$")


def parse_moratorium(text: str, *, field_name: str = "dunning.moratorium"
                     ) -> Moratorium | None:
    text = text.strip()
    if not text:
        return None
    m = _DATES.match(text)
    if m is None:
        raise ValidationError(f"{text!r} is not MM-DD..MM-DD (e.g. 11-15..03-15)",
                              location=f"setting {field_name}")
    start, end = (int(m[1]), int(m[2])), (int(m[3]), int(m[4]))
    for month, day in (start, end):
        try:
            date(2024, month, day)  # a leap year: 02-29 is a date
        except ValueError:
            raise ValidationError(f"{month:02d}-{day:02d} in {text!r} is not a day of the"
                                  " year", location=f"setting {field_name}") from None
    return Moratorium(start, end)


def parse_days(text: str, key: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValidationError(f"{text!r} is not a whole number of days",
                              location=f"setting {key}") from None
    if not 0 <= value <= 366:
        raise ValidationError(f"{value} days is outside 0 to 366", location=f"setting {key}")
    return value


# -- facts in, plan out --------------------------------------------------------------------

@dataclass(frozen=True)
class OpenBill:
    bill_id: int
    bill_number: str
    due_date: date
    open_minor: int


@dataclass(frozen=True)
class PastStep:
    """A level already reached on a bill (a row of ``dunning_events``)."""

    level: Level
    on: date
    disconnect_on: date | None = None


@dataclass(frozen=True)
class ArrangementFacts:
    arrangement_id: int
    agreed_on: date
    total_minor: int
    schedule: tuple[tuple[date, int], ...]  # (due date, amount) per instalment
    paid_minor: int  # paid on the account since it was agreed


@dataclass(frozen=True)
class AccountFacts:
    account_id: int
    account_number: str
    name: str
    disconnected: bool
    bills: tuple[OpenBill, ...]  # open bills, oldest due first
    steps: Mapping[int, Mapping[Level, PastStep]] = field(default_factory=dict)  # per bill
    holds: tuple[HoldKind, ...] = ()  # the account's holds in force on the day
    open_disconnect: bool = False
    open_reconnect: bool = False
    arrangement: ArrangementFacts | None = None


@dataclass(frozen=True)
class Step:
    """One thing the run does (or would do, or is held from doing) to one account."""

    action: Action
    account_id: int
    account_number: str
    name: str
    arrears_minor: int
    bill_id: int | None = None
    bill_number: str | None = None
    due_date: date | None = None
    disconnect_on: date | None = None
    held_by: HoldKind | None = None  # set: the step is held, nothing is done
    detail: str = ""
    bill_open_minor: int = 0  # what is still open on the step's bill


def arrangement_state(a: ArrangementFacts, as_of: date, grace_days: int) -> Action | None:
    """BROKEN when the instalments due ``grace_days`` before ``as_of`` are not paid,
    COMPLETED when all is paid, None while it runs to plan."""
    if a.paid_minor >= a.total_minor:
        return Action.ARRANGEMENT_COMPLETED
    due = sum(amount for day, amount in a.schedule
              if day + timedelta(days=grace_days) < as_of)
    return Action.ARRANGEMENT_BROKEN if a.paid_minor < due else None


def _first_blocking(holds: Sequence[HoldKind], level: Level) -> HoldKind | None:
    return next((h for h in holds if level in HOLD_STOPS[h]), None)


def plan_account(f: AccountFacts, rules: DunningRules, as_of: date) -> list[Step]:
    """The steps of one account on ``as_of``: its arrangement's fate, reminders, at most
    one step on the path, or the way back (cancel a disconnection, reconnect)."""
    out: list[Step] = []
    holds = list(f.holds)
    past_due = [b for b in f.bills if b.due_date < as_of]
    arrears = sum(b.open_minor for b in past_due)

    def step(action: Action, bill: OpenBill | None = None, *,
             disconnect_on: date | None = None, held_by: HoldKind | None = None,
             detail: str = "") -> Step:
        return Step(action, f.account_id, f.account_number, f.name, arrears,
                    bill.bill_id if bill else None, bill.bill_number if bill else None,
                    bill.due_date if bill else None, disconnect_on, held_by, detail,
                    bill.open_minor if bill else 0)

    arranged = False
    if f.arrangement is not None:
        fate = arrangement_state(f.arrangement, as_of, rules.grace_days)
        if fate is not None:
            out.append(step(fate, detail=f"arrangement {f.arrangement.arrangement_id}"))
            holds = [h for h in holds if h is not HoldKind.ARRANGEMENT]
        arranged = fate is None
    if rules.moratorium is not None and rules.moratorium.covers(as_of):
        holds.append(HoldKind.MORATORIUM)

    # the way back: arrears paid or an arrangement running
    if f.disconnected or f.open_disconnect:
        if f.open_reconnect:
            return out
        if arrears == 0 or arranged:
            why = "arrangement agreed" if arranged and arrears else "arrears paid"
            out.append(step(Action.RECONNECT if f.disconnected else Action.CANCEL_DISCONNECT,
                            detail=why))
        return out

    for bill in f.bills:
        if bill.due_date < as_of or bill.due_date - timedelta(days=rules.reminder_days) > as_of:
            continue
        if Level.REMINDER in f.steps.get(bill.bill_id, {}):
            continue
        out.append(step(Action.REMINDER, bill,
                        held_by=_first_blocking(holds, Level.REMINDER)))

    if not past_due:
        return out
    driving = past_due[0]
    done = f.steps.get(driving.bill_id, {})
    if Level.OVERDUE not in done:
        if as_of >= driving.due_date + timedelta(days=rules.overdue_days) \
                and arrears >= rules.min_overdue:
            out.append(step(Action.OVERDUE, driving,
                            held_by=_first_blocking(holds, Level.OVERDUE)))
    elif Level.FINAL not in done:
        if as_of >= done[Level.OVERDUE].on + timedelta(days=rules.final_days) \
                and arrears >= rules.min_final:
            when = as_of + timedelta(days=rules.disconnect_days)
            if rules.moratorium is not None:
                when = rules.moratorium.first_day_after(when)
            out.append(step(Action.FINAL, driving, disconnect_on=when,
                            held_by=_first_blocking(holds, Level.FINAL)))
    elif Level.DISCONNECT not in done:
        final = done[Level.FINAL]
        if final.disconnect_on is not None and as_of >= final.disconnect_on \
                and arrears >= rules.min_disconnect:
            out.append(step(Action.DISCONNECT, driving, disconnect_on=final.disconnect_on,
                            held_by=_first_blocking(holds, Level.DISCONNECT)))
    return out


def current_level(f: AccountFacts) -> Level | None:
    """The highest level reached on a bill of the account that is still open."""
    reached = [lv for b in f.bills for lv in f.steps.get(b.bill_id, {})]
    return max(reached, key=LEVEL_ORDER.index) if reached else None


def split_instalments(total_minor: int, count: int, first_due: date,
                      every_days: int = 30) -> list[tuple[date, int]]:
    """``count`` instalments of ``total_minor``: equal, the rest on the first; every
    ``every_days`` from ``first_due``."""
    if count < 1 or count > 60:
        raise ValidationError(f"{count} instalments: give 1 to 60", location="instalments")
    if total_minor <= 0:
        raise ValidationError("nothing is owed: an arrangement needs arrears to spread",
                              location="arrangement")
    each, rest = divmod(total_minor, count)
    return [(first_due + timedelta(days=every_days * i), each + (rest if i == 0 else 0))
            for i in range(count)]
