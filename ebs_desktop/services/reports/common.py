"""What every management report shares: the date range and money cells.

Days are UTC days, the utility's ``timezone`` setting default; how a timestamp column is
compared with whole days (a dialect matter) is :mod:`ebs_desktop.persistence.stores.reports`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

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


def as_day(value: datetime | date) -> date:
    """The UTC day of a stored timestamp (SQLite hands back naive UTC datetimes)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.date()
    return value


def money(minor: int | None, currency: str) -> Money:
    return Money(int(minor or 0), currency)
