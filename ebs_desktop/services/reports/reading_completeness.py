"""Reading completeness: per route and meter reader, registers expected, read and estimated.

Why "expected" is computed, not stored: a register is due once per read date of its
account's billing cycle (day ``read_day`` of each month, 31 meaning month end) that falls
in the range; the energy registers of the meters installed now on the route's active
accounts are the ones due. Read counts current readings (not superseded or rejected) by
any source but ``estimated``; estimated counts the billing run's estimates. Missing is what
neither covered, the list a supervisor sends the reader back for.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from ebs_desktop.domain.periods import read_date
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import reports as store
from ebs_desktop.reports.tabular import Column, Row, Section, TableReport
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.reports.common import ReportRange

COLUMNS = (Column("Route / reader", width=2.2), Column("Assigned reader", width=1.5),
           Column("Expected", "int"), Column("Read", "int"), Column("Estimated", "int"),
           Column("Missing", "int"), Column("Read %", "decimal", places=1))


def read_dates(read_day: int, rng: ReportRange) -> list[date]:
    out = []
    y, m = rng.date_from.year, rng.date_from.month
    while (y, m) <= (rng.date_to.year, rng.date_to.month):
        day = read_date(y, m, read_day)
        if rng.date_from <= day <= rng.date_to:
            out.append(day)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"))


def _row(label: str, reader: str, c: list[int]) -> Row:
    expected, read, est = c
    return (label, reader, expected, read, est, max(expected - read - est, 0),
            _percent(read, expected))


def reading_completeness(db: Database, actor: Actor, rng: ReportRange) -> TableReport:
    require(actor, "report.view")
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    with db.read() as s:
        routes = store.routes_with_readers(s)
        registers = store.energy_registers_by_route(s)
        for route_id, source, n in store.readings_by_route(s, rng.date_from, rng.date_to):
            counts[route_id][2 if source == "estimated" else 1] += int(n)
    rows: list[Row] = []
    per_reader: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    total = [0, 0, 0]
    for route_id, code, name, read_day, reader in routes:
        c = counts[route_id]
        c[0] = registers.get(route_id, 0) * len(read_dates(read_day, rng))
        rows.append(_row(f"{code} {name}", reader or "-", c))
        for i in range(3):
            per_reader[reader or "(no reader)"][i] += c[i]
            total[i] += c[i]
    reader_rows = tuple(_row(r, "", c) for r, c in sorted(per_reader.items()))
    return TableReport(
        title="Reading completeness", subtitle=rng.label, columns=COLUMNS, landscape=True,
        sections=(Section("By route", tuple(rows)), Section("By reader", reader_rows)),
        totals=_row("All routes", "", total),
        parameters=(("Expected", "energy registers x read dates of the cycle in range"),))
