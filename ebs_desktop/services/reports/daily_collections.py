"""Daily collections: what came in, per counter, clerk, tender and day.

Why tender rows rather than payments: the cash office reconciles each tender separately
(cash against the drawer, card against the acquirer's settlement, cheques against the bank
deposit), and a split payment (cash + card) belongs to two of them. The tender amounts of
a payment always sum to the payment, so the grand total is the payments' total. Payments
reversed later still count on the day they were received (the reversal is its own event),
and the count of reversed ones is shown so the figure is not mistaken for net cash.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import reports as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.reports.formatting import format_money
from ebs_desktop.reports.tabular import Column, Row, Section, TableReport
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.reports.common import ReportRange, as_day, money
from ebs_desktop.services.settings import currency as utility_currency

COLUMNS = (Column("Date", "date"), Column("Clerk", width=1.6), Column("Tender"),
           Column("Payments", "int"), Column("Reversed since", "int"),
           Column("Amount", "money", width=1.2))

Key = tuple[str, date, str, str]  # counter, day, clerk, tender


def collections_by_key(s: Session, rng: ReportRange) -> dict[Key, list[int]]:
    """(counter, day, clerk, tender) -> [payments, reversed, amount in minor units]."""
    rows = store.collection_tenders(s, rng.date_from, rng.date_to)
    out: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    for _pid, at, channel, code, name, clerk_name, tender, amount, reversal in rows:
        where = f"{code} {name}" if code else ("Bank" if channel == "bank" else channel)
        cell = out[(where, as_day(at), clerk_name or "-", tender)]
        cell[0] += 1
        cell[1] += reversal is not None
        cell[2] += int(amount)
    return out


def daily_collections(db: Database, actor: Actor, rng: ReportRange) -> TableReport:
    require(actor, "report.view")
    with db.read() as s:
        cur = utility_currency(s)
        data = collections_by_key(s, rng)
    by_counter: dict[str, list[Row]] = defaultdict(list)
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    tenders: dict[str, int] = defaultdict(int)
    for (counter, day, clerk, tender), (n, rev, amount) in sorted(data.items()):
        by_counter[counter].append((day, clerk, tender, n, rev, money(amount, cur)))
        total = sums[counter]
        total[0], total[1], total[2] = total[0] + n, total[1] + rev, total[2] + amount
        tenders[tender] += amount
    sections = tuple(
        Section(counter, tuple(rows), (None, "Counter total", None, sums[counter][0],
                                       sums[counter][1], money(sums[counter][2], cur)))
        for counter, rows in by_counter.items())
    grand = [sum(v[i] for v in sums.values()) for i in range(3)]
    return TableReport(
        title="Daily collections", subtitle=rng.label, columns=COLUMNS, sections=sections,
        totals=(None, "All counters", None, grand[0], grand[1], money(grand[2], cur)),
        parameters=(("From", rng.date_from.isoformat()), ("To", rng.date_to.isoformat()),
                    *((f"Total {t}", format_money(money(a, cur)))
                      for t, a in sorted(tenders.items()))))
