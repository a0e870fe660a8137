"""Who a billing run's exceptions are about: account number and customer name by account id.

A run names the accounts it could not bill (or bills with a warning) by id, so that a run
of a million accounts carries no text it does not need. The billing screen shows each
exception with the account number and the customer's name, which staff recognise, and
opens the account from there; this is the one read that turns the ids into those words.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import billing as store
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require

MAX_ACCOUNTS = 20_000  # a screen shows at most this many exceptions' accounts


@dataclass(frozen=True, slots=True)
class ExceptionAccount:
    account_number: str
    customer_name: str


def exception_accounts(db: Database, actor: Actor,
                       account_ids: Collection[int]) -> dict[int, ExceptionAccount]:
    """Account id -> number and customer name (ids that do not exist are left out)."""
    require(actor, "bill.calc")
    ids = sorted({int(i) for i in account_ids})[:MAX_ACCOUNTS]
    if not ids:
        return {}
    with db.read() as session:
        found = store.account_labels(session, ids)
    return {i: ExceptionAccount(number, name) for i, (number, name) in found.items()}
