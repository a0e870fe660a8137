"""A bill's status as the customer reads it: paid, partly paid, overdue, open.

Pure. In order, the first that holds:

* ``cancelled``: a credit note cancelled it (nothing is owed on it any more);
* ``replaced``: a later revision of the same period replaced it (that one is owed);
* ``paid``: nothing left to pay (payments allocated cover the total);
* ``overdue``: something left to pay and the due date has passed (even when part was
  paid: what the customer must act on comes first);
* ``partly paid``: something paid, something left, not yet due;
* ``open``: nothing paid yet, not yet due.

Worked example: a bill of 120.00 due 2026-03-31 with 50.00 paid reads "partly paid" on
2026-03-31 (the due day itself is still in time) and "overdue" on 2026-04-01.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

STATUSES = ("paid", "partly paid", "overdue", "open", "cancelled", "replaced")


def bill_status(total_minor: int, paid_minor: int, due: date, today: date, *,
                cancelled: bool = False, replaced: bool = False) -> str:
    if cancelled:
        return "cancelled"
    if replaced:
        return "replaced"
    if paid_minor >= total_minor:
        return "paid"
    if today > due:
        return "overdue"
    return "partly paid" if paid_minor > 0 else "open"


def replaced_revisions(bills: Iterable[tuple[str, str, int]]) -> set[str]:
    """Of (bill number, period, revision) of one account, the numbers of revisions that a
    later revision of the same period replaced."""
    items = list(bills)
    latest: dict[str, int] = {}
    for _number, period, revision in items:
        latest[period] = max(revision, latest.get(period, revision))
    return {number for number, period, revision in items if revision < latest[period]}
