"""Properties of the bill calculation (hypothesis) and its speed."""

from __future__ import annotations

import calendar
import time
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ebs_desktop.domain.billcalc import AccountFacts, Usage, calculate_bill
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.rounding import to_money
from ebs_desktop.domain.tariffs import (
    DemandCharge,
    EnergyCharge,
    EnergyPeriod,
    FixedCharge,
    LatePaymentSurcharge,
    MinimumCharge,
    PromptPaymentDiscount,
    Slab,
    SubsidyBlock,
    TariffSpec,
    TariffVersion,
    Tax,
    TouSchedule,
)
from ebs_desktop.domain.tariffs.model import Per

D = Decimal
rates = st.integers(0, 50_000).map(lambda n: D(n).scaleb(-4))  # 0 .. 5.0000
kwhs = st.integers(0, 5_000_000).map(lambda n: D(n).scaleb(-3))  # 0 .. 5000.000
days = st.dates(date(2023, 1, 1), date(2026, 12, 31))
PERS: tuple[Per, ...] = ("month", "day")
steps = st.sampled_from([None, Money(1, "USD"), Money(5, "USD"), Money(100, "USD")])


@st.composite
def ladders(draw: st.DrawFn) -> tuple[Slab, ...]:
    limits = sorted(draw(st.sets(st.integers(1, 2000), max_size=5)))
    rs = draw(st.lists(rates, min_size=len(limits) + 1, max_size=len(limits) + 1))
    return (*tuple(Slab(r, D(u)) for r, u in zip(rs, limits, strict=False)), Slab(rs[-1]))


@st.composite
def periods(draw: st.DrawFn) -> tuple[date, date]:
    start = draw(days)
    return start, start + timedelta(days=draw(st.integers(0, 70)))


@st.composite
def monotone_specs(draw: st.DrawFn) -> TariffSpec:
    """Non-negative rates; every component whose cost grows with consumption."""
    kind = draw(st.sampled_from(["telescopic", "flat"]))
    ladder = draw(ladders()) if kind == "telescopic" else (Slab(draw(rates)),)
    return TariffSpec(
        fixed=tuple(FixedCharge(a, p) for a, p in draw(st.lists(
            st.tuples(rates, st.sampled_from(PERS)), max_size=2))),
        energy=EnergyCharge(kind, (EnergyPeriod("total", ladder),),  # type: ignore[arg-type]
                            draw(st.sampled_from(PERS))),
        demand=(DemandCharge(draw(ladders())),) if draw(st.booleans()) else (),
        minimum=MinimumCharge(draw(rates) * 10) if draw(st.booleans()) else None,
        taxes=tuple(draw(st.lists(st.one_of(
            st.builds(Tax, st.just("VAT"), st.just("VAT"), rates.map(lambda r: r * 10),
                      st.sampled_from(["energy", "subtotal"])),
            st.builds(Tax, st.just("ED"), st.just("Duty"), per_kwh=rates)), max_size=2))))


def v(spec: TariffSpec, start: date = date(2000, 1, 1), n: int = 1) -> TariffVersion:
    return TariffVersion("P", n, start, spec)


@settings(max_examples=300)
@given(monotone_specs(), monotone_specs(), periods(), kwhs, st.integers(0, 40), steps)
def test_total_is_the_sum_of_the_lines(spec: TariffSpec, other: TariffSpec,
                                       period: tuple[date, date], kwh: Decimal, change: int,
                                       step: Money | None) -> None:
    versions = [v(spec), v(other, period[0] + timedelta(days=change), 2)]
    bill = calculate_bill(versions, *period, Usage(kwh, demand_kw=D(7)), None, "USD", step)
    assert sum(line.amount_minor for line in bill.lines) == bill.total.minor
    if step is not None:
        assert bill.total.minor % step.minor == 0
    # consumption is split between versions without losing a watt-hour
    if spec.energy and other.energy and not spec.fixed:
        parts = [line for line in bill.lines if line.unit == "kWh" and line.code != "ED"]
        assert sum((line.quantity for line in parts), D(0)) == kwh


@settings(max_examples=300)
@given(monotone_specs(), periods(), kwhs, kwhs, st.integers(0, 500), steps)
def test_more_consumption_never_costs_less(spec: TariffSpec, period: tuple[date, date],
                                           a: Decimal, b: Decimal, kw: int,
                                           step: Money | None) -> None:
    low, high = sorted((a, b))
    def total(kwh: Decimal) -> int:
        return calculate_bill([v(spec)], *period, Usage(kwh, demand_kw=D(kw)), None, "USD",
                              step).total.minor
    assert total(low) <= total(high)


