"""Management reports: one query service per report, each returning a :class:`TableReport`.

Why a registry: the CLI (``ebs report NAME``) and the desktop app's reports page offer the
same list, and each report takes the same :class:`ReportRange` (days, plus a shift or run
id for the two reports that narrow to one). Every figure is an integer sum in the database
or in Python (minor units, kWh as Decimal), never a float.
"""

from __future__ import annotations

from collections.abc import Callable

from ebs_desktop.persistence.engine import Database
from ebs_desktop.reports.tabular import TableReport
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.reports.arrears_aging import arrears_aging
from ebs_desktop.services.reports.billing_exceptions import billing_exceptions
from ebs_desktop.services.reports.common import ReportRange
from ebs_desktop.services.reports.consumption_trends import consumption_trends
from ebs_desktop.services.reports.daily_collections import daily_collections
from ebs_desktop.services.reports.ledger_reconciliation import ledger_reconciliation
from ebs_desktop.services.reports.reading_completeness import reading_completeness
from ebs_desktop.services.reports.revenue import revenue
from ebs_desktop.services.reports.shift_z import shift_z

ReportFunction = Callable[[Database, Actor, ReportRange], TableReport]

REPORTS: dict[str, ReportFunction] = {
    "daily-collections": daily_collections,
    "shift-z": shift_z,
    "revenue": revenue,
    "arrears-aging": arrears_aging,
    "consumption-trends": consumption_trends,
    "billing-exceptions": billing_exceptions,
    "reading-completeness": reading_completeness,
    "ledger-reconciliation": ledger_reconciliation,
}

__all__ = ["REPORTS", "ReportFunction", "ReportRange", "build_report"]


def build_report(db: Database, actor: Actor, name: str, rng: ReportRange) -> TableReport:
    from ebs_desktop.errors import ValidationError

    try:
        function = REPORTS[name]
    except KeyError:
        raise ValidationError(f"unknown report {name!r}; one of {', '.join(REPORTS)}",
                              location="report NAME") from None
    return function(db, actor, rng)
