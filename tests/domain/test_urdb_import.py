"""URDB import: the five reference records priced as NREL SAM prices them.

Each expected bill is worked by hand in the test from the record's numbers
(tier price = rate + adj), one line rounded half up at a time.
"""

from __future__ import annotations

import calendar
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ebs_desktop.domain.billcalc import Usage, calculate_bill
from ebs_desktop.domain.tariffs import Tariff, parse_tariff_toml, tariff_to_toml
from ebs_desktop.domain.tariffs.urdb import parse_urdb_json, read_urdb_file
from ebs_desktop.errors import ValidationError
from tests.conformance import conformance_dir

REF = Path(__file__).resolve().parents[1] / "data" / "reference" / "tariffs-urdb"
D = Decimal
JAN = (date(2024, 1, 1), date(2024, 1, 31))
JUL = (date(2024, 7, 1), date(2024, 7, 31))


def load(name: str) -> Tariff:
    return read_urdb_file(REF / name).tariff


def by_code(tariff: Tariff, period: tuple[date, date], usage: Usage) -> dict[str, str]:
    bill = calculate_bill(tariff.versions, *period, usage)
    assert sum(line.amount_minor for line in bill.lines) == bill.total.minor
    return {line.code: str(line.amount) for line in bill.lines} | {"TOTAL": str(bill.total)}


def test_fpl_rs1_reference_fact_2000_kwh() -> None:
    # README fact: 2,000 kWh in a month = 195.24 energy + 7.57 fixed.
    # 1000 x (0.07531 + 0.0119) = 87.21; 1000 x (0.09613 + 0.0119) = 108.03.
    tariff = load("fpl_rs1_residential_5550d6fd.json")
    lines = by_code(tariff, JAN, Usage(D(2000)))
    assert lines == {"FIXED": "7.57", "ENERGY-1": "87.21", "ENERGY-2": "108.03",
                     "TOTAL": "202.81"}
    assert D(lines["ENERGY-1"]) + D(lines["ENERGY-2"]) == D("195.24")
    # and twelve such months: 2,342.88 of energy in the year
    months = [(date(2023, m, 1), date(2023, m, calendar.monthrange(2023, m)[1]))
              for m in range(1, 13)]
    year = sum(D(by_code(tariff, period, Usage(D(2000)))["TOTAL"]) for period in months)
    assert year == D("2342.88") + 12 * D("7.57")
    assert tariff.category == "residential"
    assert tariff.versions[0].effective_from == date(2015, 6, 1)


def test_xcel_re_tou_with_registers() -> None:
    # January: periods 0, 1, 2 (winter). p0 300 x (0.06387 + 0.035187 = 0.099057) = 29.7171
    # -> 29.72; p1 200 x (0.08623 + 0.0085112 = 0.0947412) = 18.94824 -> 18.95;
    # p2 100 x (0.10858 + 0.049546 = 0.158126) = 15.8126 -> 15.81; fixed 5.71: 70.19.
    tariff = load("xcel_psco_re_tou_61894054.json")
    regs = {"p0": D(300), "p1": D(200), "p2": D(100), "p3": D(0), "p4": D(0)}
    assert by_code(tariff, JAN, Usage(D(600), regs)) == {
        "FIXED": "5.71", "ENERGY-P0": "29.72", "ENERGY-P1": "18.95", "ENERGY-P2": "15.81",
        "TOTAL": "70.19"}


def test_xcel_re_tou_total_split_by_the_schedule() -> None:
    # July 2024 (summer: periods 0, 3, 4), 1 kWh every hour = 744 kWh. 23 weekdays
    # (12 h p0, 8 h p3 [9-13, 18-20], 4 h p4 [14-17]) and 8 weekend days (12 h p0, 12 h p3):
    # p0 372, p3 280, p4 92 kWh. 372 x 0.099057 = 36.849204 -> 36.85;
    # 280 x (0.11816 + 0.0070699) = 35.064372 -> 35.06; 92 x (0.17246 + 0.047412)
    # = 20.228224 -> 20.23; + 5.71 = 97.85.
    tariff = load("xcel_psco_re_tou_61894054.json")
    assert by_code(tariff, JUL, Usage(D(744))) == {
        "FIXED": "5.71", "ENERGY-P0": "36.85", "ENERGY-P3": "35.06", "ENERGY-P4": "20.23",
        "TOTAL": "97.85"}


