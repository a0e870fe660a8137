"""Revenue: what was billed and what was collected, by bill period, tariff and category.

Why collections are read through payment allocations: a payment settles particular bills,
so the allocation says which tariff, category and period the money belongs to. Billed is
every bill issued in the range (cancelled ones too, with the credited amount beside them,
so billed - credited is the net); collected is every allocation of a payment received in
the range, whichever period its bill is from. What a payment left unallocated (an
advance or a credit) is shown on its own line, so collected + unallocated equals the
payments received.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import reports as store
from ebs_desktop.reports.formatting import format_money
from ebs_desktop.reports.tabular import ChartSeries, ChartSpec, Column, Row, TableReport
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.reports.common import ReportRange, money
from ebs_desktop.services.settings import currency as utility_currency

COLUMNS = (Column("Period"), Column("Tariff", width=1.6), Column("Category", width=1.2),
           Column("Bills", "int"), Column("kWh", "decimal", places=3, width=1.3),
           Column("Billed", "money", width=1.3), Column("Credited", "money"),
           Column("Collected", "money", width=1.3))

Key = tuple[str, str, str]


def revenue(db: Database, actor: Actor, rng: ReportRange) -> TableReport:
    require(actor, "report.view")
    billed: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    kwh_of: dict[Key, Decimal] = defaultdict(Decimal)
    with db.read() as s:
        cur = utility_currency(s)
        for period, tariff, category, n, kwh, total, credited in store.billed_by_key(
                s, rng.date_from, rng.date_to):
            row = billed[(period, tariff, category)]
            row[0], row[1], row[2] = int(n), int(total or 0), int(credited or 0)
            kwh_of[(period, tariff, category)] = Decimal(kwh or 0)
        for period, tariff, category, amount in store.collected_by_key(
                s, rng.date_from, rng.date_to):
            billed[(period, tariff, category)][3] += int(amount or 0)
        received = store.payments_received(s, rng.date_from, rng.date_to)
    rows: list[Row] = []
    per_period: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, (n, total, credited, got) in sorted(billed.items()):
        period, tariff, category = key
        rows.append((period, tariff, category.capitalize(), n, kwh_of[key] if n else None,
                     money(total, cur), money(credited, cur), money(got, cur)))
        per_period[period][0] += total
        per_period[period][1] += got
    sums = [sum(v[i] for v in billed.values()) for i in range(4)]
    unallocated = received - sums[3]
    rows.append(("", "Payments not allocated to a bill", "", None, None, None, None,
                 money(unallocated, cur)))
    periods = tuple(sorted(per_period))
    chart = ChartSpec("Billed and collected by bill period", periods, (
        ChartSeries("Billed", tuple(money(per_period[p][0], cur).amount for p in periods)),
        ChartSeries("Collected", tuple(money(per_period[p][1], cur).amount for p in periods)),
    ), unit=cur) if periods else None
    return TableReport(
        title="Revenue: billed and collected", subtitle=rng.label, columns=COLUMNS,
        rows=tuple(rows), landscape=True, chart=chart,
        totals=("Total", "", "", sums[0], sum(kwh_of.values(), Decimal(0)), money(sums[1], cur),
                money(sums[2], cur), money(received, cur)),
        parameters=(("Bills issued", rng.label), ("Payments received", rng.label),
                    ("Received", format_money(money(received, cur)))))
