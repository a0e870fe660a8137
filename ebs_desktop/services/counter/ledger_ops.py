"""The ledger side of the counter: which GL account each tender posts to, and the account
lock every posting takes first.

Why the account row is locked first in every posting (:func:`lock_account`): two counters
serving the same family are put one after the other *before* either reads the open bills,
so each allocation sees the other's. Locks are always taken in the same order (account,
receipt series, audit head), so postings never deadlock. The journal itself, and the move
of the cached balance, go through :func:`ebs_desktop.persistence.ledger.post_journal`.
"""

from __future__ import annotations

from ebs_desktop.domain.account_number import no_account_message
from ebs_desktop.errors import NotFound
from ebs_desktop.persistence import ledger
from ebs_desktop.persistence.tx import Session

GL_FOR_TENDER = {"cash": "CASH", "card": "CARD", "cheque": "CHEQUE", "transfer": "BANK"}


def lock_account(session: Session, account_number: str) -> tuple[int, int]:
    """Lock the account row; returns (account id, cached balance before the posting)."""
    locked = ledger.lock_account(session, account_number)
    if locked is None:
        raise NotFound(no_account_message(account_number))
    return locked
