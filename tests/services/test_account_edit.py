"""Opening accounts (numbers, validation, audit), editing contacts and notes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ebs_desktop.domain.account_number import is_valid_account_number
from ebs_desktop.errors import PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, AuditEntry, Customer, Premise
from ebs_desktop.services import audit
from ebs_desktop.services.account_edit import (
    ContactDetails,
    NewAccount,
    account_choices,
    add_note,
    create_account,
    edit_contact,
)
from ebs_desktop.services.account_view import account_view
from ebs_desktop.services.accounts import find_accounts
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo

ADMIN = system_actor("test")
CLERK = Actor(None, "clerk", frozenset({"clerk"}))


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=5, months=2, until="2026-06")
    return db


def _new(demo: Database, **changes: object) -> NewAccount:
    choices = account_choices(demo, ADMIN)
    base = dict(contact=ContactDetails("Ada  Okafor", "+234 801 555 0199", "ada@example.org",
                                       "12 Palm Street"),
                category="residential", tariff_code=choices.tariffs[0][0],
                route_code=choices.routes[0][0], premise_address="",
                sanctioned_load_kw="5.5")
    base.update(changes)
    return NewAccount(**base)  # type: ignore[arg-type]


def test_new_accounts_follow_the_highest_number_with_a_check_digit(demo: Database) -> None:
    with demo.read() as s:
        highest = s.scalar(select(Account.account_number).order_by(
            Account.account_number.desc()))
    assert highest is not None
    first = create_account(demo, ADMIN, _new(demo))
    second = create_account(demo, ADMIN,
                            _new(demo, contact=ContactDetails("Bo Li", address="1 Elm")))
    assert is_valid_account_number(first) and is_valid_account_number(second)
    assert int(first[:8]) == int(highest[:8]) + 1
    assert int(second[:8]) == int(first[:8]) + 1
    with demo.read() as s:
        acc = s.scalar(select(Account).where(Account.account_number == first))
        assert acc is not None
        customer = s.get(Customer, acc.customer_id)
        premise = s.scalar(select(Premise).where(Premise.account_id == acc.id))
        assert customer is not None and premise is not None
        assert customer.name == "Ada Okafor" and customer.phone == "+2348015550199"
        assert premise.address == "12 Palm Street"  # defaults to the customer's address
        assert str(premise.sanctioned_load_kw) == "5.500"
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())
                                 .limit(2)))
    assert actions == ["account.create", "account.create"]
    assert find_accounts(demo, ADMIN, "ada ok")[0].account_number == first
    assert audit.verify(demo, ADMIN).ok


@pytest.mark.parametrize(("field", "changes"), [
    ("name", {"contact": ContactDetails("   ")}),
    ("phone", {"contact": ContactDetails("X", phone="12")}),
    ("email", {"contact": ContactDetails("X", email="not-an-address")}),
    ("sanctioned load", {"sanctioned_load_kw": "-1"}),
    ("sanctioned load", {"sanctioned_load_kw": "five"}),
    ("tariff", {"tariff_code": "NOPE"}),
    ("route", {"route_code": "NOPE"}),
    ("category", {"category": "martian"}),
])
def test_validation_names_the_field(demo: Database, field: str,
                                    changes: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as info:
        create_account(demo, ADMIN, _new(demo, **changes))
    assert info.value.location == field


def test_edit_contact_is_audited_and_clerks_may_not(demo: Database) -> None:
    number = create_account(demo, ADMIN, _new(demo))
    stored = edit_contact(demo, ADMIN, number, ContactDetails("Ada Okafor-Bello",
                                                              "+234 801 555 0100", "", "3 Main"))
    assert stored == ContactDetails("Ada Okafor-Bello", "+2348015550100", "", "3 Main")
    details = account_view(demo, ADMIN, number).details
    assert details.summary.name == "Ada Okafor-Bello" and details.email is None
    with demo.read() as s:
        last = s.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert last is not None and last.action == "customer.edit"
        assert "ada@example.org" in (last.before or "")
    with pytest.raises(PermissionDenied):
        edit_contact(demo, CLERK, number, ContactDetails("X"))


def test_notes_newest_first(demo: Database) -> None:
    number = create_account(demo, ADMIN, _new(demo))
    add_note(demo, CLERK, number, "called, will pay Friday")
    note = add_note(demo, ADMIN, number, "  meter behind locked gate ")
    assert note.text == "meter behind locked gate" and note.author == "system"
    assert [n.text for n in account_view(demo, ADMIN, number).notes] == [
        "meter behind locked gate", "called, will pay Friday"]
    with pytest.raises(ValidationError):
        add_note(demo, CLERK, number, "   ")
