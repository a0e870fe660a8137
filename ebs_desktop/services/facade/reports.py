"""The reports operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services import reports as _reports
from ebs_desktop.services.facade.door import Area, Operation
from ebs_desktop.services.reports.arrears_aging import arrears_aging as _arrears_aging
from ebs_desktop.services.reports.billing_exceptions import (
    billing_exceptions as _billing_exceptions,
)
from ebs_desktop.services.reports.consumption_trends import (
    consumption_trends as _consumption_trends,
)
from ebs_desktop.services.reports.daily_collections import daily_collections as _daily_collections
from ebs_desktop.services.reports.ledger_reconciliation import (
    ledger_reconciliation as _ledger_reconciliation,
)
from ebs_desktop.services.reports.reading_completeness import (
    reading_completeness as _reading_completeness,
)
from ebs_desktop.services.reports.revenue import revenue as _revenue
from ebs_desktop.services.reports.shift_z import shift_z as _shift_z


class ReportsArea(Area):
    build_report = Operation("report.view", _reports.build_report)
    arrears_aging = Operation("report.view", _arrears_aging)
    billing_exceptions = Operation("report.view", _billing_exceptions)
    consumption_trends = Operation("report.view", _consumption_trends)
    daily_collections = Operation("report.view", _daily_collections)
    ledger_reconciliation = Operation("report.view", _ledger_reconciliation)
    reading_completeness = Operation("report.view", _reading_completeness)
    revenue = Operation("report.view", _revenue)
    shift_z = Operation("report.shift", _shift_z)
