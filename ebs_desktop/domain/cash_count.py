"""Closing a shift: the blind count by denomination and over/short per tender.

Why blind: a clerk who sees the expected total first tends to "find" it. The count is
entered as so many notes and coins of each denomination, summed here, and only then
compared with what the shift's takings say should be there.

Expected cash = opening float + cash takings - safe drops - cash paid out (refunds of
reversed payments). Change given is not in the takings, so it needs no term of its own.
Over/short = counted - expected: positive is over, negative is short. Other tenders
(card slips, cheques, transfer confirmations) are counted as totals per tender.

Denomination tables are the circulating notes and coins of each currency (central bank
lists, 2024); a utility whose currency is not here passes its own table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ebs_desktop.domain.cash import TENDER_KINDS, TenderKind
from ebs_desktop.domain.money import MAX_AMOUNT_MINOR, Money, sum_money
from ebs_desktop.errors import ValidationError


@dataclass(frozen=True, slots=True)
class Denomination:
    value: Money
    form: Literal["note", "coin"]

    @property
    def label(self) -> str:
        return f"{self.value} {self.form}"


def _table(currency: str, notes: str, coins: str) -> tuple[Denomination, ...]:
    return tuple(
        [Denomination(Money.of(v, currency), "note") for v in notes.split()]
        + [Denomination(Money.of(v, currency), "coin") for v in coins.split()]
    )


DENOMINATIONS: dict[str, tuple[Denomination, ...]] = {
    "USD": _table("USD", "100 50 20 10 5 2 1", "1 0.50 0.25 0.10 0.05 0.01"),
    "EUR": _table("EUR", "500 200 100 50 20 10 5", "2 1 0.50 0.20 0.10 0.05 0.02 0.01"),
    "GBP": _table("GBP", "50 20 10 5", "2 1 0.50 0.20 0.10 0.05 0.02 0.01"),
    "INR": _table("INR", "500 200 100 50 20 10", "20 10 5 2 1"),
    "PKR": _table("PKR", "5000 1000 500 100 50 20 10", "10 5 2 1"),
    "KES": _table("KES", "1000 500 200 100 50", "20 10 5 1"),
    "NGN": _table("NGN", "1000 500 200 100 50 20 10 5", "2 1 0.50"),
    "ZAR": _table("ZAR", "200 100 50 20 10", "5 2 1 0.50 0.20 0.10"),
}


def denominations(currency: str) -> tuple[Denomination, ...]:
    """The counting table for a currency (largest note first)."""
    try:
        return DENOMINATIONS[currency]
    except KeyError:
        raise ValidationError(
            f"no denomination table for {currency}; configure one", location="currency"
        ) from None


@dataclass(frozen=True, slots=True)
class CashCount:
    """A blind count: how many of each denomination, and the total it makes."""

    lines: tuple[tuple[Denomination, int], ...]
    total: Money


def count_cash(
    currency: str,
    counts: Mapping[str | Decimal, int],
    table: Sequence[Denomination] | None = None,
) -> CashCount:
    """Total a count given as {face value: pieces}; a value may be a note and a coin (USD 1).

    Keys are face values ("20", "0.25"). Where a value exists as both note and coin the
    pieces are recorded against the note; the total is the same.
    """
    rows = tuple(table) if table is not None else denominations(currency)
    by_value: dict[int, Denomination] = {}
    for denomination in rows:
        by_value.setdefault(denomination.value.minor, denomination)
    pieces: dict[int, int] = {}
    for key, n in counts.items():
        location = f"count[{key}]"
        try:
            minor = Money.of(key, currency).minor
        except (ValueError, TypeError) as exc:
            raise ValidationError(str(exc), location=location) from None
        if minor not in by_value:
            raise ValidationError(f"{key} is not a {currency} note or coin", location=location)
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValidationError(
                f"pieces must be a whole number >= 0, got {n!r}", location=location
            )
        pieces[minor] = pieces.get(minor, 0) + n
        if minor * pieces[minor] > MAX_AMOUNT_MINOR:
            raise ValidationError(
                f"{pieces[minor]} pieces of {key} is beyond the ceiling on a single amount "
                f"({MAX_AMOUNT_MINOR:,} minor units)", location=location)
    lines = tuple((by_value[m], pieces[m]) for m in sorted(pieces, reverse=True))
    total_minor = sum(d.value.minor * n for d, n in lines)
    if total_minor > MAX_AMOUNT_MINOR:
        raise ValidationError(f"the count totals beyond the ceiling on a single amount "
                              f"({MAX_AMOUNT_MINOR:,} minor units)", location="count")
    return CashCount(lines, Money(total_minor, currency))


def expected_cash(
    opening_float: Money,
    cash_takings: Money,
    safe_drops: Sequence[Money] = (),
    cash_paid_out: Money | None = None,
) -> Money:
    """What the drawer should hold at close (see the module docstring)."""
    currency = opening_float.currency
    paid_out = cash_paid_out if cash_paid_out is not None else Money.zero(currency)
    return opening_float + cash_takings - sum_money(list(safe_drops), currency) - paid_out


@dataclass(frozen=True, slots=True)
class TenderDifference:
    kind: TenderKind
    expected: Money
    counted: Money

    @property
    def difference(self) -> Money:
        """Counted minus expected: positive over, negative short."""
        return self.counted - self.expected


def over_short(
    expected: Mapping[TenderKind, Money], counted: Mapping[TenderKind, Money], currency: str
) -> tuple[TenderDifference, ...]:
    """Per-tender comparison; a tender missing on one side counts as zero there."""
    for kind in (*expected, *counted):
        if kind not in TENDER_KINDS:
            raise ValidationError(f"unknown tender {kind!r}", location="tender")
    zero = Money.zero(currency)
    return tuple(
        TenderDifference(kind, expected.get(kind, zero), counted.get(kind, zero))
        for kind in TENDER_KINDS
        if kind in expected or kind in counted
    )


def needs_supervisor(differences: Sequence[TenderDifference], threshold: Money) -> bool:
    """True when any tender is over or short by more than ``threshold`` (absolute)."""
    return any(abs(d.difference) > threshold for d in differences)
