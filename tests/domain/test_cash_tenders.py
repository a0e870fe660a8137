"""Tenders: change is not takings, only cash gives change, no card data kept."""

from __future__ import annotations

from datetime import date

import pytest

from ebs_desktop.domain.cash import (
    CardTender,
    CashTender,
    ChequeTender,
    Tender,
    TransferTender,
    looks_like_card_number,
    luhn_valid,
    settle_tenders,
    validate_tender,
)
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError

TODAY = date(2025, 3, 14)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def card(**kw: str) -> CardTender:
    fields = {"scheme": "VISA", "last4": "1111", "approval_code": "A1B2C3"} | kw
    return CardTender(usd("10.00"), fields["scheme"], fields["last4"], fields["approval_code"])


def test_cash_change_is_not_takings() -> None:
    s = settle_tenders(usd("45.50"), [CashTender(usd("50.00"))], today=TODAY)
    assert s.change == usd("4.50")
    assert s.takings("cash") == usd("45.50")
    assert s.applied[0].applied == usd("45.50")


def test_split_payment_cash_covers_the_rest() -> None:
    tenders: list[Tender] = [
        card(),
        CashTender(usd("20.00")),
        TransferTender(usd("5.00"), "TRX-991"),
    ]
    s = settle_tenders(usd("30.25"), tenders, today=TODAY)
    assert s.takings("card") == usd("10.00")
    assert s.takings("transfer") == usd("5.00")
    assert s.takings("cash") == usd("15.25")
    assert s.change == usd("4.75")
    total = sum(a.applied.minor for a in s.applied)
    assert total == usd("30.25").minor


def test_two_cash_tenders_change_from_the_last() -> None:
    s = settle_tenders(
        usd("12.00"), [CashTender(usd("10.00")), CashTender(usd("5.00"))], today=TODAY
    )
    assert [a.applied for a in s.applied] == [usd("10.00"), usd("2.00")]
    assert s.change == usd("3.00")


def test_short_and_over_tendered_non_cash_refused() -> None:
    with pytest.raises(ValidationError, match="short") as exc:
        settle_tenders(usd("20.00"), [CashTender(usd("19.99"))], today=TODAY)
    assert exc.value.location == "tenders"
    with pytest.raises(ValidationError, match="only cash can give change"):
        settle_tenders(usd("5.00"), [card()], today=TODAY)
    with pytest.raises(ValidationError, match="at least one tender"):
        settle_tenders(usd("5.00"), [], today=TODAY)


def test_currency_mismatch_is_located() -> None:
    with pytest.raises(ValidationError) as exc:
        settle_tenders(usd("5.00"), [CashTender(Money.of("5", "EUR"))], today=TODAY)
    assert exc.value.location == "tender[1]"


def test_luhn() -> None:
    assert luhn_valid("4111111111111111")
    assert luhn_valid("79927398713")
    assert not luhn_valid("4111111111111112")
    assert looks_like_card_number("card 4111 1111 1111 1111 ok")
    assert looks_like_card_number("5500-0000-0000-0004")
    assert not looks_like_card_number("4111 1111 1111 1112")
    assert not looks_like_card_number("1111")


@pytest.mark.parametrize(
    ("fields", "location", "message"),
    [
        ({"last4": "4111111111111111"}, "tender[1].last4", "full card number"),
        ({"approval_code": "4111 1111 1111 1111"}, "tender[1].approval_code", "full card number"),
        ({"approval_code": "123"}, "tender[1].approval_code", "CVV"),
        ({"approval_code": "1234"}, "tender[1].approval_code", "CVV"),
        ({"approval_code": "12-34"}, "tender[1].approval_code", "approval code"),
        ({"last4": "12a4"}, "tender[1].last4", "last 4 digits"),
        ({"scheme": "BITCOIN"}, "tender[1].scheme", "unknown card scheme"),
    ],
)
def test_card_fields_refused(fields: dict[str, str], location: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as exc:
        validate_tender(card(**fields), today=TODAY, location="tender[1]")
    assert exc.value.location == location


def test_good_card_accepted() -> None:
    validate_tender(card(approval_code="004711"), today=TODAY)


def test_cheque_rules() -> None:
    good = ChequeTender(usd("100.00"), "001234", "First Bank", date(2025, 3, 1))
    validate_tender(good, today=TODAY)
    cases = [
        (ChequeTender(usd("1.00"), "12ab", "B", TODAY), "number"),
        (ChequeTender(usd("1.00"), "1", " ", TODAY), "bank"),
        (ChequeTender(usd("1.00"), "1", "B", date(2025, 3, 15)), "cheque_date"),
        (ChequeTender(usd("1.00"), "1", "B", date(2024, 9, 1)), "cheque_date"),
        (ChequeTender(usd("0.00"), "1", "B", TODAY), "amount"),
    ]
    for tender, field in cases:
        with pytest.raises(ValidationError) as exc:
            validate_tender(tender, today=TODAY, location="t")
        assert exc.value.location == f"t.{field}"


def test_transfer_needs_reference() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_tender(TransferTender(usd("1.00"), "  "), today=TODAY, location="t")
    assert exc.value.location == "t.reference"
