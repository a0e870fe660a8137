"""Arrears aging: what customers owe, by how long it is past its due date, and who to cut.

Why by bill and due date: the law (and the customer) counts overdue time from each bill's
due date, not from the account's balance. A bill's open amount is its total less what
payments allocated to it (as the counter allocates, oldest first) and nothing if a credit
note cancelled it; allocations of payments received after the report date are not counted,
so the report "as of" a past day shows that day's picture. Bills not yet due are shown in
their own column. The defaulters list is the accounts with money open for more than
``DISCONNECT_AFTER_DAYS`` days, the ones a disconnection round starts with, largest first.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import reports as store
from ebs_desktop.reports.formatting import group_digits
from ebs_desktop.reports.tabular import ChartSeries, ChartSpec, Column, Row, Section, TableReport
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.reports.common import ReportRange, money
from ebs_desktop.services.settings import currency as utility_currency

DISCONNECT_AFTER_DAYS = 90
BUCKETS = ("Not due", "0-30", "31-60", "61-90", "Over 90")
COLUMNS = (Column("Category / account", width=1.3), Column("Customer / route", width=2.0),
           *(Column(f"{b} days" if b != "Not due" else b, "money") for b in BUCKETS),
           Column("Open", "money", width=1.1))


def accounts(n: int) -> str:
    return f"{group_digits(str(n))} account" + ("" if n == 1 else "s")


def bucket_of(due: date, as_of: date) -> int:
    days = (as_of - due).days
    if days <= 0:
        return 0
    if days <= 30:
        return 1
    if days <= 60:
        return 2
    if days <= 90:
        return 3
    return 4


def _open_bills(db: Database, as_of: date) -> list[tuple[int, date, int]]:
    """(account id, due date, open minor units) of every bill open on ``as_of``."""
    with db.read() as s:
        return store.open_bills(s, as_of)


def arrears_aging(db: Database, actor: Actor, rng: ReportRange) -> TableReport:
    """Aging as of ``rng.date_to`` (``date_from`` is not used: arrears have no start)."""
    require(actor, "report.view")
    as_of = rng.date_to
    per_account: dict[int, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
    for account_id, due, amount in _open_bills(db, as_of):
        per_account[account_id][bucket_of(due, as_of)] += amount
    with db.read() as s:
        cur = utility_currency(s)
        info = store.account_labels(s, list(per_account))
    by_cat: dict[str, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
    for account_id, amounts in per_account.items():
        cat = by_cat[info[account_id][1]]
        for i, amount in enumerate(amounts):
            cat[i] += amount

    def cells(amounts: list[int]) -> Row:
        return (*(money(a, cur) for a in amounts), money(sum(amounts), cur))

    cat_rows = tuple((cat.capitalize(), "", *cells(a)) for cat, a in sorted(by_cat.items()))
    grand = [sum(a[i] for a in by_cat.values()) for i in range(len(BUCKETS))]
    defaulters = sorted(((a, amounts) for a, amounts in per_account.items() if amounts[4] > 0),
                        key=lambda x: (-x[1][4], info[x[0]][0]))
    def_rows = tuple((info[a][0], f"{info[a][2]} ({info[a][3]})", *cells(amounts))
                     for a, amounts in defaulters)
    def_total = [sum(a[i] for _, a in defaulters) for i in range(len(BUCKETS))]
    chart = ChartSpec("Open amount by days past due", BUCKETS, (
        ChartSeries("Open", tuple(money(g, cur).amount for g in grand)),), unit=cur)
    return TableReport(
        title="Arrears aging", subtitle=f"as of {as_of.isoformat()}", columns=COLUMNS,
        sections=(
            Section("By category", cat_rows),
            Section(f"Defaulters for disconnection: open over {DISCONNECT_AFTER_DAYS} days "
                    f"({accounts(len(def_rows))})", def_rows,
                    ("Defaulters", "", *cells(def_total))),
        ),
        totals=("All accounts", accounts(len(per_account)), *cells(grand)),
        chart=chart, landscape=True,
        parameters=(("As of", as_of.isoformat()),
                    ("Open bills counted", "total less allocations, not credited")))
