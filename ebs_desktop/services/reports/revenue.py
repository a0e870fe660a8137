"""Revenue: what was billed for each bill period asked for, and how much of it is collected.

Why by bill period: a manager asks "what did we bill for January to June, and how much of
it has come in?". The rows are exactly the periods of the range (a period not billed yet
says so on its own row, so a gap is never silent): billed is every bill of the period
(cancelled ones too, with the credited amount beside them, so billed - credited is the
net), collected is what payment allocations have settled of those bills to date, whenever
the money arrived. Payments not yet allocated to a bill belong to no period and are in the
daily collections report, not here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import reports as store
from ebs_desktop.reports.tabular import ChartSeries, ChartSpec, Column, Row, TableReport
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.reports.common import ReportRange, money, whole_kwh
from ebs_desktop.services.settings import currency as utility_currency

COLUMNS = (Column("Period"), Column("Tariff", width=1.6), Column("Category", width=1.2),
           Column("Bills", "int"), Column("kWh", "decimal", places=0, width=1.3),
           Column("Billed", "money", width=1.3), Column("Credited", "money"),
           Column("Collected", "money", width=1.3))
NOT_BILLED = "not billed yet"

Key = tuple[str, str, str]


def revenue(db: Database, actor: Actor, rng: ReportRange) -> TableReport:
    require(actor, "report.view")
    billed: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    kwh_of: dict[Key, Decimal] = defaultdict(Decimal)
    periods = rng.periods
    with db.read() as s:
        cur = utility_currency(s)
        for period, tariff, category, n, kwh, total, credited in store.billed_by_key(
                s, periods[0], periods[-1]):
            row = billed[(period, tariff, category)]
            row[0], row[1], row[2] = int(n), int(total or 0), int(credited or 0)
            kwh_of[(period, tariff, category)] = Decimal(kwh or 0)
        for period, tariff, category, amount in store.collected_by_key(
                s, periods[0], periods[-1]):
            billed[(period, tariff, category)][3] += int(amount or 0)
    rows: list[Row] = []
    per_period: dict[str, list[int]] = {p: [0, 0] for p in periods}
    for (period, _tariff, _category), (_n, total, credited, got) in billed.items():
        per_period[period][0] += total - credited
        per_period[period][1] += got
    for period in periods:
        keys = sorted(k for k in billed if k[0] == period)
        if not keys:
            rows.append((period, NOT_BILLED, "", 0, None, money(0, cur), money(0, cur),
                         money(0, cur)))
        for key in keys:
            n, total, credited, got = billed[key]
            rows.append((period, key[1], key[2].capitalize(), n,
                         whole_kwh(kwh_of[key]) if n else None,
                         money(total, cur), money(credited, cur), money(got, cur)))
    sums = [sum(v[i] for v in billed.values()) for i in range(4)]
    chart = ChartSpec("Billed (net of credits) and collected by bill period", periods, (
        ChartSeries("Billed", tuple(money(per_period[p][0], cur).amount for p in periods)),
        ChartSeries("Collected", tuple(money(per_period[p][1], cur).amount for p in periods)),
    ), unit=cur)
    label = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
    return TableReport(
        title="Revenue: billed and collected", subtitle=f"bill periods {label}",
        columns=COLUMNS, rows=tuple(rows), landscape=True, chart=chart,
        totals=("Total", "", "", sums[0], whole_kwh(sum(kwh_of.values(), Decimal(0))),
                money(sums[1], cur),
                money(sums[2], cur), money(sums[3], cur)),
        parameters=(("Bill periods", label), ("kWh", "rounded to whole kWh"),
                    ("Collected", f"allocated to these bills by {date.today().isoformat()}")))
