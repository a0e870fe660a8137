"""Usage insights: worked examples and properties of the pure rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ebs_desktop.domain.billcalc import AccountFacts, Usage, calculate_bill
from ebs_desktop.domain.insights import (
    LOAD_BANDS,
    MIN_GROUP,
    PeriodUse,
    change_percent,
    high_usage,
    insight_sentences,
    load_band,
    next_period_end,
    per_month,
    percentile,
    percentile_in,
    period_insights,
    period_shift,
    project,
    project_kwh,
    saving_tips,
    summarise,
    tip_text,
    usual_use,
    year_on_year,
)
from ebs_desktop.domain.tariffs import read_tariff_file

D = Decimal
TARIFFS = Path(__file__).resolve().parents[2] / "resources" / "tariffs"


def rate(x: Decimal) -> str:
    return f"${x}"


def test_period_shift_crosses_years() -> None:
    assert period_shift("2026-03", -12) == "2025-03"
    assert period_shift("2026-01", -1) == "2025-12"
    assert period_shift("2025-12", 1) == "2026-01"
    assert period_shift("2026-03", 0) == "2026-03"


@given(st.integers(2000, 2090), st.integers(1, 12), st.integers(-300, 300))
def test_period_shift_round_trips(year: int, month: int, k: int) -> None:
    p = f"{year:04d}-{month:02d}"
    assert period_shift(period_shift(p, k), -k) == p


def test_change_percent_worked_example() -> None:
    assert change_percent(D(412), D(349)) == 18  # 18.05 -> 18
    assert change_percent(D(300), D(400)) == -25
    assert change_percent(D(3), D(8)) == -63  # -62.5 -> -63, half away from zero
    assert change_percent(D(10), None) is None
    assert change_percent(D(10), D(0)) is None


def test_year_on_year_pairs_the_same_month() -> None:
    points = [PeriodUse(f"2025-{m:02d}", D(100 + m)) for m in range(1, 13)]
    points += [PeriodUse("2026-01", D(202)), PeriodUse("2026-02", D(51), True)]
    rows = year_on_year(points)
    assert [r.period for r in rows][-2:] == ["2026-01", "2026-02"]
    jan = rows[-2]
    assert (jan.kwh, jan.last_year_kwh, jan.change) == (D(202), D(101), 100)
    assert rows[-1].estimated and rows[-1].last_year_kwh == D(102)
    assert rows[0].last_year_kwh is None and rows[0].change is None
    assert len(year_on_year(points, periods=12)) == 12


def test_load_bands() -> None:
    assert load_band(D("2.5")) == (D(0), D(3))
    assert load_band(D(3)) == (D(3), D(5))
    assert load_band(D(5000)) == (D(1000), None)


@given(st.decimals(min_value=0, max_value=10**6, places=3))
def test_every_load_is_in_its_band(kw: Decimal) -> None:
    low, high = load_band(kw)
    assert low <= kw and (high is None or kw < high)
    assert low in LOAD_BANDS


def test_percentile_mid_rank_worked_example() -> None:
    assert percentile(6, 1, 10) == 65
    assert percentile(0, 10, 10) == 50  # all alike: the middle
    assert percentile(0, 1, 10) == 5
    assert percentile(9, 1, 10) == 95
    assert percentile(2, 1, MIN_GROUP - 1) is None  # too small a group


@given(st.integers(0, 500), st.integers(1, 500), st.integers(0, 500))
def test_percentile_is_within_0_100_and_grows_with_rank(below: int, equal: int,
                                                        above: int) -> None:
    total = below + equal + above
    p = percentile(below, equal, total)
    if total < MIN_GROUP:
        assert p is None
        return
    assert p is not None and 0 <= p <= 100
    higher = percentile(below + 1, equal, total + 1)
    assert higher is not None and higher >= percentile(below, equal, total + 1)  # type: ignore[operator]


def test_usual_use_is_the_median() -> None:
    assert usual_use([D(1), D(2)]) is None
    assert usual_use([D(100), D(900), D(120)]) == D(120)
    assert usual_use([D(100), D(110), D(120), D(900)]) == D(115)


def test_high_usage_against_own_history() -> None:
    history = [D(200), D(210), D(190), D(205)]
    hit = high_usage(D(420), history)
    assert hit is not None and hit.usual_kwh == D("202.5") and hit.times == D("2.1")
    assert high_usage(D(300), history) is None  # 1.48 times: not well above
    assert high_usage(D(999), history[:2]) is None  # too little history


@given(st.lists(st.decimals(min_value=1, max_value=10**5, places=0), min_size=3,
                max_size=24), st.decimals(min_value=0, max_value=10**6, places=0))
def test_high_usage_only_above_one_and_a_half_times_usual(
        history: list[Decimal], kwh: Decimal) -> None:
    hit = high_usage(kwh, history)
    usual = usual_use(history)
    assert usual is not None
    assert (hit is not None) == (kwh > usual * D("1.5"))


def test_projection_carries_the_daily_rate() -> None:
    # 10 days read of 30, 120 kWh -> 360 kWh
    assert project_kwh(D(120), date(2026, 4, 1), date(2026, 4, 10), date(2026, 4, 30)) == 360
    # read to the end: what was used
    assert project_kwh(D("99.6"), date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 30)) == 100
    assert per_month(D(120), 15) == D("243.5")
    assert next_period_end(date(2026, 5, 31)) == date(2026, 6, 30)
    assert next_period_end(date(2026, 6, 14)) == date(2026, 7, 14)
    assert next_period_end(date(2026, 12, 31)) == date(2027, 1, 31)
    assert next_period_end(date(2027, 1, 30)) == date(2027, 2, 28)


@given(st.decimals(min_value=0, max_value=10**5, places=3), st.integers(0, 60),
       st.integers(0, 60))
def test_projection_never_below_use_so_far(kwh: Decimal, read: int, extra: int) -> None:
    start = date(2026, 1, 1)
    last = date.fromordinal(start.toordinal() + read)
    end = date.fromordinal(last.toordinal() + extra)
    assert project_kwh(kwh, start, last, end) >= kwh.to_integral_value() - 1


def test_projection_is_priced_like_a_bill() -> None:
    res = read_tariff_file(TARIFFS / "res-1.toml")
    start, end = date(2026, 4, 1), date(2026, 4, 30)
    p = project(res.versions, start, end, date(2026, 4, 15), D(150), AccountFacts("residential"),
                "USD")
    assert p.kwh == D(300)
    assert p.amount == calculate_bill(res.versions, start, end, Usage(D(300)),
                                      AccountFacts("residential"), "USD").total


def test_tips_name_the_costliest_tou_hours() -> None:
    tou = read_tariff_file(TARIFFS / "com-tou.toml").versions[0].spec
    tips = saving_tips(tou, month=3)
    assert tips[0].code == "tou"
    assert tips[0].rates == (D("0.22"), D("0.09"))
    text = tip_text(tips[0], "en", rate)
    assert "from 17:00-21:00 on weekdays ($0.22 a kWh)" in text
    assert "00:00-07:00, 21:00-24:00 ($0.09 a kWh)" in text
    assert "le plus cher de 17:00-21:00" in tip_text(tips[0], "fr", rate)


def test_tips_of_a_ladder_tariff() -> None:
    res = read_tariff_file(TARIFFS / "res-1.toml").versions[-1].spec
    codes = [t.code for t in saving_tips(res)]
    assert codes[0] == "ladder"
    assert "prompt" in codes and "lifeline" in codes
    ladder = saving_tips(res)[0]
    assert tip_text(ladder, "en", rate).startswith(
        "The first 100 kWh of a month cost $0.085 each; above that every kWh costs $0.115")


def test_insight_box_sentences() -> None:
    res = read_tariff_file(TARIFFS / "res-1.toml").versions[-1].spec
    points = [PeriodUse(f"2025-{m:02d}", D(200)) for m in range(1, 13)]
    points.append(PeriodUse("2026-01", D(500)))
    ins = period_insights("2026-01", points, res, percentile_=91)
    assert ins.change == 150 and ins.high is not None and ins.high.times == D("2.5")
    says = insight_sentences(ins, "en", str, rate)
    assert says[0] == ("You used 500 kWh, 150% more than in the same period last year "
                       "(200 kWh).")
    assert says[1].startswith("That is 2.5 times your usual use (200 kWh)")
    assert says[2].startswith("You used more than 91% of similar accounts")
    assert len(says) == 3 + 3  # three tips at most
    fr = insight_sentences(ins, "fr", str, rate)
    assert fr[0].startswith("Vous avez consommé 500 kWh, 150 % de plus")


def test_a_first_period_says_only_its_use() -> None:
    ins = period_insights("2026-01", [PeriodUse("2026-01", D(80))])
    assert insight_sentences(ins, "en", str, rate) == ["You used 80 kWh in this period."]


def test_small_groups_are_kept_exactly() -> None:
    values = [D(v) for v in (5, 1, 3, 3, 9, 7)]
    n, points = summarise(values)
    assert n == 6 and points == tuple(sorted(values))
    assert percentile_in(n, points, D(3)) == percentile(1, 2, 6) == 33
    assert percentile_in(n, points, D(100)) == 100
    assert percentile_in(3, points[:3], D(3)) is None  # too few to compare with


def test_a_large_group_keeps_its_101_percentiles() -> None:
    values = [D(v) for v in range(1, 1002)]  # 1..1001
    n, points = summarise(values)
    assert n == 1001 and len(points) == 101
    assert points[0] == 1 and points[50] == 501 and points[100] == 1001
    assert percentile_in(n, points, D(501)) == 50
    assert percentile_in(n, points, D("255.5")) == 25
    assert percentile_in(n, points, D(0)) == 0 and percentile_in(n, points, D(5000)) == 100


@settings(max_examples=60, deadline=None)
@given(st.lists(st.decimals(min_value=0, max_value=5000, places=3), min_size=201,
                max_size=600), st.decimals(min_value=0, max_value=5000, places=3))
def test_the_summary_places_within_two_points_of_the_exact_rank(
        values: list[Decimal], kwh: Decimal) -> None:
    n, points = summarise(values)
    below = sum(1 for v in values if v < kwh)
    equal = sum(1 for v in values if v == kwh)
    exact = percentile(below, equal, n)
    approx = percentile_in(n, points, kwh)
    assert exact is not None and approx is not None
    assert abs(approx - exact) <= 2
