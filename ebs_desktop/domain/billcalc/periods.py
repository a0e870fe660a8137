"""Calendar arithmetic of a billing period: months, proration, versions in force.

Proration rule (documented in resources/tariffs/README.md): a period is cut at month
boundaries; each piece counts ``days / days_in_that_month`` months, so a whole calendar
month counts exactly 1 and 1-15 February 2024 counts 15/29. The sum is the period's
*month factor*. Monthly fixed, minimum and demand charges are multiplied by it, and slab
limits set per month are multiplied by it (then rounded half up to 0.001 kWh); per-day
amounts and limits are multiplied by the number of days.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from ebs_desktop.domain.tariffs.model import TariffVersion, TouSchedule
from ebs_desktop.errors import ValidationError

ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=4096)
def month_pieces(start: date, end: date) -> tuple[tuple[int, int, int, int], ...]:
    """(year, month, days in the period, days in the month) per calendar month touched."""
    pieces = []
    day = start
    while day <= end:
        dim = calendar.monthrange(day.year, day.month)[1]
        last = min(end, date(day.year, day.month, dim))
        pieces.append((day.year, day.month, (last - day).days + 1, dim))
        day = last + ONE_DAY
    return tuple(pieces)


def month_factor(start: date, end: date, months: tuple[int, ...] = ()) -> Decimal:
    """Months in ``start..end`` (inclusive): whole months count 1, others days/days-in-month.

    With ``months`` (1-12) only pieces in those months count (seasonal demand charges).
    """
    total = Decimal(0)
    for _year, month, days, dim in month_pieces(start, end):
        if months and month not in months:
            continue
        total += Decimal(1) if days == dim else Decimal(days) / Decimal(dim)
    return total


def month_factor_text(start: date, end: date, months: tuple[int, ...] = ()) -> str:
    """The factor as a person checks it: ``1 month``, ``15/29 month``, ``17/31 + 14/28 month``."""
    whole = 0
    parts = []
    for _year, month, days, dim in month_pieces(start, end):
        if months and month not in months:
            continue
        if days == dim:
            whole += 1
        else:
            parts.append(f"{days}/{dim}")
    terms = ([str(whole)] if whole else []) + parts
    if not terms:
        return "0 month"
    return " + ".join(terms) + (" months" if whole > 1 and not parts else " month")


def split_by_versions(versions: Sequence[TariffVersion], start: date, end: date
                      ) -> tuple[tuple[TariffVersion, date, date], ...]:
    """The parts of the period with the version in force on each (latest start <= day)."""
    if end < start:
        raise ValidationError(f"period ends ({end}) before it starts ({start})",
                              location="period")
    ordered = sorted(versions, key=lambda v: v.effective_from)
    current = [v for v in ordered if v.effective_from <= start]
    if not current:
        code = ordered[0].tariff_code if ordered else "?"
        raise ValidationError(f"no version of tariff {code} is in force on {start}",
                              location="period_start")
    parts: list[tuple[TariffVersion, date, date]] = []
    version, part_start = current[-1], start
    for later in ordered:
        if start < later.effective_from <= end:
            parts.append((version, part_start, later.effective_from - ONE_DAY))
            version, part_start = later, later.effective_from
    parts.append((version, part_start, end))
    return tuple(parts)


def schedule_hours(schedule: TouSchedule, start: date, end: date, periods: int) -> list[int]:
    """Hours each TOU period covers on the days ``start..end`` (weekend: Saturday, Sunday)."""
    hours = [0] * periods
    day = start
    while day <= end:
        row = (schedule.weekend if day.weekday() >= 5 else schedule.weekday)[day.month - 1]
        for index in row:
            hours[index] += 1
        day += ONE_DAY
    return hours
