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

    @property
    def owed(self) -> Money:
        """What the account owes now: its balance, nothing when it is in credit."""
        return self.balance if self.balance.minor > 0 else Money.zero(self.balance.currency)

    def proposed_amount(self, bill_number: str | None = None) -> Money:
        """What the counter proposes to take: what is still owed, never a bill's face value.

        For a scanned bill, its open amount (0 for a bill that is already paid); capped at
        what the account owes, so the proposal never leaves a credit by itself."""
        if bill_number is None:
            return self.owed
        zero = Money.zero(self.balance.currency)
        open_amount = next((b.open_amount for b in self.open_bills
                            if b.bill_number == bill_number), zero)
        return min(open_amount, self.owed)

    def credit_if_paid(self, amount: Money) -> Money:
        """The credit taking ``amount`` would leave on the account (0 when none)."""
        extra = amount - self.owed
        return extra if extra.minor > 0 else Money.zero(amount.currency)


@dataclass(frozen=True)
class PrintOutcome:
    printed: int
    failed: int
    errors: tuple[str, ...] = ()
