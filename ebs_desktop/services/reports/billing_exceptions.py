"""Billing exceptions of a run: the accounts a billing clerk must look at before printing.

Why per run: exceptions (zero or unusual consumption, estimates, missing tariff) belong to
the run that found them; a rerun finds its own. With ``--run`` one run is shown; without
it, every run whose billing period falls in the range's months (a run is named by the
period it bills, which is what a clerk asks for, not the minute it was started).
"""

from __future__ import annotations

from collections import Counter

from ebs_desktop.errors import NotFound
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import reports as store
from ebs_desktop.reports.tabular import Column, Section, TableReport
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.reports.common import ReportRange

COLUMNS = (Column("Account"), Column("Customer", width=1.8), Column("Exception", width=1.1),
           Column("Detail", width=3.2), Column("Count", "int", width=0.6))


def billing_exceptions(db: Database, actor: Actor, rng: ReportRange) -> TableReport:
    require(actor, "report.view")
    with db.read() as s:
        runs = store.billing_runs(s, rng.run_id, rng.first_period, rng.last_period)
        if rng.run_id is not None and not runs:
            raise NotFound(f"no billing run with id {rng.run_id}")
        found = store.run_exceptions(s, [r.id for r in runs])
    codes: Counter[str] = Counter(code for _r, _a, _n, code, _d in found)
    sections = []
    for run in runs:
        rows = tuple((no, name, code, detail, 1) for r, no, name, code, detail in found
                     if r == run.id)
        title = (f"Run {run.id}: period {run.period}, {run.status}, "
                 f"{run.bills_created:,} bills")
        sections.append(Section(title, rows, ("Exceptions", None, None, None, len(rows))))
    return TableReport(
        title="Billing exceptions",
        subtitle=f"run {rng.run_id}" if rng.run_id is not None else
        f"runs of periods {rng.first_period} to {rng.last_period}",
        columns=COLUMNS, sections=tuple(sections), landscape=True,
        totals=("All runs", None, None, None, len(found)),
        parameters=tuple((code, f"{n:,}") for code, n in sorted(codes.items())))
