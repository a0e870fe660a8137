"""What a bank statement says, in records the counter's import can trust.

Why a record of our own rather than the parser libraries' objects: MT940 and camt.053
describe the same things (a statement with balances and booked entries) with different
names and quirks; the import service must not care which one the bank sent.

Amounts are signed ``Money`` in the statement's own currency (an account in Kuwait keeps
dinars with three decimals; the utility may book dollars): a credit (money in, a
customer's payment) is positive, a debit negative. Every entry of a statement is in the
statement's currency (camt.053 ``Ntry/Amt`` is in the account's currency by definition;
MT940 lines have none of their own). ``key`` identifies an entry stably, so importing the
same file twice, or an overlapping statement, adds nothing: it is a hash of the account,
the statement, the entry's position in it and its own facts (see :func:`entry_key`).

A statement that reaches the importer has been validated whole by
:func:`~ebs_desktop.domain.bankstatements.checks.check_statement`: known currency, amounts
within the ceiling, real dates, and opening + entries = closing where both are stated.
Only the balances may be let through on an explicit override (:meth:`BankStatement.
balance_fault` then says what is wrong; the importer sends every line of such a statement
to review).
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
    location: str
    """File and line of the entry (the ``:61:`` tag, the camt ``Ntry``), for messages."""

    @property
    def is_credit(self) -> bool:
        return self.amount.minor > 0


@dataclass(frozen=True, slots=True)
class BankStatement:
    statement_id: str
    account: str
    """IBAN or the bank's own account number, as the statement gives it."""
    currency: str
    """ISO 4217 code of the account, of both balances and of every entry."""
    opening: Money | None
    opening_date: date | None
    closing: Money | None
    """None where the file states no closing balance (camt.053 allows it)."""
    closing_date: date | None
    entries: tuple[StatementEntry, ...]
    source_format: str
    """"mt940" or the camt namespace version, e.g. "camt.053.001.02"."""
    location: str
    """File and line where the statement starts, for messages."""

    def movements(self) -> Money:
        """The sum of the entries (credits positive)."""
        return sum_money([e.amount for e in self.entries], self.currency)

    def expected_closing(self) -> Money | None:
        """Opening + entries, in the statement's currency; None without a usable opening."""
        if self.opening is None or self.opening.currency != self.currency:
            return None
        return self.opening + self.movements()

    def balance_fault(self) -> str | None:
        """What is wrong with the stated balances, or None if they agree with the entries.

        Wrong: a balance in another currency than the entries, opening + entries !=
        closing, or an MT940 statement without its closing balance (``:62a:`` is
        mandatory there, so its absence means the file may be cut short; camt.053 does not
        require one, and a camt statement without it is checked against nothing).
        """
        for name, balance in (("opening", self.opening), ("closing", self.closing)):
            if balance is not None and balance.currency != self.currency:
                return (f"balances do not add up: the {name} balance is in "
                        f"{balance.currency} ({balance}), the entries in {self.currency}")
        if self.closing is None:
            if self.source_format == "mt940":
                return "balances cannot be checked: no closing balance (:62F:/:62M:)"
            return None
        expected = self.expected_closing()
        if expected is None or expected == self.closing:
            return None
        return (f"balances do not add up: opening {self.opening} + {len(self.entries)} "
                f"entries {self.movements()} = {expected} {self.currency}, but the closing "
                f"balance is {self.closing}")

    def balances_add_up(self) -> bool:
        """True unless :meth:`balance_fault` finds something wrong."""
        return self.balance_fault() is None


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
