"""A new account's default tariff follows its category, and a form's input is checked
by the pure rules before any permission or database is involved (issue 19, point 9)."""

from __future__ import annotations

import pytest

from ebs_desktop.errors import PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.account_edit import (
    ContactDetails,
    NewAccount,
    account_choices,
    check_new_account,
    create_account,
)
from ebs_desktop.services.accounts import account_details
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo

ADMIN = system_actor("test")
CLERK = Actor(None, "clerk", frozenset({"clerk"}))


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=5, months=2, until="2026-06")
    return db


def _new(route: str, category: str, tariff: str = "", **contact: str) -> NewAccount:
    return NewAccount(ContactDetails(contact.get("name", "Ada Okafor"),
                                     contact.get("phone", ""), "", "12 Palm Street"),
                      category, tariff, route, "", "5")


def test_each_category_has_its_default_tariff(demo: Database) -> None:
    choices = account_choices(demo, ADMIN)
    defaults = dict(choices.default_tariffs)
    assert defaults == {"residential": "RES-1", "commercial": "COM-TOU",
                        "industrial": "IND-MD", "agricultural": "AGR-1"}
    assert choices.default_tariff("commercial") == "COM-TOU"
    assert choices.default_tariff("public") is None


@pytest.mark.parametrize(("category", "tariff"), [("commercial", "COM-TOU"),
                                                  ("industrial", "IND-MD"),
                                                  ("residential", "RES-1")])
def test_an_account_without_a_tariff_gets_its_categorys(demo: Database, category: str,
                                                       tariff: str) -> None:
    route = account_choices(demo, ADMIN).routes[0][0]
    number = create_account(demo, ADMIN, _new(route, category))
    assert account_details(demo, ADMIN, number).tariff_code == tariff


def test_a_chosen_tariff_wins_and_a_category_without_one_is_named(demo: Database) -> None:
    route = account_choices(demo, ADMIN).routes[0][0]
    number = create_account(demo, ADMIN, _new(route, "commercial", "RES-1"))
    assert account_details(demo, ADMIN, number).tariff_code == "RES-1"
    with pytest.raises(ValidationError, match="tariff: no tariff for the category 'public'"):
        create_account(demo, ADMIN, _new(route, "public"))


def test_input_is_checked_without_a_database_and_the_service_still_refuses() -> None:
    with pytest.raises(ValidationError, match=r"^phone: '12' is not a phone number"):
        check_new_account(_new("R1", "residential", phone="12"))
    with pytest.raises(ValidationError, match=r"^name: the customer's name is required"):
        check_new_account(_new("R1", "residential", name="  "))
    contact, premise, load = check_new_account(_new("R1", "residential", name=" Bo  Li "))
    assert (contact.name, premise, str(load)) == ("Bo Li", "12 Palm Street", "5")


def test_a_clerk_is_refused_a_new_account(demo: Database) -> None:
    route = account_choices(demo, ADMIN).routes[0][0]
    with pytest.raises(PermissionDenied):
        create_account(demo, CLERK, _new(route, "residential"))
