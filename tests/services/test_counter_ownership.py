"""A shift belongs to one clerk (issue 17, point 5); reversals pay cash out of the reversing
shift's drawer and an unapproved shift blocks its counter (point 7). On both backends."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from ebs_desktop.domain.cash import CashTender, ChequeTender
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import (
    AuthenticationError,
    ConflictError,
    PermissionDenied,
    ValidationError,
)
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import AuditEntry, Payment, SafeDrop, Shift
from ebs_desktop.services import users
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import (
    ShiftAwaitsApproval,
    approve_shift,
    close_shift,
    open_shift,
    post_payment,
    reverse_payment,
    safe_drop,
)
from ebs_desktop.services.counter.zreport import load_z_report
from tests.books_check import books_problems
from tests.support.counter_scratch import (
    CLERK,
    CLERK2,
    SUPERVISOR,
    Scratch,
    seed_counter_scratch,
)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


@pytest.fixture
def two_clerks(db: Database) -> tuple[Scratch, Actor, Actor]:
    """Carl's shift open at C01 (float 100) with one cash payment of 45.50."""
    scratch = seed_counter_scratch(db, 3)
    carl, clara = login(db, *CLERK), login(db, *CLERK2)
    open_shift(db, carl, "C01", usd("100"))
    post_payment(db, carl, "C01", scratch.account_numbers[0], [CashTender(usd("45.50"))], "c1")
    return scratch, carl, clara


def shifts(db: Database) -> list[tuple[int, str]]:
    with db.read() as s:
        return [(int(c), st) for c, st in s.execute(select(Shift.clerk_id, Shift.status))]


def test_another_clerk_cannot_post_drop_or_close_in_a_shift(
        db: Database, two_clerks: tuple[Scratch, Actor, Actor]) -> None:
    scratch, carl, clara = two_clerks
    with pytest.raises(PermissionDenied, match="belongs to clerk: only clerk may post"):
        post_payment(db, clara, "C01", scratch.account_numbers[1], [CashTender(usd("5"))],
                     "clara-1")
    with pytest.raises(PermissionDenied, match="only clerk may take a safe drop"):
        safe_drop(db, clara, "C01", usd("50"))
    with pytest.raises(PermissionDenied, match="only clerk may close"):
        close_shift(db, clara, "C01", {"100": 1})
    operator = system_actor("cli:root")  # every role, no user row
    with pytest.raises(PermissionDenied, match="belongs to clerk"):
        safe_drop(db, operator, "C01", usd("50"))
    with pytest.raises(PermissionDenied, match="belongs to clerk"):
        post_payment(db, operator, "C01", scratch.account_numbers[1], [CashTender(usd("5"))],
                     "op-1")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 1
        assert s.scalar(select(func.count()).select_from(SafeDrop)) == 0
    assert [st for _, st in shifts(db)] == ["open"]
    # the owner still works the drawer
    safe_drop(db, carl, "C01", usd("50"))
    closed = close_shift(db, carl, "C01", {"50": 1, "20": 2, "5": 1, "0.50": 1})
    assert closed.total_difference == usd("0.00")  # 100 + 45.50 - 50
    assert books_problems(db) == []


def test_a_shift_is_opened_only_by_an_active_clerk_for_themselves(db: Database) -> None:
    seed_counter_scratch(db, 1)
    admin = system_actor("setup")
    users.add_user(db, admin, "root", "Root Admin", "root-password", ["admin"])
    users.add_user(db, admin, "multi", "Clerk And Admin", "multi-password",
                   ["clerk", "admin"])
    carl = login(db, *CLERK)
    with pytest.raises(PermissionDenied):  # admin holds no clerk role
        open_shift(db, login(db, "root", "root-password"), "C01", usd("0"))
    with pytest.raises(ValidationError, match="sign in as the clerk"):
        open_shift(db, system_actor("cli:root"), "C01", usd("0"))  # the CLI's operator
    # roles on the actor are not enough: the user row must hold the clerk role
    with pytest.raises(PermissionDenied, match="does not hold the clerk role"):
        open_shift(db, Actor(login(db, "root", "root-password").user_id, "root",
                             frozenset({"clerk"})), "C01", usd("0"))
    users.set_active(db, admin, CLERK[0], False)  # disabled after signing in
    with pytest.raises(PermissionDenied, match="not an active user"):
        open_shift(db, carl, "C01", usd("0"))
    assert shifts(db) == []
    multi = login(db, "multi", "multi-password")
    info = open_shift(db, multi, "C01", usd("0"))
    assert info.clerk == "multi"
    with pytest.raises(ConflictError, match=r"multi already has shift \d+ open at counter C01"):
        open_shift(db, multi, "C02", usd("0"))  # one drawer at a time


