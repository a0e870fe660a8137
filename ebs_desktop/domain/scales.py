"""Round numbers for a chart's value axis: ticks in steps of 1, 2 or 5 times a power of
ten, from zero to the first tick at or above the largest value.

A person reads 0, 2,000, 4,000, 6,000, 8,000, 10,000 at a glance; 0, 2031, 4061, 6092,
8123 (the top value split in four) makes them work it out. Worked example: the largest
value 8,123 kWh with at most 6 intervals: 8,123 / 6 = 1,354, and the first of 1, 2, 5
times 1,000 not below that is 2,000; 8,123 rounded up to a multiple of 2,000 is 10,000,
so the ticks are 0, 2,000, ..., 10,000 (five intervals).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal


def nice_step(top: Decimal, max_intervals: int = 6) -> Decimal:
    """The smallest step of 1, 2 or 5 times a power of ten that covers ``top`` in at most
    ``max_intervals`` steps (1 for an empty or non-positive range)."""
    if top <= 0 or max_intervals < 1:
        return Decimal(1)
    raw = top / max_intervals
    power = Decimal(10) ** raw.adjusted()  # 10 ** floor(log10(raw))
    for factor in (1, 2, 5, 10):
        step = power * factor
        if step >= raw:
            return step
    return power * 10  # pragma: no cover - the factor 10 always answers


def nice_ticks(top: Decimal, max_intervals: int = 6) -> list[Decimal]:
    """Tick values from 0 up to the first multiple of the nice step at or above ``top``."""
    step = nice_step(top, max_intervals)
    count = int((max(top, Decimal(0)) / step).to_integral_value(rounding=ROUND_CEILING)) or 1
    return [step * i for i in range(count + 1)]