def test_nipsco_724_tiers_and_flat_demand() -> None:
    # 150,000 kWh, 500 kW. Tiers (rate + 0.007795): 30,000 x 0.084598 = 2537.94;
    # 70,000 x 0.076898 = 5382.86; 50,000 x 0.073348 = 3667.40. Demand: first 50 kW at 0,
    # 450 x 12.49 = 5620.50. Fixed 954.50. Total 18,163.20.
    tariff = load("nipsco_rate724_5c5afec3.json")
    assert by_code(tariff, JAN, Usage(D(150000), demand_kw=D(500))) == {
        "FIXED": "954.50", "ENERGY-1": "2537.94", "ENERGY-2": "5382.86",
        "ENERGY-3": "3667.40", "DEMAND-1": "0.00", "DEMAND-2": "5620.50",
        "TOTAL": "18163.20"}
    assert tariff.category == "industrial"


def test_xcel_rd_seasonal_demand() -> None:
    # Energy 800 x (0.01974 + 0.0283685 = 0.0481085) = 38.4868 -> 38.49; fixed 15.91.
    # July (flatdemandmonths index 1): 5 kW x (10.08 + 1.43) = 57.55 -> 111.95.
    # January (index 0): 5 kW x (7.76 + 1.38) = 45.70 -> 100.10.
    tariff = load("xcel_psco_rd_residential_demand_5a679442.json")
    usage = Usage(D(800), demand_kw=D(5))
    assert by_code(tariff, JUL, usage) == {"FIXED": "15.91", "ENERGY": "38.49",
                                           "DEMAND": "57.55", "TOTAL": "111.95"}
    assert by_code(tariff, JAN, usage)["TOTAL"] == "100.10"
    with pytest.raises(ValidationError, match="demand"):
        calculate_bill(tariff.versions, *JAN, Usage(D(800)))


MINCHARGES = "pysam_test_urdbv7_mincharges.json"
# January in the PySAM record: every energy hour is period 1 (tiers 100 / above); demand
# period 0 is weekdays 15:00-19:59, period 1 the other hours; flat demand structure 0.
SAM_JAN = {"FIXED": "35.28", "ENERGY-P1-1": "5.69", "DEMAND": "2.78", "DEMAND-D0-1": "8.40",
           "DEMAND-D1-1": "3.48"}


def _mincharges(**changes: object) -> Tariff:
    record = json.loads((REF / MINCHARGES).read_text(encoding="utf-8"),
                        parse_float=D)
    return parse_urdb_json(json.dumps(record | changes, default=str)).tariff


def test_pysam_mincharges_bills_what_sam_bills_for_january() -> None:
    # The January: 320 kWh with a 0.43 kW maximum, in both demand periods.
    # Energy 100 x 0.056908998638391495 = 5.69; 220 x 0.06907899677753448 = 15.1974 -> 15.20.
    # Flat demand 0.43 x 6.46 = 2.7778 -> 2.78. TOU demand (tiers per period, SAM's rule):
    # d0 0.43 x 19.539 = 8.4018 -> 8.40; d1 0.43 x 8.091 = 3.4791 -> 3.48. Fixed 35.28.
    # 70.83 (58.95 before time-of-use demand was imported).
    result = read_urdb_file(REF / MINCHARGES)
    usage = Usage(D(320), demand_kw=D("0.43"), demand_registers={"d0": D("0.43"),
                                                                  "d1": D("0.43")})
    assert by_code(result.tariff, JAN, usage) == SAM_JAN | {"ENERGY-P1-2": "15.20",
                                                            "TOTAL": "70.83"}
    assert any("annual minimum" in note for note in result.notes)
    assert not any("demand" in note for note in result.notes)
    with pytest.raises(ValidationError, match=r"demand_registers.*d0, d1"):
        calculate_bill(result.tariff.versions, *JAN, Usage(D(320), demand_kw=D(1)))