def test_supervisor_force_closes_with_a_reason_and_the_z_report_says_so(
        db: Database, two_clerks: tuple[Scratch, Actor, Actor]) -> None:
    _, _, clara = two_clerks
    boss = login(db, *SUPERVISOR)
    with pytest.raises(PermissionDenied, match=r"shift\.force_close"):
        close_shift(db, clara, "C01", {"100": 1}, force_reason="Carl went home ill")
    with pytest.raises(ValidationError, match="reason"):
        close_shift(db, boss, "C01", {"100": 1}, force_reason="  ")
    with pytest.raises(PermissionDenied):  # a manager is no clerk: forced or nothing
        close_shift(db, boss, "C01", {"100": 1})
    closed = close_shift(db, boss, "C01", {"100": 1, "20": 2, "5": 1, "0.50": 1},
                         force_reason="Carl went home ill")
    assert not closed.needs_approval
    doc = load_z_report(db, boss, closed.z_report_id)
    assert (doc.clerk, doc.forced_by, doc.force_reason) == (
        "clerk", "super", "Carl went home ill")
    from ebs_desktop.devices.receipts import as_text, layout_z_report

    text = as_text(layout_z_report(doc, 48), 48)
    assert "FORCED CLOSE by super" in text and "Carl went home ill" in text
    with db.read() as s:
        actor, after = s.execute(select(AuditEntry.actor, AuditEntry.after).where(
            AuditEntry.action == "shift.force_close")).one()
        forced_by, status = s.execute(select(Shift.forced_by, Shift.status)).one()
    assert actor == "super" and json.loads(after or "{}")["reason"] == "Carl went home ill"
    assert forced_by == boss.user_id and status == "closed"


def test_a_reversal_pays_cash_out_of_the_reversing_shift(
        db: Database, two_clerks: tuple[Scratch, Actor, Actor]) -> None:
    scratch, carl, clara = two_clerks
    receipt_c1 = f"C01-{date.today().year}-000001"
    # Carl takes a cheque too, and closes; Clara reverses both payments from C02.
    post_payment(db, carl, "C01", scratch.account_numbers[1],
                 [ChequeTender(usd("30"), "77", "Bank", date.today())], "c2")
    first = close_shift(db, carl, "C01", {"100": 1, "20": 2, "5": 1, "0.50": 1},
                        {"cheque": usd("30")})
    assert not first.needs_approval
    with pytest.raises(ConflictError, match=r"pays 45\.50 cash back out of a drawer: open "
                                            r"your shift at counter C02"):
        reverse_payment(db, clara, receipt_c1, "wrong account", *SUPERVISOR,
                        counter_code="C02")
    open_shift(db, clara, "C02", usd("50"))
    reverse_payment(db, clara, receipt_c1, "wrong account", *SUPERVISOR, counter_code="C02")
    reverse_payment(db, clara, f"C01-{date.today().year}-000002", "bounced", *SUPERVISOR,
                    counter_code="C02", bounced_cheque=True)
    # Clara's drawer: 50 float - 45.50 paid out = 4.50; the cheque moved no drawer
    result = close_shift(db, clara, "C02", {"2": 2, "0.50": 1})
    assert {d.kind: (d.expected, d.difference) for d in result.differences} == {
        "cash": (usd("4.50"), usd("0.00"))}
    doc = load_z_report(db, clara, result.z_report_id)
    assert doc.paid_out == ((receipt_c1, usd("45.50")),)
    from ebs_desktop.devices.receipts import as_text, layout_z_report

    assert f"Paid out (reversal of {receipt_c1})" in as_text(layout_z_report(doc, 48), 48)
    # Carl's stored Z-report is what he signed: the reversal did not change his drawer
    carl_doc = load_z_report(db, carl, first.z_report_id)
    assert {t.kind: t.expected for t in carl_doc.tenders}["cash"] == usd("145.50")
    assert books_problems(db) == []


