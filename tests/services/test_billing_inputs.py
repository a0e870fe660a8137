"""The bills a billing run reads for each account, against the rule written out in full.

``load_batch`` reads bills in widening steps (three months for everyone, seven for the
accounts that need more, everything for accounts without a recent bill); what it finds
must be what the rule gives: the previous bill is the newest one not cancelled, and the
history is the last three actually read bills within seven months (or of all bills, when
there is none in that window)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from ebs_desktop.domain.periods import read_date
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.billing import inputs
from ebs_desktop.services.billing.corrections import cancel_bill
from ebs_desktop.services.demo import build_demo


def _expected(bills: list[tuple[Any, ...]], account: int,
              period_end: date) -> tuple[date | None, date | None, list[tuple[Decimal, int]]]:
    mine = sorted((b for b in bills if b[0] == account), key=lambda b: b[3], reverse=True)
    if not mine:
        return None, None, []
    since = inputs._month_back(period_end, inputs.RECENT_MONTHS)
    window = [b for b in mine if b[1] >= since] or mine
    history = [(Decimal(b[5]) / 1000, (date.fromisoformat(str(b[3])[:10])
                                       - date.fromisoformat(str(b[2])[:10])).days + 1)
               for b in window if not b[6]][:inputs.HISTORY_BILLS]
    return (date.fromisoformat(str(mine[0][3])[:10]), date.fromisoformat(str(mine[0][4])[:10]),
            history)


def test_bills_read_for_each_account_follow_the_rule(db: Database) -> None:
    build_demo(db, 150, 10, until="2026-06", workers=0)
    rng = random.Random(7)
    with db.write() as s:  # estimated bills scattered through the history
        ids = [r[0] for r in s.execute(text("SELECT id FROM bills ORDER BY id"))]
        for bill_id in rng.sample(ids, len(ids) // 6):
            s.execute(text("UPDATE bills SET estimated = :t WHERE id = :i"),
                      {"t": True, "i": bill_id})
        numbers = [r[0] for r in s.execute(text(
            "SELECT bill_number FROM bills WHERE account_id IN (3, 9, 27) ORDER BY id"))]
    for number in numbers[::3]:  # cancelled bills, old and recent, count for nothing
        cancel_bill(db, system_actor("test"), number, "meter misread", on=date(2026, 7, 1))
    with db.read() as s:
        bills = [tuple(r) for r in s.execute(text(
            "SELECT account_id, period, period_start, period_end, due_date,"
            " consumption_kwh, estimated FROM bills"
            " WHERE id NOT IN (SELECT bill_id FROM credit_notes)"))]
        assert s.execute(text("SELECT count(*) FROM credit_notes")).scalar_one() >= 8
        conn = s.connection()
        accounts = [int(r[0]) for r in s.execute(text("SELECT id FROM accounts ORDER BY id"))]
        widened = 0
        # the next period of each cycle; one seven months on (only 2026-05 in the window);
        # one a year on (no bill in the window: the whole history is read)
        for period_end in (read_date(2026, 6, 31), read_date(2026, 6, 15),
                           read_date(2026, 12, 31), read_date(2027, 6, 15)):
            loaded = inputs.load_batch(conn, accounts, period_end)
            assert [a.account_id for a in loaded] == accounts
            for acc in loaded:
                prev_end, prev_due, history = _expected(bills, acc.account_id, period_end)
                assert (acc.prev_end, acc.prev_due) == (prev_end, prev_due), acc.account_id
                assert acc.history == history, acc.account_id
                if prev_end is not None:
                    assert acc.start == prev_end + timedelta(days=1)
                recent = [b for b in bills if b[0] == acc.account_id
                          and b[1] >= inputs._month_back(period_end, inputs.HISTORY_BILLS)]
                widened += sum(not b[6] for b in recent) < inputs.HISTORY_BILLS
        assert widened > 20  # the wider reads were exercised, not only the first one
