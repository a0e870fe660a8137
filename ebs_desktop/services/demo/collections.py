"""The demo's collections: a few holds and payment arrangements (issue 20, point 11), so
the Collections page and ``ebs dunning run`` show every kind of hold at work.

Chosen by position, not by chance (the demo's random draws stay as they were): of every
40 accounts, the 8th has an open billing dispute, the 24th a medical certificate for six
months and the 32nd, when it owes something, an arrangement of three monthly instalments
from a month after the last bills were issued.
"""

from __future__ import annotations

from datetime import date, timedelta

from ebs_desktop.domain.dunning import HoldKind, split_instalments
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import dunning as store


def add_collection_holds(db: Database, issued: date) -> tuple[int, int]:
    """Holds and arrangements from ``issued`` (the last bills' issue date); returns
    (holds, arrangements) written."""
    holds = arrangements = 0
    with db.write() as session:
        ids = store.all_account_ids(session)
        owed = store.open_bills(session, issued, [a for i, a in enumerate(ids) if i % 40 == 31])
        for i, account_id in enumerate(ids):
            if i % 40 == 7:
                store.add_hold(session, account_id=account_id, kind=HoldKind.DISPUTE,
                               starts_on=issued, ends_on=None, reference=f"DSP-{i + 1:05d}",
                               note="disputes the meter reading", user_id=None)
                holds += 1
            elif i % 40 == 23:
                store.add_hold(session, account_id=account_id, kind=HoldKind.MEDICAL,
                               starts_on=issued, ends_on=issued + timedelta(days=182),
                               reference=f"MC-{i + 1:05d}", note="life-support equipment",
                               user_id=None)
                holds += 1
            elif i % 40 == 31 and (total := sum(b.open_minor for b in owed.get(account_id, ()))):
                schedule = split_instalments(total, 3, issued + timedelta(days=30))
                arrangement_id = store.add_arrangement(
                    session, account_id=account_id, reference=f"ARR-{i + 1:05d}",
                    agreed_on=issued, schedule=schedule, user_id=None)
                store.add_hold(session, account_id=account_id, kind=HoldKind.ARRANGEMENT,
                               starts_on=issued, ends_on=None, reference=f"ARR-{i + 1:05d}",
                               note="3 instalments", user_id=None,
                               arrangement_id=arrangement_id)
                holds += 1
                arrangements += 1
    return holds, arrangements
