"""The Z-report of a shift, recomputed from the stored payments, drops and counts.

Why recompute rather than reprint ``z_reports.content``: a manager's report must agree
with the ledger today (a later reversal shows here as a line of its own); the stored
Z-report stays what the clerk signed and is printed from the counter. Expected cash is
the opening float plus cash taken minus safe drops minus the cash the drawer paid out for
reversals (of this or earlier shifts' payments: the reversing shift pays them out); the
counted amounts come from the blind count at close, so the difference is the drawer's
over/short per tender.
"""

from __future__ import annotations

from collections import defaultdict

from ebs_desktop.domain.cash import TENDER_KINDS
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import NotFound
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Shift
from ebs_desktop.persistence.stores import reports as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.reports.tabular import Column, Row, Section, TableReport
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter.shifts import paid_out as counter_paid_out
from ebs_desktop.services.guard import require
from ebs_desktop.services.reports.common import ReportRange, money
from ebs_desktop.services.settings import currency as utility_currency

COLUMNS = (Column("Line", width=2.4), Column("Count", "int"), Column("Amount", "money"),
           Column("Counted", "money"), Column("Difference", "money"))


def _over_short(taken: dict[str, list[int]], counted: dict[str, int], expected_cash: int,
                cur: str) -> list[Row]:
    """One plain line per tender counted at close: "Cash short by 4.45", "Card over by
    1.00", "Cheque balanced" (the difference again in its column)."""
    out: list[Row] = []
    for tender in TENDER_KINDS:
        expected = expected_cash if tender == "cash" else taken.get(tender, [0, 0])[1]
        got = counted.get(tender)
        if got is None or (tender != "cash" and not got and not expected):
            continue
        diff = got - expected
        size = money(abs(diff), cur)
        word = "balanced" if diff == 0 else f"short by {size}" if diff < 0 else f"over by {size}"
        out.append((f"{tender.capitalize()} {word}", None, None, None, money(diff, cur)))
    return out


def _shift_section(s: Session, shift: Shift, counter: str, clerk: str, cur: str) -> Section:
    taken: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for tender, n, amount in store.shift_tenders(s, shift.id):
        taken[tender] = [int(n), int(amount or 0)]
    counted: dict[str, int] = defaultdict(int)
    for tender, amount in store.shift_counted(s, shift.id):
        counted[tender] = int(amount or 0)
    drops_n, drops = store.shift_drops(s, shift.id)
    rev_n, rev = store.shift_reversed(s, shift.id)
    paid_out = sum((m.minor for _r, m in counter_paid_out(s, shift.id, cur)), 0)
    closed = shift.status == "closed"
    rows: list[Row] = [("Opening float", None, money(shift.opening_float_minor, cur), None,
                        None)]
    for tender in TENDER_KINDS:
        n, amount = taken.get(tender, [0, 0])
        rows.append((f"Payments by {tender}", n, money(amount, cur), None, None))
    rows.append(("Safe drops", int(drops_n), -money(drops, cur), None, None))
    if paid_out:
        rows.append(("Cash paid out for reversals", None, -money(paid_out, cur), None, None))
    expected_cash = 0
    for tender in TENDER_KINDS:
        expected = taken.get(tender, [0, 0])[1]
        if tender == "cash":
            expected += shift.opening_float_minor - int(drops or 0) - paid_out
            expected_cash = expected
        got = counted.get(tender)
        rows.append((f"Expected {tender} in drawer" if tender == "cash" else f"Expected {tender}",
                     None, money(expected, cur),
                     money(got, cur) if closed and got is not None else None,
                     money(got - expected, cur) if closed and got is not None else None))
    if closed:
        rows.extend(_over_short(taken, counted, expected_cash, cur))
    if rev_n:
        rows.append(("Of which reversed since", int(rev_n), money(rev, cur), None, None))
    collected = sum(v[1] for v in taken.values())
    opened = shift.opened_at.strftime("%Y-%m-%d %H:%M")
    closed_at = shift.closed_at.strftime("%H:%M") if shift.closed_at else "open"
    title = f"Shift {shift.id}  {counter}  {clerk}  {opened} to {closed_at}"
    return Section(title, tuple(rows),
                   ("Collected", sum(v[0] for v in taken.values()), money(collected, cur),
                    None, None))


def shift_z(db: Database, actor: Actor, rng: ReportRange) -> TableReport:
    """The shift ``rng.shift_id``, or every shift opened in the range."""
    require(actor, "report.shift")
    with db.read() as s:
        cur = utility_currency(s)
        found = store.shifts_with_counter(s, rng.shift_id, rng.date_from, rng.date_to)
        if rng.shift_id is not None and not found:
            raise NotFound(f"no shift with id {rng.shift_id}")
        sections = tuple(_shift_section(s, shift, f"{code} {name}", clerk, cur)
                         for shift, code, name, clerk in found)
    grand = sum((sec.totals[2].minor for sec in sections
                 if sec.totals is not None and isinstance(sec.totals[2], Money)), 0)
    count = sum(int(sec.totals[1]) for sec in sections
                if sec.totals is not None and isinstance(sec.totals[1], int))
    which = f"shift {rng.shift_id}" if rng.shift_id is not None else rng.label
    return TableReport(title="Z-report", subtitle=which, columns=COLUMNS, sections=sections,
                       totals=("All shifts", count, money(grand, cur), None, None),
                       parameters=(("Shifts", str(len(sections))),))
