"""The GUI's amount and quantity fields under fuzz, through the parsers the GUI itself uses
(no Qt application is started: the parsers are plain functions of the page modules).

- ``parse_money`` (counter: amount, cash tendered, opening float, counted card/cheque/
  transfer totals): the amount typed, exactly, within the ceiling, or a refusal.
- The counter's "Take payment": the typed amount and tendered cash go through
  ``parse_money`` into ``post_payment``; the payment is stored as typed, or refused with
  an ``EbsError`` and the database unchanged (every table, audit log included). On both
  backends.
- ``parse_value`` (readings page) and the bill calculator's quantity fields: the number
  typed, finite and within ``MAX_QUANTITY``, or a refusal.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from ebs_desktop.domain.cash import CashTender
from ebs_desktop.domain.money import MAX_AMOUNT_MINOR, MAX_QUANTITY, Money
from ebs_desktop.domain.readings.rules import REGISTER_LIMIT, THOUSANDTH
from ebs_desktop.errors import EbsError, ValidationError
from ebs_desktop.gui.dialogs.counter_dialogs import parse_money
from ebs_desktop.gui.pages.billing_tariffs import parse_registers
from ebs_desktop.gui.pages.readings import parse_value
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import open_shift, post_payment
from tests.fuzz.checksum import changes, snapshot
from tests.fuzz.profiles import CASES, FUZZ, cases_for, fuzz_settings
from tests.fuzz.strategies import amount_texts, exact, minor_units, quantity_texts
from tests.support.counter_scratch import CLERK, seed_counter_scratch

typed_amounts = st.one_of(amount_texts, amount_texts.map(lambda t: t.replace(".", ",")),
                          amount_texts.map(lambda t: " ".join(t)))
"""What a person types: as the generators make it, with a decimal comma, spaced out."""


def gui_cleaned(typed: str) -> str:
    """What the field's text means: blanks dropped, a comma as the decimal point, blank 0."""
    return typed.strip().replace(" ", "").replace(",", ".") or "0"


def test_amount_field_parser_is_exact_or_refuses() -> None:
    seen = [0]

    @FUZZ
    @given(typed=typed_amounts)
    def case(typed: str) -> None:
        seen[0] += 1
        try:
            money = parse_money(typed, "USD")
        except (ValueError, ValidationError):
            return
        value = exact(gui_cleaned(typed))
        assert value is not None, f"{typed!r} was read as {money}"
        assert Decimal(money.minor) == value.scaleb(2), (typed, money)
        assert abs(money.minor) <= MAX_AMOUNT_MINOR, f"{typed!r} was read as {money}"

    case()
    assert seen[0] >= CASES


def test_quantity_fields_are_exact_or_refuse() -> None:
    seen = [0]

    @FUZZ
    @given(typed=st.one_of(quantity_texts, quantity_texts.map(lambda t: t.replace(".", ","))),
           name=st.sampled_from(["peak", "offpeak", "", "="]))
    def case(typed: str, name: str) -> None:
        seen[0] += 1
        want = exact(typed.strip().replace(" ", "").replace(",", "."))
        # a meter's register is bounded by the most dials a meter has; a quantity typed
        # into the bill calculator by the quantity ceiling
        for parse, bound in ((parse_value, REGISTER_LIMIT - THOUSANDTH),
                             (lambda t: parse_registers(f"{name}={t}")[name.strip()],
                              MAX_QUANTITY)):
            try:
                value = parse(typed)
            except (ValueError, KeyError, ValidationError):
                continue
            assert want is not None and value == want, f"{typed!r} was read as {value}"
            assert abs(value) <= bound, f"{typed!r} was read as {value}"

    case()
    assert seen[0] >= CASES


@pytest.mark.timeout(900)
def test_take_payment_posts_what_was_typed_or_nothing(fuzz_db: Database) -> None:
    db = fuzz_db
    scratch = seed_counter_scratch(db, 40)
    clerk = login(db, *CLERK)
    open_shift(db, clerk, "C01", Money(10000, "USD"))
    state = {"before": snapshot(db), "cases": 0, "posted": 0}

    @fuzz_settings(db.backend)
    @given(amount=typed_amounts, tendered=st.one_of(st.just(""), typed_amounts),
           account=st.integers(0, 39))
    def case(amount: str, tendered: str, account: int) -> None:
        state["cases"] += 1
        try:  # what the page does before it calls the service
            money = parse_money(amount, "USD")
            given_cash = parse_money(tendered, "USD") if tendered.strip() else money
        except ValueError:
            return
        number = scratch.account_numbers[account]
        try:
            result = post_payment(db, clerk, "C01", number, [CashTender(given_cash)],
                                  uuid.uuid4().hex, amount=money)
        except EbsError as exc:
            if isinstance(exc, ValidationError):
                assert exc.location, f"{exc} names no place"
            moved = changes(state["before"], snapshot(db))
            assert not moved, f"{amount!r}/{tendered!r} refused ({exc}) but changed {moved}"
            return
        minor = minor_units(gui_cleaned(amount))
        assert minor is not None, f"{amount!r} was posted as {result.amount}"
        with db.read() as s:
            paid, given_minor, change = s.execute(text(
                "SELECT p.amount_minor, t.tendered_minor, t.change_minor FROM payments p"
                " JOIN payment_tenders t ON t.payment_id = p.id WHERE p.id = :p"),
                {"p": result.payment_id}).one()
        want_given = minor_units(gui_cleaned(tendered)) if tendered.strip() else minor
        assert want_given is not None, f"tendered {tendered!r} was taken"
        assert (paid, given_minor, change) == (minor, want_given, want_given - minor)
        state["posted"] += 1
        state["before"] = snapshot(db)

    case()
    assert state["cases"] >= cases_for(db.backend)
    assert state["posted"], "no payment at all was posted"
