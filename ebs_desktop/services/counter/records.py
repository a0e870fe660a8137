"""What the counter services hand back: frozen records, never ORM objects.

A ``PaymentResult`` is the same whether the payment was just posted or found again by its
idempotency key (``replayed`` tells which), so a client that retries after a timeout
cannot tell the difference and never needs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ebs_desktop.domain.cash_count import TenderDifference
from ebs_desktop.domain.money import Money


@dataclass(frozen=True)
class PaymentResult:
    payment_id: int
    receipt_number: str
    account_number: str
    amount: Money
    balance: Money
    """Account balance after the payment (negative: the customer is in credit)."""
    change: Money
    allocations: tuple[tuple[int, int], ...]
    """(bill id, minor units applied), in the order paid."""
    credit: Money
    """Part of the payment no open bill took: stays on the account as credit."""
    replayed: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "payment_id": self.payment_id, "receipt_number": self.receipt_number,
            "account_number": self.account_number, "amount": str(self.amount),
            "currency": self.amount.currency, "balance": str(self.balance),
            "change": str(self.change), "credit": str(self.credit),
            "allocations": [{"bill_id": b, "amount": str(Money(m, self.amount.currency))}
                            for b, m in self.allocations],
            "replayed": self.replayed,
        }


@dataclass(frozen=True)
class ReversalResult:
    reversal_id: int
    payment_id: int
    receipt_number: str
    reverses: str
    amount: Money
    fee: Money
    balance: Money
    reopened: tuple[tuple[int, int], ...]
    """(bill id, minor units re-opened)."""


@dataclass(frozen=True)
class ShiftInfo:
    shift_id: int
    counter: str
    clerk: str
    status: str
    opening_float: Money
    opened_at: datetime
    closed_at: datetime | None = None


@dataclass(frozen=True)
class CloseResult:
    """Revealed only after the blind count is stored."""

    shift_id: int
    counted: tuple[tuple[str, Money], ...]
    differences: tuple[TenderDifference, ...]
    needs_approval: bool
    approved_by: str | None
    z_report_id: int

    @property
    def total_difference(self) -> Money:
        total = self.differences[0].difference - self.differences[0].difference
        for d in self.differences:
            total = total + d.difference
        return total


@dataclass(frozen=True)
class OpenBillInfo:
    bill_id: int
    bill_number: str
    period: str
    due_date: date
    open_amount: Money


@dataclass(frozen=True)
class PaymentInfo:
    payment_id: int
    receipt_number: str
    received_at: datetime
    amount: Money
    tenders: tuple[str, ...]
    reversed: bool


@dataclass(frozen=True)
class AccountPosition:
    """What the clerk sees after finding an account: balance, open bills, last payments."""

    account_number: str
    name: str
    balance: Money
    open_bills: tuple[OpenBillInfo, ...]
    last_payments: tuple[PaymentInfo, ...] = field(default=())


@dataclass(frozen=True)
class PrintOutcome:
    printed: int
    failed: int
    errors: tuple[str, ...] = ()
