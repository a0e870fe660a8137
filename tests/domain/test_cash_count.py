"""Blind count by denomination and over/short per tender."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ebs_desktop.domain.cash_count import (
    DENOMINATIONS,
    count_cash,
    denominations,
    expected_cash,
    needs_supervisor,
    over_short,
)
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def test_usd_count_total() -> None:
    count = count_cash("USD", {"100": 2, "20": 3, "1": 4, "0.25": 7, Decimal("0.01"): 3})
    assert count.total == usd("265.78")
    assert [d.value for d, _ in count.lines] == [
        usd("100"),
        usd("20"),
        usd("1"),
        usd("0.25"),
        usd("0.01"),
    ]


def test_unknown_denomination_and_bad_pieces_are_located() -> None:
    with pytest.raises(ValidationError) as exc:
        count_cash("USD", {"3": 1})
    assert exc.value.location == "count[3]"
    with pytest.raises(ValidationError) as exc:
        count_cash("USD", {"5": -1})
    assert exc.value.location == "count[5]"
    with pytest.raises(ValidationError, match="no denomination table"):
        denominations("XYZ")


def test_tables_are_largest_first_and_distinct() -> None:
    for currency, table in DENOMINATIONS.items():
        notes = [d.value.minor for d in table if d.form == "note"]
        coins = [d.value.minor for d in table if d.form == "coin"]
        assert notes == sorted(notes, reverse=True), currency
        assert coins == sorted(coins, reverse=True), currency
        assert len(set(notes)) == len(notes) and len(set(coins)) == len(coins)


def test_over_short_per_tender() -> None:
    expected_drawer = expected_cash(usd("100.00"), usd("1234.50"), [usd("500.00"), usd("300.00")])
    assert expected_drawer == usd("534.50")
    counted = count_cash("USD", {"100": 5, "20": 1, "10": 1, "1": 4, "0.25": 2}).total
    assert counted == usd("534.50")
    diffs = over_short(
        {"cash": expected_drawer, "card": usd("80.00"), "cheque": usd("50.00")},
        {"cash": usd("530.50"), "card": usd("80.00"), "cheque": usd("55.00")},
        "USD",
    )
    by_kind = {d.kind: d.difference for d in diffs}
    assert by_kind == {"cash": usd("-4.00"), "card": usd("0.00"), "cheque": usd("5.00")}
    assert needs_supervisor(diffs, usd("4.99"))
    assert not needs_supervisor(diffs, usd("5.00"))


def test_refunds_reduce_expected_cash() -> None:
    assert expected_cash(usd("50"), usd("10"), [], usd("7")) == usd("53")
