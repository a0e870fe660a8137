"""What a receipt and a Z-report say, as frozen records the services fill in.

Why separate from the layout: the payment service builds a ``ReceiptDocument`` in the
payment's own transaction and stores it, so a reprint next week shows exactly what the
customer was given (only the DUPLICATE mark and its count change); the layout turns the
record into lines for 32 or 48 columns, and the printer adapters turn lines into bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from ebs_desktop.domain.money import Money


@dataclass(frozen=True, slots=True)
class ReceiptHeader:
    """The utility's own details, from the settings in force on the receipt's date."""

    utility_name: str
    address_lines: tuple[str, ...] = ()
    tax_id: str = ""
    footer: str = ""


@dataclass(frozen=True, slots=True)
class ReceiptTender:
    """One tender as printed: "Card VISA ****1234 appr A1B2C3" and the amount it paid.

    ``tendered`` is set for cash (what was handed over); the change is on the document.
    """

    kind: Literal["cash", "card", "cheque", "transfer"]
    detail: str
    applied: Money
    tendered: Money | None = None


@dataclass(frozen=True, slots=True)
class ReceiptDocument:
    header: ReceiptHeader
    receipt_number: str
    kind: Literal["payment", "reversal"]
    account_number: str
    account_name: str
    amount: Money
    tenders: tuple[ReceiptTender, ...]
    change: Money
    balance_after: Money
    """Account balance after the payment; negative means the customer is in credit."""
    clerk: str
    counter: str
    issued_at: datetime
    duplicate: bool = False
    reprint_count: int = 0
    reverses: str = ""
    """For a reversal: the receipt number it reverses."""
    reason: str = ""

    @property
    def qr_payload(self) -> str:
        """``EBSR1|receipt|account|amount|currency``: enough to look the payment up and check it."""
        return "|".join(
            (
                "EBSR1",
                self.receipt_number,
                self.account_number,
                str(self.amount),
                self.amount.currency,
            )
        )

    def as_reprint(self) -> ReceiptDocument:
        """The same receipt marked DUPLICATE, with the reprint counter advanced."""
        return replace(self, duplicate=True, reprint_count=self.reprint_count + 1)


@dataclass(frozen=True, slots=True)
class ZTenderLine:
    """Per tender at the close: what the shift took, what should be there, what was counted."""

    kind: Literal["cash", "card", "cheque", "transfer"]
    takings: Money
    expected: Money
    counted: Money

    @property
    def over_short(self) -> Money:
        return self.counted - self.expected


@dataclass(frozen=True, slots=True)
class ZReportDocument:
    header: ReceiptHeader
    shift_id: str
    counter: str
    clerk: str
    opened_at: datetime
    closed_at: datetime
    opening_float: Money
    tenders: tuple[ZTenderLine, ...]
    safe_drops: tuple[Money, ...] = ()
    payments: int = 0
    reversals: int = 0
    first_receipt: str = ""
    last_receipt: str = ""
    approved_by: str = ""
    """Supervisor who approved a difference above the threshold, if one was needed."""
    extra: tuple[tuple[str, str], ...] = field(default=())
    paid_out: tuple[tuple[str, Money], ...] = field(default=())
    """Cash paid out of this drawer for reversals: (reversed receipt, amount)."""
    forced_by: str = ""
    """Supervisor who closed the shift in the clerk's place (a forced close), if any."""
    force_reason: str = ""

    @property
    def total_over_short(self) -> Money:
        total = Money.zero(self.opening_float.currency)
        for line in self.tenders:
            total = total + line.over_short
        return total
