"""Tenders at the cash counter: how a customer pays, and what the utility may keep of it.

Why these rules:

* **Change is not takings.** A customer who owes 45.50 and hands over a 50 note has paid
  45.50; the 4.50 change leaves the drawer again. Takings per tender (what the Z-report and
  the ledger see) are the *applied* amounts, never the tendered ones.
* **Only cash gives change.** Card, cheque and transfer tenders are taken at exactly their
  amount; several tenders can make up one payment, and cash covers whatever is left.
* **No card data beyond the receipt slip.** PCI DSS forbids keeping a full card number
  (PAN) or the security code. We keep the scheme, the last four digits and the terminal's
  approval code (ISO 8583 field 38: six letters or digits), and refuse any card field that
  holds a Luhn-valid run of 13-19 digits or a CVV-shaped value, so a clerk who types the
  whole number into the wrong box is stopped at once.

Every refusal is a :class:`~ebs_desktop.errors.ValidationError` whose location names the
tender and field (``tender[2].last4``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError

TenderKind = Literal["cash", "card", "cheque", "transfer"]
TENDER_KINDS: tuple[TenderKind, ...] = ("cash", "card", "cheque", "transfer")

CARD_SCHEMES = frozenset(
    {
        "VISA",
        "MASTERCARD",
        "AMEX",
        "DISCOVER",
        "DINERS",
        "JCB",
        "UNIONPAY",
        "RUPAY",
        "MAESTRO",
        "VERVE",
        "MPESA",
        "OTHER",
    }
)
_PAN_CANDIDATE = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,18}(?![ -]?\d)")
_APPROVAL = re.compile(r"[A-Za-z0-9]{6}")
STALE_CHEQUE_DAYS = 183  # six months, the usual clearing rule


def luhn_valid(digits: str) -> bool:
    """True when the digit string passes the Luhn (mod 10) check used by card numbers."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def looks_like_card_number(text: str) -> bool:
    """True if ``text`` holds 13-19 digits (spaces/dashes allowed) that pass Luhn."""
    return any(
        luhn_valid(re.sub(r"[ -]", "", match.group())) for match in _PAN_CANDIDATE.finditer(text)
    )


def refuse_card_data(text: str, location: str) -> None:
    """Raise if free text carries what looks like a full card number."""
    if looks_like_card_number(text):
        raise ValidationError(
            "this looks like a full card number; never enter it: record only the last 4 "
            "digits and the terminal's approval code",
            location=location,
        )


def _positive(amount: Money, location: str) -> None:
    if amount.minor <= 0:
        raise ValidationError(f"amount must be more than zero, got {amount}", location=location)


@dataclass(frozen=True, slots=True)
class CashTender:
    """Notes and coins handed over; ``tendered`` may exceed what is owed (change is given)."""

    tendered: Money
    kind: TenderKind = "cash"


@dataclass(frozen=True, slots=True)
class CardTender:
    """A card payment approved by the terminal: never the card number or its CVV."""

    amount: Money
    scheme: str
    last4: str
    approval_code: str
    kind: TenderKind = "card"


@dataclass(frozen=True, slots=True)
class ChequeTender:
    amount: Money
    number: str
    bank: str
    cheque_date: date
    kind: TenderKind = "cheque"


@dataclass(frozen=True, slots=True)
class TransferTender:
    """A bank transfer or mobile-money payment identified by its reference."""

    amount: Money
    reference: str
    kind: TenderKind = "transfer"


Tender = CashTender | CardTender | ChequeTender | TransferTender


def validate_tender(tender: Tender, *, today: date, location: str = "tender") -> None:
    """Check one tender's fields; raises ValidationError naming ``location.field``."""
    if isinstance(tender, CashTender):
        _positive(tender.tendered, f"{location}.tendered")
    elif isinstance(tender, CardTender):
        _validate_card(tender, location)
    elif isinstance(tender, ChequeTender):
        _validate_cheque(tender, today, location)
    else:
        _positive(tender.amount, f"{location}.amount")
        if not tender.reference.strip():
            raise ValidationError(
                "a transfer needs its bank reference", location=f"{location}.reference"
            )


