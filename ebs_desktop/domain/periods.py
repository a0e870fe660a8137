"""Billing periods: ``YYYY-MM`` strings and the reading day of a cycle in a month."""

from __future__ import annotations

import calendar
import re
from datetime import date

from ebs_desktop.errors import ValidationError

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_period(text: str) -> tuple[int, int]:
    m = _PERIOD.match(text.strip())
    if not m:
        raise ValidationError(f"expected YYYY-MM, got {text!r}", location="--period")
    return int(m.group(1)), int(m.group(2))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def read_date(year: int, month: int, read_day: int) -> date:
    """The cycle's reading day in a month (31 = the month's last day, whatever its length)."""
    return date(year, month, min(read_day, calendar.monthrange(year, month)[1]))


def period_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def previous_period(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)
