"""Allocating a payment to a customer's open bills.

Why oldest first: arrears are what disconnection and late fees are computed from, so
paying the oldest debt first is what the customer would choose and what regulators
usually prescribe. A clerk may override the order (a disputed bill is left open, a
customer asks to clear this month's bill) by naming bills to pay first; the rest then
follow oldest first. Whatever remains after every open bill is paid stays on the
account as credit (an advance payment), never lost and never refunded silently.

Pure: bills come in as ``(bill_id, due_date, open_minor)`` tuples, amounts in the
payment's currency minor units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError

OpenBill = tuple[int, date, int]


@dataclass(frozen=True, slots=True)
class Allocation:
    """Applied minor units per bill (in the order paid) and the credit left over."""

    lines: tuple[tuple[int, int], ...]
    credit: Money

    @property
    def applied_total(self) -> int:
        return sum(amount for _, amount in self.lines)


def allocate(amount: Money, bills: Sequence[OpenBill], override: Sequence[int] = ()) -> Allocation:
    """Spread ``amount`` over ``bills``: ``override`` ids first in that order, then oldest.

    Bills with nothing open (zero or negative) are skipped. Ties on due date go by bill id,
    so the result never depends on the order the database returned the rows in.
    """
    if amount.minor <= 0:
        raise ValidationError(
            f"payment amount must be more than zero, got {amount}", location="amount"
        )
    by_id: dict[int, OpenBill] = {}
    for bill in bills:
        if bill[0] in by_id:
            raise ValidationError(f"bill {bill[0]} listed twice", location="bills")
        by_id[bill[0]] = bill
    seen: set[int] = set()
    for bill_id in override:
        if bill_id not in by_id:
            raise ValidationError(
                f"bill {bill_id} is not an open bill of this account", location="override"
            )
        if bill_id in seen:
            raise ValidationError(f"bill {bill_id} named twice", location="override")
        seen.add(bill_id)
    rest = sorted((b for b in bills if b[0] not in seen), key=lambda b: (b[1], b[0]))
    order = [by_id[i] for i in override] + rest
    remaining = amount.minor
    lines: list[tuple[int, int]] = []
    for bill_id, _due, open_minor in order:
        if remaining == 0:
            break
        if open_minor <= 0:
            continue
        part = min(open_minor, remaining)
        lines.append((bill_id, part))
        remaining -= part
    return Allocation(tuple(lines), Money(remaining, amount.currency))