def test_pysam_mincharges_against_sam_outputs() -> None:
    """NREL PySAM 7.1.1 Utilityrate5 on this record (fixedmonthlycharge given as
    ur_monthly_fixed_charge), January of an hourly load, per component: energy, flat
    demand, TOU demand, minimum, bill. Ours rounds each line to the cent."""
    tariff = load(MINCHARGES)
    # 0.43 kW every hour: 319.92 kWh. SAM: ec 20.8828, dc flat 2.7778, dc TOU 11.8809,
    # bill 70.8215. Ours: 5.69 + 219.92 x 0.069079 = 15.19, the demand lines as above.
    flat = Usage(D("319.92"), demand_kw=D("0.43"), demand_registers={"d0": D("0.43"),
                                                                      "d1": D("0.43")})
    assert by_code(tariff, JAN, flat) == SAM_JAN | {"ENERGY-P1-2": "15.19", "TOTAL": "70.82"}
    # One hour of 150 kW at 03:00 on a weekday (period 1), 0.43 kW otherwise: 469.49 kWh.
    # SAM: ec 31.2149, dc flat 969.00, dc TOU 1051.3017 (d1: 100 x 8.091 + 50 x 4.676).
    spike = Usage(D("469.49"), demand_kw=D(150), demand_registers={"d0": D("0.43"),
                                                                    "d1": D(150)})
    lines = by_code(tariff, JAN, spike)
    assert (lines["ENERGY-P1-1"], lines["ENERGY-P1-2"]) == ("5.69", "25.52")  # 31.21
    assert lines["DEMAND"] == "969.00"
    assert (lines["DEMAND-D0-1"], lines["DEMAND-D1-1"], lines["DEMAND-D1-2"]) == (
        "8.40", "809.10", "233.80")  # 1051.30
    # A monthly minimum of 80: SAM floors the whole bill (demand included) at 80.00 with a
    # minimum charge of 9.1785; ours tops the cent-rounded 70.82 up by 9.18.
    floor = _mincharges(minmonthlycharge=80)
    assert by_code(floor, JAN, flat) == SAM_JAN | {"ENERGY-P1-2": "15.19", "MINIMUM": "9.18",
                                                   "TOTAL": "80.00"}


def test_pysam_mincharges_seasons() -> None:
    # May: flat demand structure 2 (13.87); both demand periods occur. d0 10 x
    # 19.538999557495117 = 195.38999 -> 195.39; d1 5 x 8.090999603271484 = 40.454998 -> 40.45.
    tariff = load(MINCHARGES)
    usage = Usage(D(200), {"p0": D(50), "p1": D(150)}, demand_kw=D(10),
                  demand_registers={"d0": D(10), "d1": D(5)})
    lines = by_code(tariff, (date(2024, 5, 1), date(2024, 5, 31)), usage)
    assert lines["DEMAND"] == "138.70"
    assert (lines["DEMAND-D0-1"], lines["DEMAND-D1-1"]) == ("195.39", "40.45")


@pytest.mark.parametrize("name", ["fpl_rs1_residential_5550d6fd.json",
                                  "nipsco_rate724_5c5afec3.json", MINCHARGES,
                                  "xcel_psco_rd_residential_demand_5a679442.json",
                                  "xcel_psco_re_tou_61894054.json"])
def test_every_corpus_record_imports(name: str) -> None:
    folder = conformance_dir("urdb")
    assert name in {p.name for p in folder.glob("*.json")}
    result = read_urdb_file(folder / name)
    record = json.loads((folder / name).read_text(encoding="utf-8"))
    version = result.tariff.versions[0]
    assert (version.spec.demand_tou is not None) == bool(record.get("demandratestructure"))
    assert parse_tariff_toml(tariff_to_toml(result.tariff)) == result.tariff
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(
        ["fpl_rs1_residential_5550d6fd.json", "nipsco_rate724_5c5afec3.json", MINCHARGES,
         "xcel_psco_rd_residential_demand_5a679442.json", "xcel_psco_re_tou_61894054.json"])


