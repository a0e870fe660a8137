"""What a bank statement says, in records the counter's import can trust.

Why a record of our own rather than the parser libraries' objects: MT940 and camt.053
describe the same things (a statement with balances and booked entries) with different
names and quirks; the import service must not care which one the bank sent.

Amounts are signed ``Money``: a credit (money in, a customer's payment) is positive, a
debit negative. ``key`` identifies an entry stably, so importing the same file twice, or
an overlapping statement, adds nothing: it is a hash of the account, the statement, the
entry's position in it and its own facts (see :func:`entry_key`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from ebs_desktop.domain.account_number import find_account_numbers
from ebs_desktop.domain.money import Money, sum_money


@dataclass(frozen=True, slots=True)
class StatementEntry:
    booking_date: date
    value_date: date | None
    amount: Money
    reference: str
    """End-to-end id or customer reference; empty when the bank says NONREF."""
    remittance: str
    """Free remittance text (camt ``Ustrd``/``Strd``, MT940 ``:86:`` purpose)."""
    bank_reference: str
    counterparty_name: str
    counterparty_account: str
    account_numbers: tuple[str, ...]
    """Valid (Damm) customer account numbers found in the reference and remittance."""
    key: str

    @property
    def is_credit(self) -> bool:
        return self.amount.minor > 0


@dataclass(frozen=True, slots=True)
class BankStatement:
    statement_id: str
    account: str
    """IBAN or the bank's own account number, as the statement gives it."""
    currency: str
    opening: Money
    opening_date: date | None
    closing: Money
    closing_date: date | None
    entries: tuple[StatementEntry, ...]
    source_format: str
    """"mt940" or the camt namespace version, e.g. "camt.053.001.02"."""
    location: str
    """File and line where the statement starts, for messages."""

    def balances_add_up(self) -> bool:
        """True if opening + entries == closing (a check worth showing, not enforcing)."""
        movements = sum_money([e.amount for e in self.entries], self.currency)
        return self.opening + movements == self.closing


def entry_key(
    account: str, statement_id: str, index: int, booking_date: date, amount: Money, *refs: str
) -> str:
    """Stable identity of an entry: same file, same keys; different entries, different keys."""
    parts = [
        account,
        statement_id,
        str(index),
        booking_date.isoformat(),
        str(amount.minor),
        amount.currency,
        *refs,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def account_numbers_in(*texts: str) -> tuple[str, ...]:
    """Account numbers in any of the texts, each once, in order of appearance."""
    found: dict[str, None] = {}
    for text in texts:
        for number in find_account_numbers(text):
            found.setdefault(number, None)
    return tuple(found)
