"""Each tariff component priced on a small example worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ebs_desktop.domain.billcalc import AccountFacts, BillCalculation, Usage, calculate_bill
from ebs_desktop.domain.money import Money
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
    read_tariff_file,
)
from ebs_desktop.errors import ValidationError

D = Decimal
TARIFFS = Path(__file__).resolve().parents[2] / "resources" / "tariffs"
MARCH = (date(2024, 3, 1), date(2024, 3, 31))


def ladder(*pairs: tuple[str, str | None]) -> tuple[Slab, ...]:
    return tuple(Slab(D(rate), None if up_to is None else D(up_to)) for rate, up_to in pairs)


def energy(kind: str = "telescopic", *slabs: tuple[str, str | None]) -> EnergyCharge:
    return EnergyCharge(kind, (EnergyPeriod("total", ladder(*slabs)),))  # type: ignore[arg-type]


def version(spec: TariffSpec, start: date = date(2024, 1, 1), number: int = 1) -> TariffVersion:
    return TariffVersion("T", number, start, spec)


def bill(spec: TariffSpec, kwh: str, period: tuple[date, date] = MARCH, **kw: object
         ) -> BillCalculation:
    usage = Usage(D(kwh), demand_kw=kw.pop("demand_kw", None))  # type: ignore[arg-type]
    return calculate_bill([version(spec)], *period, usage, **kw)  # type: ignore[arg-type]


def amounts(b: BillCalculation) -> list[tuple[str, str]]:
    assert sum(line.amount_minor for line in b.lines) == b.total.minor
    return [(line.code, str(line.amount)) for line in b.lines]


def test_line_explains_itself() -> None:
    b = bill(TariffSpec(energy=energy("flat", ("4.50", None))), "120")
    assert b.lines[0].description == "Energy: 120 kWh x 4.50 = 540.00"
    assert b.total == Money.of("540.00", "USD")


def test_telescopic_and_volume_slabs() -> None:
    slabs = (("0.10", "100"), ("0.20", "200"), ("0.30", None))
    # telescopic 250: 100 x 0.10 + 100 x 0.20 + 50 x 0.30 = 10 + 20 + 15
    assert amounts(bill(TariffSpec(energy=energy("telescopic", *slabs)), "250")) == [
        ("ENERGY-1", "10.00"), ("ENERGY-2", "20.00"), ("ENERGY-3", "15.00")]
    # volume 250: all at 0.30 = 75.00; exactly 200 stays in slab 2: 200 x 0.20
    vol = TariffSpec(energy=energy("volume", *slabs))
    assert amounts(bill(vol, "250")) == [("ENERGY-3", "75.00")]
    assert amounts(bill(vol, "200")) == [("ENERGY-2", "40.00")]
    assert "all units" in bill(vol, "250").lines[0].label


def test_fixed_per_month_whole_and_prorated_and_per_day() -> None:
    spec = TariffSpec(fixed=(FixedCharge(D("10.00")), FixedCharge(D("0.25"), "day", "DAILY")))
    assert amounts(bill(spec, "0")) == [("FIXED", "10.00"), ("DAILY", "7.75")]
    # 1-15 February 2024: 15/29 x 10.00 = 5.1724 -> 5.17; 15 days x 0.25 = 3.75
    feb = bill(spec, "0", (date(2024, 2, 1), date(2024, 2, 15)))
    assert amounts(feb) == [("FIXED", "5.17"), ("DAILY", "3.75")]
    assert feb.lines[0].explanation == "15/29 month x 10.00 = 5.17"
    # 10 March - 12 April: 22/31 + 12/30 = 1.1097 months -> 11.10
    assert amounts(bill(spec, "0", (date(2024, 3, 10), date(2024, 4, 12))))[0] == \
        ("FIXED", "11.10")
    # two whole months are exactly two
    assert amounts(bill(spec, "0", (date(2024, 1, 1), date(2024, 2, 29))))[0] == \
        ("FIXED", "20.00")


def test_monthly_slab_limits_scale_with_the_period() -> None:
    spec = TariffSpec(energy=energy("telescopic", ("0.10", "100"), ("0.20", None)))
    # 1-15 February 2024: limit 100 x 15/29 = 51.724 kWh
    b = bill(spec, "100", (date(2024, 2, 1), date(2024, 2, 15)))
    assert [(line.quantity, line.amount_minor) for line in b.lines] == [
        (D("51.724"), 517), (D("48.276"), 966)]
    daily = TariffSpec(energy=EnergyCharge("telescopic", (EnergyPeriod(
        "total", ladder(("0.10", "5"), ("0.20", None))),), limits_per="day"))
    # 5 kWh a day x 31 days = 155 kWh at 0.10, the other 45 at 0.20
    assert amounts(bill(daily, "200")) == [("ENERGY-1", "15.50"), ("ENERGY-2", "9.00")]


def test_tou_registers_and_schedule() -> None:
    tou = read_tariff_file(TARIFFS / "com-tou.toml")
    regs = {"offpeak": D(500), "shoulder": D(300), "peak": D(200)}
    b = calculate_bill(tou.versions, *MARCH, Usage(D(1000), regs))
    # 500 x 0.09 + 300 x 0.14 + 200 x 0.22 = 45 + 42 + 44 = 131; + 12 fixed = 143;
    # VAT 5% of 143 = 7.15
    assert amounts(b) == [("FIXED", "12.00"), ("ENERGY-OFFPEAK", "45.00"),
                          ("ENERGY-SHOULDER", "42.00"), ("ENERGY-PEAK", "44.00"),
                          ("VAT", "7.15")]
    # total only: March 2024 has 21 weekdays and 10 weekend days. A weekday has 10 h
    # offpeak, 10 h shoulder (07-17), 4 h peak (17-21); a weekend day 20 h offpeak, 4 h
    # shoulder. Offpeak 21 x 10 + 10 x 20 = 410, shoulder 21 x 10 + 10 x 4 = 250,
    # peak 21 x 4 = 84 (744 h): 1 kWh an hour gives those kWh.
    split = calculate_bill(tou.versions, *MARCH, Usage(D(744)))
    assert [line.quantity for line in split.lines[1:4]] == [D(410), D(250), D(84)]
    with pytest.raises(ValidationError, match="register 'shoulder'"):
        calculate_bill(tou.versions, *MARCH, Usage(D(10), {"offpeak": D(10)}))
    with pytest.raises(ValidationError, match="registers sum to"):
        calculate_bill(tou.versions, *MARCH, Usage(D(999), regs))


def test_demand_recorded_and_sanctioned() -> None:
    spec = TariffSpec(demand=(DemandCharge(ladder(("9.50", "100"), ("8.75", None))),
                              DemandCharge(ladder(("1.25", None)), "sanctioned", code="LOAD")))
    b = bill(spec, "0", demand_kw=D("120"), facts=AccountFacts(sanctioned_load_kw=D(150)))
    # 100 x 9.50 + 20 x 8.75 = 950 + 175; 150 x 1.25 = 187.50
    assert amounts(b) == [("DEMAND-1", "950.00"), ("DEMAND-2", "175.00"), ("LOAD", "187.50")]
    # half of April: 15/30 of each
    half = bill(spec, "0", (date(2024, 4, 1), date(2024, 4, 15)), demand_kw=D("120"),
                facts=AccountFacts(sanctioned_load_kw=D(150)))
    assert amounts(half) == [("DEMAND-1", "475.00"), ("DEMAND-2", "87.50"), ("LOAD", "93.75")]
    assert half.lines[0].explanation == "100 kW x 9.50 x 15/30 month = 475.00"
    with pytest.raises(ValidationError, match="sanctioned load"):
        bill(spec, "0", demand_kw=D(1))


def test_minimum_charge_tops_up_energy_plus_fixed() -> None:
    spec = TariffSpec(fixed=(FixedCharge(D("2.00")),), energy=energy("flat", ("0.10", None)),
                      minimum=MinimumCharge(D("6.00")))
    assert amounts(bill(spec, "30")) == [("FIXED", "2.00"), ("ENERGY", "3.00"),
                                         ("MINIMUM", "1.00")]
    assert amounts(bill(spec, "40")) == [("FIXED", "2.00"), ("ENERGY", "4.00")]


def test_taxes_on_energy_subtotal_and_per_kwh() -> None:
    spec = TariffSpec(fixed=(FixedCharge(D("10.00")),), energy=energy("flat", ("0.125", None)),
                      taxes=(Tax("ED", "Duty", per_kwh=D("0.005")),
                             Tax("LEVY", "Levy", percent=D("2"), base="energy"),
                             Tax("VAT", "VAT", percent=D("5"), base="subtotal")))
    # 123 kWh x 0.125 = 15.375 -> 15.38; duty 123 x 0.005 = 0.615 -> 0.62;
    # levy 2% of 15.38 = 0.3076 -> 0.31; VAT 5% of 25.38 = 1.269 -> 1.27
    b = bill(spec, "123")
    assert amounts(b) == [("FIXED", "10.00"), ("ENERGY", "15.38"), ("ED", "0.62"),
                          ("LEVY", "0.31"), ("VAT", "1.27")]
    assert b.lines[-1].explanation == "5% of 25.38 = 1.27"


def test_lifeline_block_by_eligibility_and_category() -> None:
    block = SubsidyBlock(D(50), D("0.03"), eligible_up_to=D(100), categories=("residential",))
    spec = TariffSpec(energy=energy("telescopic", ("0.08", "100"), ("0.11", None)),
                      subsidies=(block,))
    home = AccountFacts(category="residential")
    # 80 kWh: 50 x 0.03 = 1.50 + 30 x 0.08 = 2.40
    assert amounts(bill(spec, "80", facts=home)) == [("LIFELINE", "1.50"), ("ENERGY-1", "2.40")]
    # 120 kWh: above the eligibility limit, the normal ladder
    assert amounts(bill(spec, "120", facts=home)) == [("ENERGY-1", "8.00"),
                                                      ("ENERGY-2", "2.20")]
    # another category: no block
    assert amounts(bill(spec, "80", facts=AccountFacts(category="commercial"))) == [
        ("ENERGY-1", "6.40")]


def test_prompt_payment_rebate_and_late_surcharge_with_cap() -> None:
    spec = TariffSpec(energy=energy("flat", ("0.10", None)),
                      prompt_payment=PromptPaymentDiscount(D("2")),
                      late_payment=LatePaymentSurcharge(D("1.5"), 10, D("5.00")))
    assert amounts(bill(spec, "1000", facts=AccountFacts(prompt_payment_earned=True))) == [
        ("ENERGY", "100.00"), ("REBATE", "-2.00")]
    # overdue 200.00, 11 days past due (> 10 grace): 1.5% = 3.00
    late = bill(spec, "1000", facts=AccountFacts(overdue=D("200.00"), days_past_due=11))
    assert amounts(late) == [("ENERGY", "100.00"), ("LATE", "3.00")]
    # within grace: nothing; large arrears: capped at 5.00
    assert len(bill(spec, "1000", facts=AccountFacts(overdue=D(200), days_past_due=10)).lines) \
        == 1
    capped = bill(spec, "1000", facts=AccountFacts(overdue=D("1000"), days_past_due=30))
    assert capped.lines[-1].amount == Money.of("5.00", "USD")
    assert "capped at 5.00" in capped.lines[-1].explanation
    # after due date: 100.00 + 1.5% = 101.50
    assert late.after_due == Money.of("104.55", "USD")  # (103.00 + 1.545 -> 1.55)


def test_cash_step_rounding_line_keeps_total_equal_to_lines() -> None:
    spec = TariffSpec(energy=energy("flat", ("0.1", None)))
    b = bill(spec, "1024.7", cash_step=Money.of("0.05", "USD"))  # 102.47 -> 102.45
    assert amounts(b) == [("ENERGY", "102.47"), ("ROUNDING", "-0.02")]
    assert b.total == Money.of("102.45", "USD")
    up = bill(spec, "1024.8", cash_step=Money.of("0.05", "USD"))
    assert amounts(up)[-1] == ("ROUNDING", "0.02")
    # the version's own step when the settings give none
    own = TariffSpec(energy=spec.energy, rounding_step=D("1.00"))
    assert bill(own, "1024.7").total == Money.of("102.00", "USD")


def test_version_change_inside_the_period_splits_by_days() -> None:
    old = version(TariffSpec(fixed=(FixedCharge(D("10.00")),),
                             energy=energy("flat", ("0.10", None))), date(2024, 1, 1), 1)
    new = version(TariffSpec(fixed=(FixedCharge(D("12.00")),),
                             energy=energy("flat", ("0.20", None))), date(2024, 3, 11), 2)
    b = calculate_bill([new, old], *MARCH, Usage(D(310)))
    # 10 days under v1 (100 kWh), 21 under v2 (210 kWh); fixed 10/31 x 10.00 = 3.23,
    # 21/31 x 12.00 = 8.13; energy 100 x 0.10 = 10.00, 210 x 0.20 = 42.00
    assert [(line.code, line.version_ref, str(line.amount)) for line in b.lines] == [
        ("FIXED", "T v1", "3.23"), ("ENERGY", "T v1", "10.00"),
        ("FIXED", "T v2", "8.13"), ("ENERGY", "T v2", "42.00")]
    with pytest.raises(ValidationError, match="no version of tariff T is in force"):
        calculate_bill([new], *MARCH, Usage(D(1)))
    with pytest.raises(ValidationError, match="before it starts"):
        calculate_bill([old], date(2024, 3, 2), date(2024, 3, 1), Usage(D(1)))


def test_demo_residential_tariff_end_to_end() -> None:
    res = read_tariff_file(TARIFFS / "res-1.toml")
    b = calculate_bill(res.versions, *MARCH, Usage(D(350)), AccountFacts(category="residential"),
                       "USD", None)
    # fixed 4.50; 100 x 0.08 = 8.00; 200 x 0.11 = 22.00; 50 x 0.14 = 7.00;
    # duty 350 x 0.005 = 1.75; VAT 5% of 41.50 = 2.075 -> 2.08; total 45.33 -> step 0.05: 45.35
    assert amounts(b) == [("FIXED", "4.50"), ("ENERGY-1", "8.00"), ("ENERGY-2", "22.00"),
                          ("ENERGY-3", "7.00"), ("DUTY", "1.75"), ("VAT", "2.08"),
                          ("ROUNDING", "0.02")]
    assert b.total == Money.of("45.35", "USD")


def test_negative_usage_is_refused_with_its_place() -> None:
    tou = read_tariff_file(TARIFFS / "com-tou.toml")
    with pytest.raises(ValidationError, match=r"usage\.kwh: consumption -1 kWh"):
        calculate_bill(tou.versions, *MARCH, Usage(D(-1)))
    with pytest.raises(ValidationError, match="register 'peak': consumption -5 kWh"):
        calculate_bill(tou.versions, *MARCH, Usage(D(0), {"offpeak": D(5), "shoulder": D(0),
                                                          "peak": D(-5)}))
    with pytest.raises(ValidationError, match="demand -2 kW"):
        calculate_bill(tou.versions, *MARCH, Usage(D(1), demand_kw=D(-2)))


def test_lifeline_with_volume_slabs_and_partial_block() -> None:
    block = SubsidyBlock(D(50), D(0))
    spec = TariffSpec(energy=energy("volume", ("0.10", "100"), ("0.20", None)),
                      subsidies=(block,))
    # 30 kWh: all in the free block; 150 kWh: 50 free, the other 100 at the slab reached
    assert amounts(bill(spec, "30")) == [("LIFELINE", "0.00")]
    assert amounts(bill(spec, "150")) == [("LIFELINE", "0.00"), ("ENERGY-2", "20.00")]
    assert bill(spec, "150").lines[1].quantity == D(100)
