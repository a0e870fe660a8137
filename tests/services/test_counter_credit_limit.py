"""No silent overpayment (issue 17, point 6) and the per-payment supervisor limit (point 2):
the counter proposes what is still owed, a credit needs an explicit confirmation, and a
payment above the limit a supervisor. On both backends."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from ebs_desktop.domain.cash import CashTender, TransferTender
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import AuthenticationError, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import AuditEntry, Payment
from ebs_desktop.services import users
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import open_shift, post_payment
from ebs_desktop.services.counter.position import account_position
from ebs_desktop.services.settings import UtilitySettings, get_settings, update_settings
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
def counter(db: Database) -> tuple[Scratch, Actor]:
    scratch = seed_counter_scratch(db, 2)  # each account owes 2 bills of 45.50
    clerk = login(db, *CLERK)
    open_shift(db, clerk, "C01", usd("100"))
    return scratch, clerk


def payments(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Payment)) or 0)


def last_audit(db: Database) -> dict[str, object]:
    with db.read() as s:
        after = s.scalar(select(AuditEntry.after).where(AuditEntry.action == "payment.post")
                         .order_by(AuditEntry.id.desc()).limit(1))
    return dict(json.loads(after or "{}"))


def test_a_paid_bill_scanned_again_proposes_nothing_and_is_not_taken_twice(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    acct = scratch.account_numbers[0]
    first = account_position(db, clerk, acct)
    older, newer = (b.bill_number for b in first.open_bills)
    assert first.proposed_amount() == usd("91.00")
    assert first.proposed_amount(older) == usd("45.50")
    post_payment(db, clerk, "C01", acct, [CashTender(usd("45.50"))], "pay-older")
    again = account_position(db, clerk, acct)
    assert again.proposed_amount(older) == usd("0.00")  # already paid: nothing is owed on it
    assert again.proposed_amount(newer) == usd("45.50")
    # the scanned bill's face amount posted once more is refused: it would be a credit
    post_payment(db, clerk, "C01", acct, [CashTender(usd("45.50"))], "pay-newer")
    with pytest.raises(ValidationError, match=r"owes 0\.00; taking 45\.50 would leave 45\.50"):
        post_payment(db, clerk, "C01", acct, [CashTender(usd("45.50"))], "scan-again")
    assert payments(db) == 2
    paid = account_position(db, clerk, acct)
    assert paid.owed == usd("0.00") and paid.credit_if_paid(usd("45.50")) == usd("45.50")
    assert paid.proposed_amount(older) == usd("0.00")
    assert books_problems(db) == []


def test_more_than_owed_is_refused_without_the_explicit_flag(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    acct = scratch.account_numbers[1]
    with pytest.raises(ValidationError, match=r"owes 91\.00; taking 100\.00 would leave 9\.00"):
        post_payment(db, clerk, "C01", acct, [TransferTender(usd("100"), "R1")], "over")
    assert payments(db) == 0
    exact = post_payment(db, clerk, "C01", acct, [CashTender(usd("100"))], "exact",
                         amount=usd("91.00"))  # change is not a credit
    assert exact.balance == usd("0.00") and exact.change == usd("9.00")
    credit = post_payment(db, clerk, "C01", acct, [CashTender(usd("20"))], "advance",
                          allow_credit=True)
    assert credit.balance == usd("-20.00") and credit.credit == usd("20.00")
    assert last_audit(db)["credit"] == "20.00"
    # replaying a confirmed key is not a new payment and needs no confirmation again
    assert post_payment(db, clerk, "C01", acct, [CashTender(usd("20"))], "advance").replayed
    assert books_problems(db) == []


def test_a_payment_above_the_limit_needs_a_supervisor(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    assert UtilitySettings().payment_supervisor_limit == "10000.00"
    update_settings(db, system_actor("admin"), {"payment_supervisor_limit": "50.00"})
    acct = scratch.account_numbers[0]
    with pytest.raises(PermissionDenied, match=r"above the per-payment limit of 50\.00"):
        post_payment(db, clerk, "C01", acct, [CashTender(usd("91"))], "big")
    with pytest.raises(AuthenticationError):
        post_payment(db, clerk, "C01", acct, [CashTender(usd("91"))], "big",
                     supervisor=(SUPERVISOR[0], "wrong"))
    with pytest.raises(PermissionDenied):  # another clerk is no supervisor
        post_payment(db, clerk, "C01", acct, [CashTender(usd("91"))], "big",
                     supervisor=CLERK2)
    assert payments(db) == 0
    small = post_payment(db, clerk, "C01", acct, [CashTender(usd("50"))], "small")
    assert small.amount == usd("50.00") and "supervisor" not in last_audit(db)
    big = post_payment(db, clerk, "C01", scratch.account_numbers[1], [CashTender(usd("91"))],
                       "big", supervisor=SUPERVISOR)
    assert big.amount == usd("91.00")
    assert last_audit(db)["supervisor"] == "super"
    assert books_problems(db) == []


def test_a_clerk_who_is_also_a_supervisor_cannot_approve_their_own_payment(
        db: Database) -> None:
    scratch = seed_counter_scratch(db, 1)
    users.add_user(db, system_actor("setup"), "lead", "Lead Clerk", "lead-password",
                   ["clerk", "manager"])
    update_settings(db, system_actor("admin"), {"payment_supervisor_limit": "10.00"})
    lead = login(db, "lead", "lead-password")
    open_shift(db, lead, "C01", usd("0"))
    with pytest.raises(PermissionDenied, match="own payment"):
        post_payment(db, lead, "C01", scratch.account_numbers[0], [CashTender(usd("20"))],
                     "self", supervisor=("lead", "lead-password"))
    assert payments(db) == 0


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.234"])
def test_the_limit_setting_is_a_positive_amount(db: Database, value: str) -> None:
    with pytest.raises(ValidationError, match="payment_supervisor_limit"):
        update_settings(db, system_actor("admin"), {"payment_supervisor_limit": value})
    with db.read() as s:
        assert get_settings(s).payment_supervisor_limit == "10000.00"
