"""Round axis ticks (1-2-5 steps), as a person reads them (issue 19, point 10)."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ebs_desktop.domain.scales import nice_step, nice_ticks


def test_the_issues_example() -> None:
    # the old axis split 8123 in four: 2031, 4061, 6092, 8123
    assert nice_ticks(Decimal(8123)) == [Decimal(n) for n in (0, 2000, 4000, 6000, 8000,
                                                              10000)]
    assert nice_ticks(Decimal(497), 5) == [Decimal(n) for n in (0, 100, 200, 300, 400, 500)]
    assert nice_ticks(Decimal(0)) == [Decimal(0), Decimal(1)]
    assert nice_step(Decimal("0.3")) == Decimal("0.05")


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10) ** 9, places=2),
       st.integers(min_value=1, max_value=10))
def test_ticks_are_round_and_cover_the_top(top: Decimal, intervals: int) -> None:
    ticks = nice_ticks(top, intervals)
    step = ticks[1] - ticks[0]
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in (Decimal(1), Decimal(2), Decimal(5))
    assert ticks[0] == 0 and ticks[-2] < top <= ticks[-1]
    assert len(ticks) - 1 <= intervals
    assert all(b - a == step for a, b in itertools.pairwise(ticks))
