"""Tariff specs: dict and TOML round trips, located errors, the example files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    Tariff,
    TariffSpec,
    TariffVersion,
    Tax,
    TouSchedule,
    parse_tariff_toml,
    read_tariff_file,
    spec_from_dict,
    spec_to_dict,
    tariff_to_toml,
)
from ebs_desktop.domain.tariffs.model import EnergyType, Per
from ebs_desktop.errors import ValidationError

TARIFFS = Path(__file__).resolve().parents[2] / "resources" / "tariffs"

amounts = st.integers(0, 9_999_990).map(lambda n: Decimal(n).scaleb(-3))
percents = st.integers(0, 3000).map(lambda n: Decimal(n).scaleb(-2))
PERS: tuple[Per, ...] = ("month", "day")
KINDS: tuple[EnergyType, ...] = ("flat", "telescopic", "volume", "tou")
pers = st.sampled_from(PERS)
codes = st.text("ABCDEFGHIJ-", min_size=1, max_size=8)


@st.composite
def ladders(draw: st.DrawFn) -> tuple[Slab, ...]:
    limits = sorted(draw(st.sets(st.integers(1, 10**6), max_size=4)))
    rates = draw(st.lists(amounts, min_size=len(limits) + 1, max_size=len(limits) + 1))
    body = tuple(Slab(r, Decimal(u)) for r, u in zip(rates, limits, strict=False))
    return (*body, Slab(rates[-1]))


@st.composite
def energies(draw: st.DrawFn) -> EnergyCharge:
    kind = draw(st.sampled_from(KINDS))
    if kind == "flat":
        return EnergyCharge("flat", (EnergyPeriod("total", (Slab(draw(amounts)),)),))
    if kind != "tou":
        return EnergyCharge(kind, (EnergyPeriod("total", draw(ladders())),), draw(pers))
    n = draw(st.integers(1, 3))
    periods = tuple(EnergyPeriod(f"r{i}", draw(ladders()), draw(st.text("abc ", max_size=5)))
                    for i in range(n))
    rows = st.lists(st.integers(0, n - 1), min_size=24, max_size=24).map(tuple)
    schedule = draw(st.none() | st.builds(
        TouSchedule, st.lists(rows, min_size=12, max_size=12).map(tuple),
        st.lists(rows, min_size=12, max_size=12).map(tuple)))
    return EnergyCharge("tou", periods, draw(pers), schedule)


specs = st.builds(
    TariffSpec,
    fixed=st.lists(st.builds(FixedCharge, amounts, pers, codes), max_size=2).map(tuple),
    energy=st.none() | energies(),
    demand=st.lists(st.builds(DemandCharge, ladders(), st.sampled_from(["recorded",
                                                                        "sanctioned"]),
                              st.lists(st.integers(1, 12), max_size=3).map(tuple)),
                    max_size=2).map(tuple),
    minimum=st.none() | st.builds(MinimumCharge, amounts, pers),
    taxes=st.lists(st.one_of(st.builds(Tax, codes, st.just("t"), percents,
                                       st.sampled_from(["energy", "subtotal"])),
                             st.builds(Tax, codes, st.just("d"), per_kwh=amounts)),
                   max_size=3).map(tuple),
    subsidies=st.lists(st.builds(SubsidyBlock, amounts, amounts, pers, st.none() | amounts,
                                 st.lists(st.sampled_from(["residential", "bpl"]),
                                          max_size=2).map(tuple)), max_size=1).map(tuple),
    prompt_payment=st.none() | st.builds(PromptPaymentDiscount, percents),
    late_payment=st.none() | st.builds(LatePaymentSurcharge, percents, st.integers(0, 30),
                                       st.none() | amounts),
    rounding_step=st.none() | st.sampled_from([Decimal("0.05"), Decimal("1.00")]),
)


@settings(max_examples=200)
@given(specs)
def test_spec_round_trips_through_a_plain_dict(spec: TariffSpec) -> None:
    data = spec_to_dict(spec)
    assert spec_from_dict(data) == spec
    # the dict is plain data: str/int/list/dict only (what JSON and TOML hold)
    def plain(value: Any) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return isinstance(value, str | int) and not isinstance(value, bool)
    assert plain(data)


@settings(max_examples=50)
@given(specs, specs)
def test_tariff_round_trips_through_toml(first: TariffSpec, second: TariffSpec) -> None:
    tariff = Tariff("X-1", "Test", "commercial", "USD", (
        TariffVersion("X-1", 1, date(2024, 1, 1), first),
        TariffVersion("X-1", 2, date(2024, 7, 1), second)))
    assert parse_tariff_toml(tariff_to_toml(tariff)) == tariff


def test_example_files_read_and_round_trip() -> None:
    files = sorted(TARIFFS.glob("*.toml"))
    codes = {read_tariff_file(f).code for f in files}
    assert {"RES-1", "COM-TOU", "IND-MD", "AGR-1"} <= codes
    for f in files:
        tariff = read_tariff_file(f)
        assert tariff.currency == "USD"
        assert parse_tariff_toml(tariff_to_toml(tariff), source=f.name) == tariff
    res = read_tariff_file(TARIFFS / "res-1.toml")
    assert [v.version for v in res.versions] == [1, 2]
    assert res.versions[0].spec.subsidies[0].kwh == Decimal(50)


@pytest.mark.parametrize(("data", "where", "what"), [
    ({"energy": {"type": "telescopic", "slabs": [{"up_to": "100", "rate": 0.08}]}},
     "energy.slabs[0].rate", "float"),
    ({"energy": {"type": "telescopic", "slabs": [{"up_to": "100", "rate": "1"},
                                                 {"up_to": "50", "rate": "2"}]}},
     "energy.slabs[1].up_to", "must be above the previous limit 100"),
    ({"energy": {"type": "steps", "rate": "1"}}, "energy.type", "'steps' is not one of"),
    ({"fixed": [{"amount": "abc"}]}, "fixed[0].amount", "'abc' is not a number"),
    ({"fixed": [{"amount": "-1"}]}, "fixed[0].amount", "at least 0"),
    ({"taxes": [{"code": "VAT"}]}, "taxes[0]", "exactly one of"),
    ({"energy": {"type": "tou", "periods": [{"register": "a", "rate": "1"}],
                 "schedule": {"weekday": ["0" * 24] * 12, "weekend": ["0" * 23 + "1"] * 12}}},
     "energy.schedule.weekend[0]", "hour 23"),
    ({"rounding_step": "0"}, "rounding_step", "positive"),
    ({"colour": "red"}, "colour", "unknown key"),
])
def test_bad_specs_name_file_key_and_value(data: dict[str, Any], where: str, what: str
                                           ) -> None:
    with pytest.raises(ValidationError) as info:
        spec_from_dict(data, source="res.toml", path="versions[0]")
    assert info.value.location == f"res.toml: versions[0].{where}"
    assert what in str(info.value)


def test_bad_toml_files_are_located() -> None:
    with pytest.raises(ValidationError, match=r"x\.toml: versions\[1\]\.effective_from"):
        parse_tariff_toml('code = "A"\ncurrency = "USD"\n[[versions]]\neffective_from = '
                          '2024-02-01\n[[versions]]\neffective_from = 2024-01-01\n',
                          source="x.toml")
    with pytest.raises(ValidationError, match=r"x\.toml: currency"):
        parse_tariff_toml('code = "A"\ncurrency = "usd"\n', source="x.toml")
    with pytest.raises(ValidationError, match="not valid TOML"):
        parse_tariff_toml("code = ", source="x.toml")


# -- issue 17, point 4: a tariff is checked whole before it can bill anybody -------------

_NONSENSE = '''code = "BAD"
currency = "USD"
[[versions]]
version = 1
effective_from = 2024-01-01
energy = { type = "flat", rate = "-0.08" }
taxes = [{ code = "VAT", percent = "-500" }]
'''


def test_negative_rate_and_negative_vat_are_refused_together() -> None:
    with pytest.raises(ValidationError) as info:
        parse_tariff_toml(_NONSENSE, source="bad.toml")
    text = str(info.value)
    assert text.startswith("bad.toml: 2 problems:")
    assert "versions[0].energy.slabs[0].rate: tariff BAD v1, energy: rate -0.08 is negative" \
        in text
    assert "versions[0].taxes[0].percent: tariff BAD v1, tax VAT: -500% is outside 0-100%" \
        in text


@pytest.mark.parametrize(("body", "where", "what"), [
    ('energy = { type = "flat", rate = "100000000000000" }', "energy.slabs[0].rate",
     "rate 100000000000000 is above the ceiling of 9999.99"),
    ('demand = [{ rate = "-3" }]', "demand[0].slabs[0].rate", "rate -3 is negative"),
    ('taxes = [{ code = "VAT", percent = "150" }]', "taxes[0].percent", "150% is outside"),
    ('taxes = [{ code = "LEVY", per_kwh = "-0.01" }]', "taxes[0].per_kwh", "negative"),
    ('prompt_payment = { percent = "101" }', "prompt_payment.percent", "101% is outside"),
    ('late_payment = { percent = "1000" }', "late_payment.percent", "1000% is outside"),
    ('fixed = [{ amount = "10000000000" }]', "fixed[0].amount", "above the ceiling"),
    ('fixed = [{ amount = "9999999999.99" }]\ntaxes = [{ code = "VAT", percent = "5" }]',
     "fixed", "bill 10499999999.99 USD even at 0 kWh"),
    ('energy = { type = "telescopic", slabs = [{ up_to = "2000000000", rate = "0.1" }, '
     '{ rate = "0.2" }] }', "energy.slabs[0].up_to", "above the ceiling of 999999999.999"),
    ('rounding_step = "0.001"', "rounding_step", "whole number of USD minor units"),
])
def test_each_rule_names_file_version_component_and_value(body: str, where: str, what: str
                                                          ) -> None:
    text = ('code = "T"\ncurrency = "USD"\n[[versions]]\nversion = 1\n'
            f'effective_from = 2024-01-01\n{body}\n')
    with pytest.raises(ValidationError) as info:
        parse_tariff_toml(text, source="t.toml")
    assert info.value.location == f"t.toml: versions[0].{where}"
    assert what in str(info.value)


def test_duplicate_version_numbers_are_refused_naming_tariff_and_version() -> None:
    text = ('code = "RES-9"\ncurrency = "USD"\n'
            '[[versions]]\nversion = 2\neffective_from = 2024-01-01\n'
            '[[versions]]\nversion = 2\neffective_from = 2024-06-01\n')
    with pytest.raises(ValidationError) as info:
        parse_tariff_toml(text, source="res9.toml")
    assert info.value.location == "res9.toml: versions[1].version"
    assert "tariff RES-9 has version 2 twice" in str(info.value)


def test_rate_ceiling_keeps_every_line_inside_the_totals_ceiling() -> None:
    from ebs_desktop.domain.money import MAX_QUANTITY, MAX_TOTAL_MINOR
    from ebs_desktop.domain.tariffs.checks import MAX_RATE_MINOR, max_rate

    assert MAX_QUANTITY * MAX_RATE_MINOR <= MAX_TOTAL_MINOR
    assert max_rate("USD") == Decimal("9999.99") and max_rate("JPY") == Decimal(999999)
    assert max_rate("KWD") == Decimal("999.999")


def test_a_bill_beyond_the_amount_ceiling_is_refused_not_written() -> None:
    from ebs_desktop.domain.billcalc import AmountOverLimit, Usage, calculate_bill

    tariff = parse_tariff_toml('code = "T"\ncurrency = "USD"\n[[versions]]\nversion = 1\n'
                               'effective_from = 2024-01-01\n'
                               'energy = { type = "flat", rate = "9999.99" }\n')
    with pytest.raises(AmountOverLimit, match="beyond the ceiling"):
        calculate_bill(tariff.versions, date(2024, 1, 1), date(2024, 1, 31),
                       Usage(Decimal("999999999.999")))
    ok = calculate_bill(tariff.versions, date(2024, 1, 1), date(2024, 1, 31), Usage(Decimal(1)))
    assert str(ok.total) == "9999.99"
