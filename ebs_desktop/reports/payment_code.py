"""The codes printed on a bill for the counter's scanner: a Code128 barcode and a QR code.

Why two codes: a cheap handheld scanner reads Code128 and types it like a keyboard, so the
barcode holds only characters every keyboard layout has (digits, letters, ``/``). The QR
code carries the same facts plus the currency, labelled, for phone apps and 2D scanners.

Barcode: ``<account>/<bill number>/<amount in minor units>``, e.g. ``100000013/B2026-0001/12345``.
QR:      ``EBSPAY1|A=<account>|B=<bill number>|T=<amount>|C=<currency>``, the amount as the
plain decimal string of :class:`Money` (``123.45``). Both parse back with
:func:`parse_payment_code`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError

QR_PREFIX = "EBSPAY1"


@dataclass(frozen=True, slots=True)
class PaymentCode:
    """What the counter learns from a scanned bill: which bill and how much is due."""

    account_number: str
    bill_number: str
    amount: Money | None  # the barcode carries minor units but no currency
    amount_minor: int


def _check_parts(account_number: str, bill_number: str) -> None:
    if not account_number or "/" in account_number or "|" in account_number:
        raise ValidationError(f"{account_number!r} cannot be put in a payment code",
                              location="account_number")
    if not bill_number or "|" in bill_number:
        raise ValidationError(f"{bill_number!r} cannot be put in a payment code",
                              location="bill_number")


def payment_qr_payload(account_number: str, bill_number: str, amount: Money) -> str:
    _check_parts(account_number, bill_number)
    return f"{QR_PREFIX}|A={account_number}|B={bill_number}|T={amount}|C={amount.currency}"


def payment_barcode_value(account_number: str, bill_number: str, amount: Money) -> str:
    _check_parts(account_number, bill_number)
    return f"{account_number}/{bill_number}/{amount.minor}"


def parse_payment_code(text: str) -> PaymentCode:
    """Parse what a scanner typed (either code); a damaged scan raises ValidationError."""
    text = text.strip()
    if text.startswith(QR_PREFIX + "|"):
        fields: dict[str, str] = {}
        for part in text.split("|")[1:]:
            key, sep, value = part.partition("=")
            if not sep:
                raise ValidationError(f"QR field {part!r} has no '='", location="payment QR")
            fields[key] = value
        try:
            amount = Money.of(fields["T"], fields["C"])
            return PaymentCode(fields["A"], fields["B"], amount, amount.minor)
        except KeyError as exc:
            raise ValidationError(f"QR code lacks field {exc.args[0]}",
                                  location="payment QR") from None
        except (ValueError, TypeError) as exc:
            raise ValidationError(str(exc), location="payment QR") from None
    account, sep, rest = text.partition("/")
    bill, sep2, minor = rest.rpartition("/")
    if not (sep and sep2 and account and bill and minor.lstrip("-").isdigit()):
        raise ValidationError(f"{text!r} is not a bill barcode (account/bill/amount)",
                              location="payment barcode")
    return PaymentCode(account, bill, None, int(minor))