def test_urdb_prices_are_checked_where_they_stand() -> None:
    bad = {"energyratestructure": [[{"rate": "0.10", "adj": "-0.25"}]], "label": "neg"}
    with pytest.raises(ValidationError, match=r"energyratestructure\[0\]\[0\]\.rate.*"
                                              r"-0\.15 is negative"):
        parse_urdb_json(json.dumps(bad), source="neg.json")
    huge = {"demandratestructure": [[{"rate": "1e14"}]], "label": "big"}
    with pytest.raises(ValidationError, match=r"demandratestructure\[0\]\[0\]\.rate.*ceiling"):
        parse_urdb_json(json.dumps(huge), source="big.json")
    with pytest.raises(ValidationError, match=r"fixedmonthlycharge"):
        parse_urdb_json(json.dumps({"fixedmonthlycharge": "-5"}), source="f.json")
    ratchet = {"energyratestructure": [[{"rate": "0.1"}]],
               "demandratchetpercentage": [0] * 11 + [80], "lookbackMonths": 11}
    notes = parse_urdb_json(json.dumps(ratchet)).notes
    assert any("demandratchetpercentage" in n for n in notes)
    assert any("lookbackMonths" in n for n in notes)


def test_minimum_is_a_floor_on_energy_plus_fixed() -> None:
    # SAM: minimum 20.00 a month; 50 kWh x 0.10 = 5.00 + fixed 3.00 = 8.00 -> top-up 12.00.
    record = {"energyratestructure": [[{"rate": 0.1, "unit": "kWh"}]],
              "fixedchargefirstmeter": 3, "fixedchargeunits": "$/month", "mincharge": 20,
              "minchargeunits": "$/month", "sector": "Commercial", "label": "abc"}
    tariff = parse_urdb_json(json.dumps(record), code="T-MIN").tariff
    assert by_code(tariff, JAN, Usage(D(50))) == {"FIXED": "3.00", "ENERGY": "5.00",
                                                  "MINIMUM": "12.00", "TOTAL": "20.00"}
    assert by_code(tariff, JAN, Usage(D(500)))["TOTAL"] == "53.00"


def test_daily_tiers_and_daily_fixed_charge() -> None:
    # kWh daily: limit 10 x 30 days (June) = 300 kWh. 400 kWh: 300 x 0.10 + 100 x 0.20 = 50.00;
    # $/day fixed 0.50 x 30 = 15.00.
    record = {"items": [{"energyratestructure": [[{"max": 10, "rate": "0.10",
                                                   "unit": "kWh daily"},
                                                  {"rate": "0.20", "unit": "kWh daily"}]],
                         "fixedchargefirstmeter": "0.50", "fixedchargeunits": "$/day",
                         "sector": "Residential"}]}
    tariff = parse_urdb_json(json.dumps(record)).tariff
    lines = by_code(tariff, (date(2024, 6, 1), date(2024, 6, 30)), Usage(D(400)))
    assert lines == {"FIXED": "15.00", "ENERGY-1": "30.00", "ENERGY-2": "20.00",
                     "TOTAL": "65.00"}


def test_imported_tariff_round_trips_through_toml() -> None:
    for name in sorted(p.name for p in REF.glob("*.json")):
        tariff = load(name)
        assert parse_tariff_toml(tariff_to_toml(tariff)) == tariff, name


def test_bad_documents_are_refused_with_their_place() -> None:
    with pytest.raises(ValidationError, match=r"x\.json:1"):
        parse_urdb_json("{not json", source="x.json")
    with pytest.raises(ValidationError, match=r"energyratestructure\[0\]\[0\]"):
        parse_urdb_json(json.dumps({"energyratestructure": [[{"max": 5}]]}))
    with pytest.raises(ValidationError, match="choose one by label"):
        parse_urdb_json(json.dumps({"items": [{"label": "a"}, {"label": "b"}]}))
    with pytest.raises(ValidationError, match="kWh/kW"):
        parse_urdb_json(json.dumps({"energyratestructure": [[{"rate": 1, "unit": "kWh/kW"}]]}))
