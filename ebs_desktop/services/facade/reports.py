"""The reports operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services import reports as _reports
from ebs_desktop.services.facade.door import Area, Operation


class ReportsArea(Area):
    build_report = Operation("report.view", _reports.build_report)
    arrears_aging = Operation("report.view", _reports.arrears_aging)
    billing_exceptions = Operation("report.view", _reports.billing_exceptions)
    consumption_trends = Operation("report.view", _reports.consumption_trends)
    daily_collections = Operation("report.view", _reports.daily_collections)
    ledger_reconciliation = Operation("report.view", _reports.ledger_reconciliation)
    reading_completeness = Operation("report.view", _reports.reading_completeness)
    revenue = Operation("report.view", _reports.revenue)
    shift_z = Operation("report.shift", _reports.shift_z)
