"""What every management report shares: the date range and money cells.

Days are UTC days, the utility's ``timezone`` setting default; how a timestamp column is
compared with whole days (a dialect matter) is :mod:`ebs_desktop.persistence.stores.reports`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError


@dataclass(frozen=True, slots=True)
class ReportRange:
    """The days a report covers, both included; ``shift_id`` / ``run_id`` narrow some."""

    date_from: date
    date_to: date
    shift_id: int | None = None
    run_id: int | None = None

    def __post_init__(self) -> None:
        if self.date_to < self.date_from:
            raise ValidationError(f"--to {self.date_to} is before --from {self.date_from}",
                                  location="--to")

    @property
    def label(self) -> str:
        return f"{self.date_from.isoformat()} to {self.date_to.isoformat()}"

    @property
    def first_period(self) -> str:
        return f"{self.date_from.year:04d}-{self.date_from.month:02d}"

    @property
    def last_period(self) -> str:
        return f"{self.date_to.year:04d}-{self.date_to.month:02d}"

    @property
    def periods(self) -> tuple[str, ...]:
        """Every month the days touch, as bill periods (``YYYY-MM``), oldest first."""
        out: list[str] = []
        year, month = self.date_from.year, self.date_from.month
        while (year, month) <= (self.date_to.year, self.date_to.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return tuple(out)


#: Reports of a state on one day (``date_to``); their ``date_from`` is not used.
AS_OF_REPORTS = frozenset({"arrears-aging"})
#: Reports over months of billing: by default the last twelve complete months (a
#: month's bills are issued after it ends, so one month alone is often empty).
TREND_REPORTS = frozenset({"billing-exceptions", "consumption-trends", "revenue"})


def default_range(name: str, today: date) -> ReportRange:
    """The days a report opens with: never an empty month-to-date.

    Arrears are as of today; a trend covers the last twelve complete months; every other
    report the last complete month (in December 2026: 1 to 30 November).
    """
    last = today.replace(day=1) - timedelta(days=1)  # the last day of the previous month
    if name in AS_OF_REPORTS:
        return ReportRange(today, today)
    if name in TREND_REPORTS:
        year, month = (last.year - 1, last.month + 1) if last.month < 12 else (last.year, 1)
        return ReportRange(date(year, month, 1), last)
    return ReportRange(last.replace(day=1), last)


def as_day(value: datetime | date) -> date:
    """The UTC day of a stored timestamp (SQLite hands back naive UTC datetimes)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.date()
    return value


def whole_kwh(value: Decimal) -> Decimal:
    """A report's kWh figure in whole kWh (half up): a sum over many bills is read in
    whole units; the bills themselves keep their three decimals."""
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def money(minor: int | None, currency: str) -> Money:
    return Money(int(minor or 0), currency)
