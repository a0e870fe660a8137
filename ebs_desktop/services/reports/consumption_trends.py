"""Consumption trends: kWh billed per category and period, and the largest consumers.

Why from bills rather than readings: a bill's consumption is what was charged (estimates
included, corrections folded in by the rebill that replaced it), and it is already one
figure per account and period. Bills cancelled by a credit note and superseded revisions
are left out so an account is not counted twice. Periods are the months of the range.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import reports as store
from ebs_desktop.reports.tabular import ChartSeries, ChartSpec, Column, Row, Section, TableReport
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.reports.common import ReportRange, whole_kwh

TOP = 20
COLUMNS = (Column("Period / account", width=1.3), Column("Category / customer", width=2.2),
           Column("Bills", "int"), Column("kWh", "decimal", places=0, width=1.3),
           Column("Average kWh", "decimal", places=0, width=1.2))


def _avg(kwh: Decimal, n: int) -> Decimal:
    """The average per bill in whole kWh (what a meter without decimals shows)."""
    return (kwh / n).quantize(Decimal(1), rounding=ROUND_HALF_UP) if n else Decimal(0)


def consumption_trends(db: Database, actor: Actor, rng: ReportRange) -> TableReport:
    require(actor, "report.view")
    with db.read() as s:
        grid = [(p, c, int(n), Decimal(k or 0)) for p, c, n, k in store.consumption_grid(
            s, rng.first_period, rng.last_period)]
        top = store.top_consumers(s, rng.first_period, rng.last_period, TOP)
    rows: tuple[Row, ...] = tuple((p, c.capitalize(), n, whole_kwh(k), _avg(k, n))
                                  for p, c, n, k in grid)
    periods = tuple(sorted({p for p, _c, _n, _k in grid}))
    cats = sorted({c for _p, c, _n, _k in grid})
    kwh = {(p, c): k for p, c, _n, k in grid}
    chart = None
    if periods:
        chart = ChartSpec("kWh billed by category and period", periods, tuple(
            ChartSeries(c.capitalize(), tuple(kwh.get((p, c), Decimal(0)) for p in periods))
            for c in cats), kind="line" if len(periods) > 2 else "bar", unit="kWh")
    per_cat: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for _p, c, n, k in grid:
        per_cat[c][0] += n
        per_cat[c][1] += k
    cat_rows = tuple(("All periods", c.capitalize(), int(v[0]), whole_kwh(v[1]),
                      _avg(v[1], int(v[0])))
                     for c, v in sorted(per_cat.items()))
    top_rows = tuple((no, f"{name} ({cat})", int(n), whole_kwh(Decimal(k)),
                      _avg(Decimal(k), int(n)))
                     for no, name, cat, n, k in top)
    bills = sum(n for _p, _c, n, _k in grid)
    total = sum((k for _p, _c, _n, k in grid), Decimal(0))
    return TableReport(
        title="Consumption trends", subtitle=f"periods {rng.first_period} to {rng.last_period}",
        columns=COLUMNS, chart=chart,
        sections=(Section("By period and category", rows),
                  Section("By category, all periods", cat_rows),
                  Section(f"Top {TOP} consumers", top_rows)),
        totals=("All", "", bills, whole_kwh(total), _avg(total, bills)),
        parameters=(("Periods", f"{rng.first_period} to {rng.last_period}"),
                    ("kWh", "rounded to whole kWh")))