@settings(max_examples=300)
@given(ladders(), kwhs, st.integers(2023, 2026), st.integers(1, 12))
def test_slabs_match_the_direct_formula(ladder: tuple[Slab, ...], kwh: Decimal, year: int,
                                        month: int) -> None:
    period = (date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
    tele = TariffSpec(energy=EnergyCharge("telescopic", (EnergyPeriod("total", ladder),)))
    vol = TariffSpec(energy=EnergyCharge("volume", (EnergyPeriod("total", ladder),)))
    expected, lo = 0, D(0)
    for slab in ladder:
        hi = slab.up_to if slab.up_to is not None else kwh
        if min(hi, kwh) > lo:
            expected += to_money((min(hi, kwh) - lo) * slab.rate, "USD").minor
        lo = max(lo, hi)
    assert calculate_bill([v(tele)], *period, Usage(kwh)).total.minor == expected
    reached = next(s for s in ladder if s.up_to is None or kwh <= s.up_to)
    assert calculate_bill([v(vol)], *period, Usage(kwh)).total.minor == \
        to_money(kwh * reached.rate, "USD").minor
    for line in calculate_bill([v(tele)], *period, Usage(kwh)).lines:
        assert line.amount == to_money(line.quantity * line.rate, "USD")  # rounded once


cents = st.integers(0, 10**6).map(lambda n: D(n).scaleb(-2))


@settings(max_examples=300)
@given(cents, st.integers(2023, 2026), st.integers(1, 12), st.integers(1, 3),
       st.integers(1, 27))
def test_whole_months_cost_exactly_the_monthly_charge(amount: Decimal, year: int, month: int,
                                                     months: int, cut: int) -> None:
    spec = TariffSpec(fixed=(FixedCharge(amount),), minimum=MinimumCharge(amount * 3))
    end_month = (year * 12 + month - 1) + months - 1
    ey, em = divmod(end_month, 12)
    end = date(ey, em + 1, calendar.monthrange(ey, em + 1)[1])
    bill = calculate_bill([v(spec)], date(year, month, 1), end, Usage(D(0)))
    monthly = to_money(amount, "USD").minor
    assert bill.lines[0].amount_minor == monthly * months
    assert bill.total.minor == to_money(amount * 3, "USD").minor * months
    # a month cut in two: the halves add up to the monthly charge within a cent per half
    first = calculate_bill([v(spec)], date(year, month, 1), date(year, month, cut), Usage(D(0)))
    last_day = calendar.monthrange(year, month)[1]
    assume(cut < last_day)
    second = calculate_bill([v(spec)], date(year, month, cut + 1), date(year, month, last_day),
                            Usage(D(0)))
    assert abs(first.lines[0].amount_minor + second.lines[0].amount_minor - monthly) <= 1


def test_speed_of_a_five_slab_bill_with_fixed_charge_and_tax() -> None:
    """The billing run's budget: about 15 us per bill on a 2-core machine (measured, printed)."""
    spec = TariffSpec(
        fixed=(FixedCharge(D("4.50")),),
        energy=EnergyCharge("telescopic", (EnergyPeriod("total", (
            Slab(D("0.05"), D(50)), Slab(D("0.08"), D(100)), Slab(D("0.10"), D(200)),
            Slab(D("0.12"), D(300)), Slab(D("0.15")))),)),
        taxes=(Tax("VAT", "VAT", percent=D(5), base="subtotal"),))
    versions = [v(spec)]
    usages = [Usage(D(300 + i % 200) + D("0.125")) for i in range(1000)]
    facts = AccountFacts()
    start, end = date(2024, 3, 1), date(2024, 3, 31)
    assert len(calculate_bill(versions, start, end, usages[0], facts).lines) == 7
    n, rounds = 20_000, []
    for _ in range(5):  # best of five: the machine is shared, the minimum is the cost
        t0 = time.perf_counter()
        for i in range(n):
            calculate_bill(versions, start, end, usages[i % 1000], facts, "USD", None)
        rounds.append((time.perf_counter() - t0) / n * 1e6)
    per_bill = min(rounds)
    print(f"\ncalculate_bill: {per_bill:.1f} us per 5-slab + fixed + tax bill "
          f"(best of 5 rounds of {n}; median {sorted(rounds)[2]:.1f})")
    assert per_bill < 60  # 4x the target, so a busy CI machine does not fail it


@st.composite
def any_specs(draw: st.DrawFn) -> TariffSpec:
    """Every component, including the ones that are not monotone (volume, rebate...)."""
    base = draw(monotone_specs())
    kind = draw(st.sampled_from(["telescopic", "volume", "tou"]))
    if kind == "tou":
        schedule = TouSchedule(tuple(tuple(h % 2 for h in range(24)) for _ in range(12)),
                               tuple((0,) * 24 for _ in range(12)))
        energy = EnergyCharge("tou", (EnergyPeriod("a", draw(ladders())),
                                      EnergyPeriod("b", draw(ladders()))), "month", schedule)
    else:
        energy = EnergyCharge(kind, (EnergyPeriod("total", draw(ladders())),))  # type: ignore[arg-type]
    return TariffSpec(
        fixed=base.fixed, energy=energy, demand=base.demand, minimum=base.minimum,
        taxes=base.taxes,
        subsidies=(SubsidyBlock(D(draw(st.integers(0, 100))), draw(rates),
                                eligible_up_to=draw(st.none() | st.integers(0, 300).map(D))),)
        if draw(st.booleans()) else (),
        prompt_payment=PromptPaymentDiscount(draw(rates)) if draw(st.booleans()) else None,
        late_payment=LatePaymentSurcharge(draw(rates), draw(st.integers(0, 20)),
                                          draw(st.none() | rates)))


@settings(max_examples=300)
@given(any_specs(), any_specs(), periods(), kwhs, st.integers(0, 40), steps, st.booleans(),
       st.integers(0, 40))
def test_total_is_the_sum_of_the_lines_for_every_component(
        spec: TariffSpec, other: TariffSpec, period: tuple[date, date], kwh: Decimal,
        change: int, step: Money | None, prompt: bool, late_days: int) -> None:
    versions = [v(spec), v(other, period[0] + timedelta(days=change), 2)]
    facts = AccountFacts(sanctioned_load_kw=D(3), prompt_payment_earned=prompt,
                         overdue=D("123.45"), days_past_due=late_days)
    bill = calculate_bill(versions, *period, Usage(kwh, demand_kw=D(7)), facts, "USD", step)
    assert sum(line.amount_minor for line in bill.lines) == bill.total.minor
    assert bill.after_due >= bill.total
    for line in bill.lines:
        assert line.description.endswith(f"= {line.amount}")
        assert line.description == f"{line.label}: {line.explanation}"  # fast path agrees
