"""The rules one meter reading must pass, and the consumption it stands for.

A register's consumption is the difference to its previous reading (whatever its source,
estimates included), times the meter's multiplier. A value lower than the previous one is a
*rollover* only when the meter plausibly went round once: the implied consumption
``10**dials - previous + value`` is less than half of the dial range. Worked example, six
dials: previous 999 950, now 000 120 -> 1 000 000 - 999 950 + 120 = 170 kWh, flagged for
confirmation; previous 500 000, now 400 000 -> 900 000 would be more than half a turn, so
the reading is refused as lower than the previous one.

High/low compares the average daily use since the previous reading with the account's own
history (``daily_average``, multiplier applied): above ``high_factor`` times it or below
``low_factor`` times it needs confirmation; zero use is flagged on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from ebs_desktop.domain.money import MAX_QUANTITY

Severity = Literal["error", "warning"]
THOUSANDTH = Decimal("0.001")
ZERO = Decimal(0)
# Codes that explain why a meter was not read: a row with one of them and no value is
# recorded as "not read", never as a reading.
NO_READ_CODES = frozenset({"no_access", "door_locked", "dog", "premises_vacant"})
#: The most dials a meter has (the meters table's CHECK): no register shows 10**MAX_DIALS.
#: An energy register's value is bounded by this, not by MAX_QUANTITY (a 10-dial meter
#: reads up to 9 999 999 999 kWh); what it adds to a bill is a difference, and that is.
MAX_DIALS = 10
REGISTER_LIMIT = Decimal(10) ** MAX_DIALS


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (``error``) or unusual (``warning``) about a reading."""

    field: str
    value: str
    message: str
    severity: Severity
    code: str

    def text(self) -> str:
        return f"{self.field} {self.value!r}: {self.message}"

    def sentence(self) -> str:
        return sentence(self.field, self.value, self.message)


def sentence(field_name: str, value: str, message: str) -> str:
    """A problem as a person reads it on the entry screen: "7000 is lower than the previous
    reading 7,123 of 1 Oct 2026, ..."; "7600 is high: 41.2 a day since ..." for a use warning."""
    if field_name != "value" or not value:
        return f"{field_name.replace('_', ' ')} {value}: {message}".replace(" :", ":")
    if message.startswith(("high:", "low:")):
        return f"{value} is {message}"
    if message.startswith("zero "):
        return f"{value}: {message}"
    return f"{value} {message}"


@dataclass(frozen=True, slots=True)
class RegisterFacts:
    """What the rules need to know about a register before its new reading."""

    dials: int
    multiplier: Decimal = Decimal(1)
    kind: str = "energy"  # or "demand": the value is itself the quantity billed
    previous_value: Decimal | None = None
    previous_read_on: date | None = None
    daily_average: Decimal | None = None
    high_factor: Decimal = Decimal(3)
    low_factor: Decimal = Decimal("0.3")

    @property
    def span(self) -> Decimal:
        return Decimal(10) ** self.dials


@dataclass(frozen=True, slots=True)
class ReadingCheck:
    """The verdict: consumption to store, flags, and problems (errors refuse the reading)."""

    consumption: Decimal | None = None
    flags: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    duplicate: bool = False  # same register, day and value as the previous reading
    skipped: bool = False  # a no-read code without a value: nothing to store

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors


def figure(value: Decimal) -> str:
    """A meter figure with its own digits, grouped, no padding zeros: ``7647.762`` ->
    ``7,647.762``, ``7123.000`` (as stored) -> ``7,123``."""
    if value.is_finite():
        value = (value.quantize(Decimal(1)) if value == value.to_integral_value()
                 else value.normalize())
    return f"{value:,}"


def day_text(day: date) -> str:
    """``date(2026, 10, 1)`` -> ``1 Oct 2026`` (no locale needed, never ambiguous)."""
    return f"{day.day} {day:%b %Y}"


def resolution(value: Decimal | None) -> int:
    """The decimals a register shows, judged from a reading of it: ``7123`` (or
    ``7123.000``) -> 0, ``7647.762`` -> 3; 0 without a reading. The meters table keeps no
    resolution, and a meter with dials only reads whole units."""
    if value is None or not value.is_finite():
        return 0
    exponent = value.normalize().as_tuple().exponent
    return min(max(-int(exponent), 0), 3)


def _error(field_name: str, value: object, message: str, code: str) -> Problem:
    return Problem(field_name, str(value), message, "error", code)


def _warning(field_name: str, value: object, message: str, code: str) -> Problem:
    return Problem(field_name, str(value), message, "warning", code)


def check_value(value: Decimal, dials: int, kind: str, field_name: str = "value") -> list[Problem]:
    """The value on its own: finite, not negative, at most three decimals, fits the dials."""
    if not value.is_finite():
        return [_error(field_name, value, "is not a number", "not_number")]
    problems = []
    if value < 0:
        problems.append(_error(field_name, value, "is negative", "negative"))
    if value.adjusted() >= 15:
        problems.append(_error(field_name, value, "has more digits than any meter shows",
                               "too_many_digits"))
    elif value != value.quantize(THOUSANDTH, rounding=ROUND_HALF_UP):
        problems.append(_error(field_name, value, "has more than three decimals", "precision"))
    elif kind == "energy" and value >= Decimal(10) ** dials:
        problems.append(_error(field_name, value, f"does not fit the meter's {dials} dials",
                               "too_many_digits"))
    elif kind != "energy" and value > MAX_QUANTITY:
        problems.append(_error(field_name, value, f"is beyond the ceiling of {MAX_QUANTITY} "
                               "on a quantity", "too_many_digits"))
    return problems