def _validate_card(tender: CardTender, location: str) -> None:
    _positive(tender.amount, f"{location}.amount")
    for field in ("scheme", "last4", "approval_code"):
        refuse_card_data(getattr(tender, field), f"{location}.{field}")
    if tender.scheme.upper() not in CARD_SCHEMES:
        raise ValidationError(
            f"unknown card scheme {tender.scheme!r}; one of {', '.join(sorted(CARD_SCHEMES))}",
            location=f"{location}.scheme",
        )
    if not (len(tender.last4) == 4 and tender.last4.isdigit()):
        raise ValidationError(
            f"enter exactly the last 4 digits of the card, got {tender.last4!r}",
            location=f"{location}.last4",
        )
    code = tender.approval_code
    if code.isdigit() and len(code) in (3, 4):
        raise ValidationError(
            "this looks like a card security code (CVV), which must never be recorded; "
            "enter the 6-character approval code printed by the terminal",
            location=f"{location}.approval_code",
        )
    if not _APPROVAL.fullmatch(code):
        raise ValidationError(
            f"approval code must be the terminal's 6 letters or digits, got {code!r}",
            location=f"{location}.approval_code",
        )


def _validate_cheque(tender: ChequeTender, today: date, location: str) -> None:
    _positive(tender.amount, f"{location}.amount")
    refuse_card_data(tender.number, f"{location}.number")
    if not (tender.number.isdigit() and 1 <= len(tender.number) <= 12):
        raise ValidationError(
            f"cheque number must be 1-12 digits, got {tender.number!r}",
            location=f"{location}.number",
        )
    if not tender.bank.strip():
        raise ValidationError("name the bank the cheque is drawn on", location=f"{location}.bank")
    if tender.cheque_date > today:
        raise ValidationError(
            f"post-dated cheque ({tender.cheque_date.isoformat()}) cannot be accepted",
            location=f"{location}.cheque_date",
        )
    if tender.cheque_date < today - timedelta(days=STALE_CHEQUE_DAYS):
        raise ValidationError(
            f"stale cheque dated {tender.cheque_date.isoformat()} (older than six months)",
            location=f"{location}.cheque_date",
        )


@dataclass(frozen=True, slots=True)
class AppliedTender:
    """What one tender contributed to the payment (its takings)."""

    tender: Tender
    applied: Money


@dataclass(frozen=True, slots=True)
class TenderSettlement:
    """The tenders of one payment, settled: takings per tender and the change given."""

    amount: Money
    applied: tuple[AppliedTender, ...]
    change: Money

    def takings(self, kind: TenderKind) -> Money:
        """Sum of applied amounts of one tender kind (change already taken out of cash)."""
        total = Money.zero(self.amount.currency)
        for item in self.applied:
            if item.tender.kind == kind:
                total = total + item.applied
        return total


def settle_tenders(amount: Money, tenders: Sequence[Tender], *, today: date) -> TenderSettlement:
    """Validate the tenders of a payment of ``amount`` and compute the change.

    Non-cash tenders are taken at their amount and together may not exceed ``amount``;
    cash covers the rest, and cash beyond the rest is change.
    """
    _positive(amount, "amount")
    if not tenders:
        raise ValidationError("a payment needs at least one tender", location="tenders")
    currency = amount.currency
    non_cash = Money.zero(currency)
    cash = Money.zero(currency)
    for i, tender in enumerate(tenders):
        location = f"tender[{i + 1}]"
        validate_tender(tender, today=today, location=location)
        value = tender.tendered if isinstance(tender, CashTender) else tender.amount
        if value.currency != currency:
            raise ValidationError(
                f"currency {value.currency} differs from the payment's {currency}",
                location=location,
            )
        if isinstance(tender, CashTender):
            cash = cash + value
        else:
            non_cash = non_cash + value
    if non_cash > amount:
        raise ValidationError(
            f"Card, cheque and transfer tenders add up to {non_cash}, more than {amount}: "
            "only cash can give change.",
            location="tenders",
        )
    cash_due = amount - non_cash
    if cash < cash_due:
        raise ValidationError(
            f"The tenders add up to {non_cash + cash}, {cash_due - cash} short of {amount}.",
            location="tenders")
    change = cash - cash_due
    applied: list[AppliedTender] = []
    remaining_cash = cash_due
    for tender in tenders:
        if isinstance(tender, CashTender):
            part = min(tender.tendered, remaining_cash)
            remaining_cash = remaining_cash - part
            applied.append(AppliedTender(tender, part))
        else:
            applied.append(AppliedTender(tender, tender.amount))
    return TenderSettlement(amount, tuple(applied), change)
