"""Amounts in words as printed on receipts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ebs_desktop.domain.amount_words import amount_in_words, number_to_words
from ebs_desktop.domain.money import Money


@pytest.mark.parametrize(
    ("minor", "currency", "words"),
    [
        (12345, "USD", "One hundred twenty-three dollars and 45 cents"),
        (100, "USD", "One dollar"),
        (1, "USD", "Zero dollars and 01 cent"),
        (0, "USD", "Zero dollars"),
        (2_000_000_50, "EUR", "Two million euros and 50 cents"),
        (101, "GBP", "One pound and 01 penny"),
        (1999, "GBP", "Nineteen pounds and 99 pence"),
        (12_500_000, "INR", "One lakh twenty-five thousand rupees"),
        (1_00_00_000_00, "PKR", "One crore rupees"),
        (250_75, "PKR", "Two hundred fifty rupees and 75 paise"),
        (1_000_50, "KES", "One thousand shillings and 50 cents"),
        (100_01, "NGN", "One hundred naira and 01 kobo"),
        (17_00, "ZAR", "Seventeen rand"),
        (-20_01, "ZAR", "Minus twenty rand and 01 cent"),
        (5_10, "CHF", "Five CHF and 10/100"),
        (500, "JPY", "Five hundred JPY"),
    ],
)
def test_amount_in_words(minor: int, currency: str, words: str) -> None:
    assert amount_in_words(Money(minor, currency)) == words


def test_numbers() -> None:
    assert number_to_words(0) == "zero"
    assert number_to_words(15) == "fifteen"
    assert number_to_words(90) == "ninety"
    assert number_to_words(1_001_011) == "one million one thousand eleven"
    assert number_to_words(1_000_000_000, system="indian") == "one hundred crore"
    assert number_to_words(999_999_999_999) == (
        "nine hundred ninety-nine billion nine hundred ninety-nine million "
        "nine hundred ninety-nine thousand nine hundred ninety-nine"
    )
    with pytest.raises(TypeError):
        number_to_words(1.5)  # type: ignore[arg-type]


_SMALL = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_SMALL.update(
    {
        w: 10 * (i + 2)
        for i, w in enumerate(
            ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
        )
    }
)
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "lakh": 10**5, "crore": 10**7}


def _parse(words: str) -> int:
    """An independent reader of the words, to check the writer round-trips."""
    total = group = 0
    for word in words.replace("-", " ").split():
        if word in _SMALL:
            group += _SMALL[word]
        elif word == "hundred":
            group *= 100
        else:
            scale = _SCALES[word]
            if scale == 10**7 and total % 10**7 == 0 and total and group == 0:
                total *= scale
            else:
                total += group * scale
            group = 0
    return total + group


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_words_round_trip_international(n: int) -> None:
    assert _parse(number_to_words(n)) == n


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_words_round_trip_indian(n: int) -> None:
    assert _parse(number_to_words(n, system="indian")) == n
