"""Printed figures are exact strings; payment codes survive a scan; PDF strings are escaped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ebs_desktop.domain.money import MAX_AMOUNT_MINOR, Money
from ebs_desktop.errors import ValidationError
from ebs_desktop.reports.formatting import format_amount, format_decimal, format_money
from ebs_desktop.reports.payment_code import (
    parse_payment_code,
    payment_barcode_value,
    payment_qr_payload,
)
from ebs_desktop.reports.pdf_text import _pdf_string


@pytest.mark.parametrize(("money", "text"), [
    (Money(0, "USD"), "0.00"),
    (Money(-5, "USD"), "-0.05"),
    (Money(123456789, "USD"), "1,234,567.89"),
    (Money(-100000, "USD"), "-1,000.00"),
    (Money(1234567, "KWD"), "1,234.567"),
    (Money(1234567, "JPY"), "1,234,567"),
])
def test_amounts_are_grouped_exactly(money: Money, text: str) -> None:
    assert format_amount(money) == text
    assert format_money(money) == f"{text} {money.currency}"


@given(st.integers(min_value=-MAX_AMOUNT_MINOR, max_value=MAX_AMOUNT_MINOR))
def test_grouping_removes_nothing_but_commas(minor: int) -> None:
    money = Money(minor, "USD")
    assert Money.of(format_amount(money).replace(",", ""), "USD") == money


def test_quantities_show_their_places_and_are_never_rounded() -> None:
    assert format_decimal(Decimal("2000"), 3) == "2,000.000"
    assert format_decimal(Decimal("12.3456"), 3) == "12.3456"
    assert format_decimal(Decimal("1E+3")) == "1,000"


@given(account=st.from_regex(r"[0-9]{9}", fullmatch=True),
       bill=st.from_regex(r"[A-Z0-9][A-Z0-9/-]{0,20}", fullmatch=True),
       minor=st.integers(min_value=0, max_value=MAX_AMOUNT_MINOR))  # a bill never exceeds it
def test_codes_round_trip(account: str, bill: str, minor: int) -> None:
    amount = Money(minor, "USD")
    bar = parse_payment_code(payment_barcode_value(account, bill, amount))
    qr = parse_payment_code(payment_qr_payload(account, bill, amount))
    assert (bar.account_number, bar.bill_number, bar.amount_minor) == (account, bill, minor)
    assert (qr.account_number, qr.bill_number, qr.amount) == (account, bill, amount)


def test_codes_refuse_separators_and_damaged_scans() -> None:
    with pytest.raises(ValidationError, match="account_number"):
        payment_barcode_value("1/2", "B1", Money(1, "USD"))
    with pytest.raises(ValidationError, match="bill_number"):
        payment_qr_payload("100000013", "B|1", Money(1, "USD"))
    with pytest.raises(ValidationError, match="lacks field C"):
        parse_payment_code("EBSPAY1|A=100000013|B=B1|T=1.00")
    with pytest.raises(ValidationError, match="payment QR"):
        parse_payment_code("EBSPAY1|A=100000013|B=B1|T=1.001|C=USD")


def test_pdf_strings_escape_delimiters_and_encode_winansi() -> None:
    assert _pdf_string("a(b)c\\d") == "a\\(b\\)c\\\\d"
    assert _pdf_string("Müller €5") == "M\\374ller \\2005"
    assert _pdf_string("Łódź") == "?\\363d?"  # no fallback font: unknown letters become '?'
