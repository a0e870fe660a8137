"""What a counter payment needs beyond its tenders: a confirmed credit, a supervisor.

Why here and not in the allocation: taking money the customer does not owe is the
clerk's decision, and taking a large amount is a supervisor's, and both must be made
before the money is in the books, not explained afterwards.

* **No silent overpayment.** A payment above what the account owes (its balance, or
  nothing when it is already in credit) would leave a credit. Scanning a bill that is
  already paid used to fill in its face amount and take it again. The posting refuses
  such a payment (:class:`CreditNotConfirmed`) unless the clerk confirmed the credit
  (``allow_credit``: the counter screen's confirmation, ``ebs pay --allow-credit``).
  The balance is read after the account row is locked, so a payment posted at another
  counter a moment earlier counts.
* **A per-payment limit.** A payment above the ``payment_supervisor_limit`` setting (in
  the utility's currency; default 10,000.00) needs a supervisor's credentials
  (permission ``payment.approve_large``; never the clerk themselves):
  :class:`SupervisorRequired` otherwise. The audit entry names the supervisor.

The bank channel posts money that already arrived and checks neither.
"""

from __future__ import annotations

import json

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import PermissionDenied, ValidationError
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.settings import UtilitySettings


class CreditNotConfirmed(ValidationError):
    """The payment is more than the account owes and nobody confirmed the credit."""

    def __init__(self, account: str, owed: Money, amount: Money) -> None:
        self.account, self.owed, self.amount = account, owed, amount
        self.credit = amount - owed
        super().__init__(f"account {account} owes {owed}; taking {amount} would leave "
                         f"{self.credit} on it as credit: confirm the credit to take it",
                         location="amount")


class SupervisorRequired(PermissionDenied):
    """The payment is above the per-payment limit and no supervisor approved it."""

    def __init__(self, amount: Money, limit: Money) -> None:
        self.amount, self.limit = amount, limit
        super().__init__(f"a payment of {amount} is above the per-payment limit of {limit}: "
                         "a supervisor approves it")


LIMIT_SETTING = "payment_supervisor_limit"


def payment_limit(stored: str | None, currency: str) -> Money:
    """The ``payment_supervisor_limit`` setting from its stored JSON text (None: unset,
    the default); the posting reads it without the ORM (the hot path)."""
    limit = json.loads(stored) if stored is not None else \
        UtilitySettings().payment_supervisor_limit
    return Money.of(str(limit), currency)


def check_limit(limit: Money, actor: Actor, approver: Actor | None,
                amount: Money) -> str | None:
    """Refuse an amount above the limit without a supervisor; the supervisor's name."""
    if not amount > limit:
        return None
    if approver is None:
        raise SupervisorRequired(amount, limit)
    if approver.user_id is None or approver.user_id == actor.user_id:
        raise PermissionDenied("a clerk cannot approve their own payment: another "
                               "supervisor signs it off")
    return approver.username


def owed_before(balance_before: int, currency: str) -> Money:
    """What the account owed before this payment (nothing when it was in credit), from
    its balance read under the account lock."""
    return Money(max(balance_before, 0), currency)


def check_credit(account: str, owed: Money, amount: Money, allow_credit: bool) -> None:
    if amount > owed and not allow_credit:
        raise CreditNotConfirmed(account, owed, amount)