def test_a_reversal_in_the_same_shift_leaves_no_phantom_cash(
        db: Database, two_clerks: tuple[Scratch, Actor, Actor]) -> None:
    _, carl, clara = two_clerks
    receipt = f"C01-{date.today().year}-000001"
    with pytest.raises(PermissionDenied, match="only clerk may pay cash out of"):
        reverse_payment(db, clara, receipt, "mistake", *SUPERVISOR, counter_code="C01")
    reverse_payment(db, carl, receipt, "mistake", *SUPERVISOR, counter_code="C01")
    result = close_shift(db, carl, "C01", {"100": 1})  # the float is all that is left
    cash = next(d for d in result.differences if d.kind == "cash")
    assert (cash.expected, cash.difference) == (usd("100.00"), usd("0.00"))
    assert not result.needs_approval


def test_an_unapproved_short_shift_blocks_its_counter_until_a_supervisor_approves(
        db: Database, two_clerks: tuple[Scratch, Actor, Actor]) -> None:
    _, carl, clara = two_clerks
    short = close_shift(db, carl, "C01", {"100": 1})  # 45.50 short
    assert short.needs_approval and short.approved_by is None
    with pytest.raises(ShiftAwaitsApproval, match=rf"shift {short.shift_id} at counter C01 "
                                                  r"closed .*\(-45.50 over/short\)"):
        open_shift(db, carl, "C01", usd("0"))
    with pytest.raises(ShiftAwaitsApproval):
        open_shift(db, clara, "C01", usd("0"))
    open_shift(db, clara, "C02", usd("0"))  # another counter is not blocked
    reader = Actor(None, "rita", frozenset({"reader"}))
    with pytest.raises(PermissionDenied):  # the acting user's permission is checked too
        approve_shift(db, reader, short.shift_id, *SUPERVISOR)
    with pytest.raises(PermissionDenied):
        approve_shift(db, carl, short.shift_id)  # a clerk is no supervisor
    with pytest.raises(AuthenticationError):
        approve_shift(db, carl, short.shift_id, SUPERVISOR[0], "wrong")
    approve_shift(db, login(db, *SUPERVISOR), short.shift_id)  # the supervisor signed in
    assert load_z_report(db, carl, short.z_report_id).approved_by == "super"
    open_shift(db, carl, "C01", usd("0"))
    with pytest.raises(ConflictError, match="already approved"):
        approve_shift(db, carl, short.shift_id, *SUPERVISOR)


def test_nobody_approves_their_own_shift(db: Database) -> None:
    scratch = seed_counter_scratch(db, 1)
    users.add_user(db, system_actor("setup"), "lead", "Lead Clerk", "lead-password",
                   ["clerk", "manager"])
    lead = login(db, "lead", "lead-password")
    open_shift(db, lead, "C01", usd("0"))
    post_payment(db, lead, "C01", scratch.account_numbers[0], [CashTender(usd("20"))], "l1")
    with pytest.raises(PermissionDenied, match="own shift"):
        close_shift(db, lead, "C01", {}, supervisor=("lead", "lead-password"))
    short = close_shift(db, lead, "C01", {})
    with pytest.raises(PermissionDenied, match="own shift"):
        approve_shift(db, lead, short.shift_id)
    clara = login(db, *CLERK2)
    open_shift(db, clara, "C02", usd("10"))
    within = close_shift(db, clara, "C02", {"10": 1})
    with pytest.raises(ConflictError, match="needs no approval"):
        approve_shift(db, lead, within.shift_id)


def test_the_shift_z_report_nets_the_cash_paid_out(
        db: Database, two_clerks: tuple[Scratch, Actor, Actor]) -> None:
    from ebs_desktop.services.reports import ReportRange, build_report

    _, carl, clara = two_clerks
    close_shift(db, carl, "C01", {"100": 1, "20": 2, "5": 1, "0.50": 1})
    reversing = open_shift(db, clara, "C02", usd("50"))
    reverse_payment(db, clara, f"C01-{date.today().year}-000001", "mistake", *SUPERVISOR,
                    counter_code="C02")
    close_shift(db, clara, "C02", {"2": 2, "0.50": 1})
    today = date.today()
    report = build_report(db, login(db, *SUPERVISOR), "shift-z",
                          ReportRange(today, today, shift_id=reversing.shift_id))
    rows = {r[0]: r for r in report.sections[0].rows}
    assert rows["Cash paid out for reversals"][2] == usd("-45.50")
    assert rows["Expected cash in drawer"][2:] == (usd("4.50"), usd("4.50"), usd("0.00"))
