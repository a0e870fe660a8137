"""The pure bill calculation (no database, no Qt): see ``calculate.calculate_bill``."""

from ebs_desktop.domain.billcalc.calculate import calculate_bill
from ebs_desktop.domain.billcalc.lines import (
    AccountFacts,
    AmountOverLimit,
    BillCalculation,
    BillLine,
    Usage,
)
from ebs_desktop.domain.billcalc.periods import month_factor, split_by_versions

__all__ = [
    "AccountFacts",
    "AmountOverLimit",
    "BillCalculation",
    "BillLine",
    "Usage",
    "calculate_bill",
    "month_factor",
    "split_by_versions",
]