def check_reading(facts: RegisterFacts, read_on: date, value: Decimal | None, today: date,
                  reading_code: str | None = None) -> ReadingCheck:
    """Check one reading against its register's facts; never raises."""
    if value is None:
        if reading_code in NO_READ_CODES:
            return ReadingCheck(skipped=True)
        return ReadingCheck(problems=(_error("value", "", "is missing (give a value or a "
                                             "no-read code such as no_access)", "missing"),))
    problems = check_value(value, facts.dials, facts.kind)
    if read_on > today:
        problems.append(_error("read_at", read_on.isoformat(), f"is in the future (today is "
                               f"{today.isoformat()})", "future"))
    prev, prev_on = facts.previous_value, facts.previous_read_on
    if prev_on is not None and read_on < prev_on:
        problems.append(_error("read_at", read_on.isoformat(), "is before the previous reading "
                               f"of {day_text(prev_on)}", "before_previous"))
    if prev_on is not None and read_on == prev_on and prev is not None:
        if value == prev and not problems:
            return ReadingCheck(duplicate=True)
        problems.append(_error("read_at", read_on.isoformat(), "the register already has a "
                               f"reading on this day ({figure(prev)})", "same_day"))
    if problems:
        return ReadingCheck(problems=tuple(problems))
    if facts.kind != "energy" or prev is None or prev_on is None:
        return ReadingCheck()  # demand value, or a first reading: no consumption
    return _consumption(facts, read_on, value, prev, prev_on)


def _consumption(facts: RegisterFacts, read_on: date, value: Decimal, prev: Decimal,
                 prev_on: date) -> ReadingCheck:
    flags: list[str] = []
    problems: list[Problem] = []
    raw = value - prev
    if raw < 0:
        turned = facts.span - prev + value
        if turned >= facts.span / 2:
            return ReadingCheck(problems=(_error(
                "value", value, f"is lower than the previous reading {figure(prev)} of "
                f"{day_text(prev_on)}, and not a rollover of the {facts.dials}-dial meter",
                "lower_than_previous"),))
        raw = turned
        flags.append("rollover")
        problems.append(_warning("value", value, f"is lower than the previous reading "
                                 f"{figure(prev)} of {day_text(prev_on)}: taken as a rollover "
                                 f"of {figure(turned)} units", "rollover"))
    used = (raw * facts.multiplier).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)
    if used > MAX_QUANTITY:
        return ReadingCheck(problems=(_error(
            "value", value, f"gives a consumption of {used} (x{facts.multiplier}), beyond the "
            f"ceiling of {MAX_QUANTITY} on a quantity", "too_many_digits"),))
    days = (read_on - prev_on).days
    if used == 0:
        flags.append("zero")
        problems.append(_warning("value", value, "zero consumption since the previous "
                                 "reading", "zero"))
    elif facts.daily_average and days > 0:
        daily = used / days
        average = facts.daily_average
        if daily > average * facts.high_factor:
            flags.append("high")
            problems.append(_warning("value", value, f"high: {figure(_rate(daily))} a day since "
                                     f"{day_text(prev_on)}, against an average of "
                                     f"{figure(_rate(average))} a day", "high"))
        elif daily < average * facts.low_factor:
            flags.append("low")
            problems.append(_warning("value", value, f"low: {figure(_rate(daily))} a day since "
                                     f"{day_text(prev_on)}, against an average of "
                                     f"{figure(_rate(average))} a day", "low"))
    return ReadingCheck(consumption=used, flags=tuple(flags), problems=tuple(problems))


def _rate(value: Decimal) -> Decimal:
    """Use a day, to a tenth (a message figure, not a stored one)."""
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _q(value: Decimal) -> Decimal:
    return value.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def expected_range(facts: RegisterFacts, read_on: date) -> tuple[Decimal, Decimal]:
    """The meter values a reading on ``read_on`` may show without needing confirmation."""
    top = facts.span - THOUSANDTH
    prev = facts.previous_value
    if prev is None or facts.previous_read_on is None or facts.kind != "energy":
        return ZERO, top
    days = max((read_on - facts.previous_read_on).days, 0)
    if not facts.daily_average or not days:
        return prev, top
    per_unit = facts.daily_average * days / facts.multiplier
    low = _q(prev + per_unit * facts.low_factor)
    high = _q(prev + per_unit * facts.high_factor)
    return low, high


def check_exchange(old: RegisterFacts, final_value: Decimal, on: date, today: date,
                   new_dials: int, first_value: Decimal, register: str) -> ReadingCheck:
    """Old meter's final reading (consumption up to the exchange, never negative) and the
    new meter's first reading (no consumption: the new register starts from it)."""
    final = check_reading(old, on, final_value, today, "meter_final")
    if final.duplicate:  # the final equals a reading already taken that day
        final = ReadingCheck(consumption=ZERO if old.kind == "energy" else None)
    problems = [Problem(f"old {register} {p.field}", p.value, p.message, p.severity, p.code)
                for p in final.problems]
    problems += [Problem(f"new {register} {p.field}", p.value, p.message, p.severity, p.code)
                 for p in check_value(first_value, new_dials, old.kind)]
    return ReadingCheck(final.consumption, final.flags, tuple(problems))
