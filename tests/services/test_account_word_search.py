"""The search by any word of the name or address (issue 19, point 6), on both backends:
words anywhere, accents and case ignored, one typo forgiven, edits re-indexed, and the
migration indexing customers that were there before it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.account_edit import ContactDetails, edit_contact
from ebs_desktop.services.accounts import find_accounts
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.demo import build_demo

ADMIN = system_actor("test")
PEOPLE = [("Patricia Haddad", "4 Cedar Lane, Springfield"),
          ("Richard Haddad", "19 Oak Avenue, Riverside"),
          ("Haddad Textiles", "Unit 7, Mill Road, Riverside"),
          ("José Müller", "2 Rue de l'Église, Zürich"),
          ("Olivia Brooks", "88 Haddad Street, Springfield")]


@pytest.fixture
def people(db: Database) -> dict[str, str]:
    """The demo's first accounts renamed to PEOPLE: name -> account number."""
    build_demo(db, customers=12, months=2, until="2026-06", seed=5)
    with db.read() as s:
        numbers = [str(n) for n in s.scalars(text(
            "SELECT account_number FROM accounts ORDER BY id LIMIT :n"), {"n": len(PEOPLE)})]
    for number, (name, address) in zip(numbers, PEOPLE, strict=True):
        edit_contact(db, ADMIN, number, ContactDetails(name, "", "", address))
    return {name: number for number, (name, _a) in zip(numbers, PEOPLE, strict=True)}


OURS = {name for name, _a in PEOPLE}


def names(db: Database, query: str) -> list[str]:
    """Who is found, of PEOPLE (the demo's own customers may share a name), in order."""
    return [a.name for a in find_accounts(db, ADMIN, query) if a.name in OURS]


def test_any_word_of_the_name_finds_the_customer(db: Database, people: dict[str, str]) -> None:
    found = names(db, "haddad")
    # a name starting with the word first, then names with it, then the address match
    assert found[0] == "Haddad Textiles"
    assert set(found[1:3]) == {"Patricia Haddad", "Richard Haddad"}
    assert found[3:] == ["Olivia Brooks"]
    assert names(db, "HADD") == found
    assert names(db, "richard haddad") == ["Richard Haddad"]
    assert names(db, "haddad richard") == ["Richard Haddad"]
    assert names(db, "haddad riverside") == ["Haddad Textiles", "Richard Haddad"]


def test_the_balance_comes_with_each_result(db: Database, people: dict[str, str]) -> None:
    for account in find_accounts(db, ADMIN, "haddad"):
        assert account.balance.currency == "USD"


def test_accents_and_case_are_ignored(db: Database, people: dict[str, str]) -> None:
    assert names(db, "jose muller") == ["José Müller"]
    assert names(db, "MÜLLER") == ["José Müller"]
    assert names(db, "zurich eglise") == ["José Müller"]
    assert names(db, "l'eglise") == ["José Müller"]


def test_one_typo_is_forgiven(db: Database, people: dict[str, str]) -> None:
    assert set(names(db, "hadad")) == {"Patricia Haddad", "Richard Haddad", "Haddad Textiles",
                                       "Olivia Brooks"}
    assert names(db, "patrcia haddad") == ["Patricia Haddad"]
    assert names(db, "richrad") == ["Richard Haddad"]
    assert names(db, "xqzvw") == []


def test_an_edit_moves_the_customer_to_the_new_words(db: Database,
                                                     people: dict[str, str]) -> None:
    number = people["Richard Haddad"]
    edit_contact(db, ADMIN, number, ContactDetails("Richard Stone", "", "", "1 Quay"))
    assert "Richard Haddad" not in names(db, "haddad")
    assert [a.account_number for a in find_accounts(db, ADMIN, "stone quay")] == [number]
    assert names(db, "riverside") == ["Haddad Textiles"]


def test_the_migration_indexes_the_customers_already_there(db: Database,
                                                           people: dict[str, str]) -> None:
    migrate.downgrade(db, "0007")
    migrate.upgrade(db)
    assert names(db, "patricia") == ["Patricia Haddad"]
    with db.read() as s:
        customers = s.scalar(text("SELECT count(DISTINCT customer_id) FROM customer_words"))
        total = s.scalar(text("SELECT count(*) FROM customers"))
    assert customers == total
