"""What every management report shares: the date range, money cells and timestamp bounds.

Why a helper for timestamp bounds: ``received_at`` and ``opened_at`` are timestamps, the
report range is whole days. PostgreSQL compares a timestamp with an aware datetime; SQLite
stores text (``2025-10-02 08:00:00+00:00``), where comparing with the bare day string
``2025-10-02`` is exact (a longer string with the same prefix sorts after it), whereas a
bound datetime would be written with microseconds and mis-sort a payment at midnight.
Days are UTC days, the utility's ``timezone`` setting default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, DateTime, String, literal
from sqlalchemy.orm import Session

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


def _bound(session: Session, day: date) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return literal(day.isoformat(), String())
    return literal(datetime(day.year, day.month, day.day, tzinfo=UTC), DateTime(timezone=True))


def within_days(session: Session, column: Any, rng: ReportRange) -> ColumnElement[bool]:
    """``column`` (a timestamp) falls on one of the range's days."""
    after_last = rng.date_to + timedelta(days=1)
    result: ColumnElement[bool] = (column >= _bound(session, rng.date_from)) & (
        column < _bound(session, after_last))
    return result


def before_day(session: Session, column: Any, day: date) -> ColumnElement[bool]:
    """``column`` (a timestamp) falls before ``day`` begins."""
    result: ColumnElement[bool] = column < _bound(session, day)
    return result


def as_day(value: datetime | date) -> date:
    """The UTC day of a stored timestamp (SQLite hands back naive UTC datetimes)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.date()
    return value


def money(minor: int | None, currency: str) -> Money:
    return Money(int(minor or 0), currency)
