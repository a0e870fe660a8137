"""Damm check digits catch every single-digit error and adjacent transposition."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ebs_desktop.domain.account_number import (
    find_account_numbers,
    is_valid_account_number,
    make_account_number,
)


def test_known_values() -> None:
    assert make_account_number(10000001) == "100000011"
    assert is_valid_account_number("100000011")
    assert not is_valid_account_number("100000013")
    assert not is_valid_account_number("10000001")


@given(st.integers(min_value=1, max_value=10**8 - 1), st.integers(0, 8), st.integers(1, 9))
def test_single_digit_errors_are_caught(serial: int, pos: int, delta: int) -> None:
    number = make_account_number(serial)
    wrong = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1:]
    assert not is_valid_account_number(wrong)


@given(st.integers(min_value=1, max_value=10**8 - 1), st.integers(0, 7))
def test_adjacent_transpositions_are_caught(serial: int, pos: int) -> None:
    number = make_account_number(serial)
    if number[pos] == number[pos + 1]:
        return
    swapped = number[:pos] + number[pos + 1] + number[pos] + number[pos + 2:]
    assert not is_valid_account_number(swapped)


def test_found_in_free_text() -> None:
    text = "Payment for acct 100000011, invoice 123456789 / ref 1000000119"
    assert find_account_numbers(text) == ["100000011"]
