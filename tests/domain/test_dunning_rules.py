"""The dunning rules alone: levels one step at a time, offsets, minimums, each hold kind,
the winter moratorium, arrangements kept, broken and completed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ebs_desktop.domain.dunning import (
    AccountFacts,
    Action,
    ArrangementFacts,
    DunningRules,
    HoldKind,
    Level,
    OpenBill,
    PastStep,
    current_level,
    parse_moratorium,
    plan_account,
    split_instalments,
)
from ebs_desktop.errors import ValidationError

RULES = DunningRules()
DUE = date(2026, 3, 12)
BILL = OpenBill(1, "B1", DUE, 9100)


def facts(*, bills: tuple[OpenBill, ...] = (BILL,), steps: dict[Level, PastStep] | None = None,
          holds: tuple[HoldKind, ...] = (), **kw: object) -> AccountFacts:
    return AccountFacts(7, "100000007", "Ann", kw.pop("disconnected", False),  # type: ignore[arg-type]
                        bills, {1: steps or {}}, holds, **kw)  # type: ignore[arg-type]


def actions(f: AccountFacts, day: date,
            rules: DunningRules = RULES) -> list[tuple[str, str | None]]:
    return [(s.action.value, s.held_by and s.held_by.value) for s in plan_account(f, rules, day)]


def test_reminder_window_then_each_level_in_turn() -> None:
    assert actions(facts(), DUE - timedelta(days=4)) == []
    assert actions(facts(), DUE - timedelta(days=3)) == [("reminder", None)]
    assert actions(facts(), DUE) == [("reminder", None)]
    reminded = {Level.REMINDER: PastStep(Level.REMINDER, DUE - timedelta(days=3))}
    assert actions(facts(steps=reminded), DUE) == []
    assert actions(facts(steps=reminded), DUE + timedelta(days=6)) == []
    assert actions(facts(steps=reminded), DUE + timedelta(days=7)) == [("overdue", None)]
    # 60 days late on the first run: the overdue notice, never straight to the final one
    assert actions(facts(), DUE + timedelta(days=60)) == [("overdue", None)]
    overdue = {Level.OVERDUE: PastStep(Level.OVERDUE, date(2026, 3, 20))}
    assert actions(facts(steps=overdue), date(2026, 4, 2)) == []
    plan = plan_account(facts(steps=overdue), RULES, date(2026, 4, 3))
    assert [s.action for s in plan] == [Action.FINAL]
    assert plan[0].disconnect_on == date(2026, 4, 13)
    final = {**overdue, Level.FINAL: PastStep(Level.FINAL, date(2026, 4, 3), date(2026, 4, 13))}
    assert actions(facts(steps=final), date(2026, 4, 12)) == []
    assert actions(facts(steps=final), date(2026, 4, 13)) == [("disconnect", None)]
    done = {**final, Level.DISCONNECT: PastStep(Level.DISCONNECT, date(2026, 4, 13))}
    assert actions(facts(steps=done), date(2026, 5, 1)) == []
    assert current_level(facts(steps=done)) is Level.DISCONNECT


def test_minimum_amounts_per_level() -> None:
    small = OpenBill(1, "B1", DUE, 499)
    assert actions(facts(bills=(small,)), DUE + timedelta(days=10)) == []
    overdue = {Level.OVERDUE: PastStep(Level.OVERDUE, DUE)}
    mid = OpenBill(1, "B1", DUE, 1999)
    assert actions(facts(bills=(mid,), steps=overdue), DUE + timedelta(days=30)) == []
    final = {**overdue, Level.FINAL: PastStep(Level.FINAL, DUE, DUE + timedelta(days=20))}
    under = OpenBill(1, "B1", DUE, 4999)
    assert actions(facts(bills=(under,), steps=final), DUE + timedelta(days=30)) == []
    assert actions(facts(steps=final), DUE + timedelta(days=30)) == [("disconnect", None)]


@pytest.mark.parametrize(("hold", "held_levels"), [
    (HoldKind.DISPUTE, {"reminder", "overdue", "final", "disconnect"}),
    (HoldKind.ARRANGEMENT, {"reminder", "overdue", "final", "disconnect"}),
    (HoldKind.MEDICAL, {"final", "disconnect"}),
    (HoldKind.MORATORIUM, {"disconnect"}),
])
def test_each_hold_kind_stops_its_levels(hold: HoldKind, held_levels: set[str]) -> None:
    overdue = {Level.OVERDUE: PastStep(Level.OVERDUE, DUE)}
    final = {**overdue, Level.FINAL: PastStep(Level.FINAL, DUE, DUE + timedelta(days=20))}
    cases = {"reminder": (facts(holds=(hold,)), DUE),
             "overdue": (facts(holds=(hold,)), DUE + timedelta(days=8)),
             "final": (facts(steps=overdue, holds=(hold,)), DUE + timedelta(days=15)),
             "disconnect": (facts(steps=final, holds=(hold,)), DUE + timedelta(days=21))}
    for level, (f, day) in cases.items():
        [(action, held)] = actions(f, day)
        assert action == level
        assert (held == hold.value) == (level in held_levels), (level, held)


def test_winter_moratorium_holds_disconnections_and_moves_the_date() -> None:
    winter = parse_moratorium("12-01..02-28")
    assert winter is not None and winter.covers(date(2027, 1, 5))
    assert winter.covers(date(2026, 12, 1)) and not winter.covers(date(2026, 3, 1))
    rules = DunningRules(moratorium=winter)
    due = date(2026, 11, 1)
    overdue = {Level.OVERDUE: PastStep(Level.OVERDUE, date(2026, 11, 8))}
    f = facts(bills=(OpenBill(1, "B1", due, 9100),), steps=overdue)
    [final] = plan_account(f, rules, date(2026, 11, 25))
    assert final.action is Action.FINAL and final.held_by is None
    assert final.disconnect_on == date(2026, 12, 1) + timedelta(days=90)  # 1 March
    steps = {**overdue, Level.FINAL: PastStep(Level.FINAL, date(2026, 11, 25),
                                              date(2026, 12, 5))}
    f = facts(bills=(OpenBill(1, "B1", due, 9100),), steps=steps)
    assert actions(f, date(2026, 12, 6), rules) == [("disconnect", "moratorium")]
    assert actions(f, date(2027, 3, 1), rules) == [("disconnect", None)]
    with pytest.raises(ValidationError, match="MM-DD"):
        parse_moratorium("winter")
    with pytest.raises(ValidationError, match="02-30"):
        parse_moratorium("02-30..03-01")


def test_arrangement_kept_broken_completed() -> None:
    schedule = tuple(split_instalments(9100, 3, date(2026, 4, 1)))
    assert [m for _, m in schedule] == [3034, 3033, 3033]
    kept = ArrangementFacts(1, date(2026, 3, 25), 9100, schedule, 3034)
    f = facts(holds=(HoldKind.ARRANGEMENT,), arrangement=kept)
    assert actions(f, date(2026, 4, 20)) == [("overdue", "arrangement")]
    late = ArrangementFacts(1, date(2026, 3, 25), 9100, schedule, 0)
    f = facts(holds=(HoldKind.ARRANGEMENT,), arrangement=late)
    assert actions(f, date(2026, 4, 6)) == [("overdue", "arrangement")]  # within grace
    assert actions(f, date(2026, 4, 7)) == [("arrangement_broken", None), ("overdue", None)]
    paid = ArrangementFacts(1, date(2026, 3, 25), 9100, schedule, 9100)
    f = facts(bills=(), holds=(HoldKind.ARRANGEMENT,), arrangement=paid)
    assert actions(f, date(2026, 4, 7)) == [("arrangement_completed", None)]
    with pytest.raises(ValidationError, match="instalments"):
        split_instalments(9100, 0, date(2026, 4, 1))


def test_the_way_back() -> None:
    paid = facts(bills=(), disconnected=True)
    assert actions(paid, DUE) == [("reconnect", None)]
    assert actions(facts(bills=(), disconnected=True, open_reconnect=True), DUE) == []
    assert actions(facts(disconnected=True), DUE + timedelta(days=40)) == []  # still owes
    assert actions(facts(bills=(), open_disconnect=True), DUE) == [("cancel_disconnect", None)]
    schedule = ((date(2026, 5, 1), 9100),)
    arranged = facts(disconnected=True, holds=(HoldKind.ARRANGEMENT,),
                     arrangement=ArrangementFacts(1, DUE, 9100, schedule, 0))
    assert actions(arranged, DUE + timedelta(days=40)) == [("reconnect", None)]
