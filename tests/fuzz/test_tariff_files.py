"""Tariff files (TOML, ``ebs tariff import``) under fuzz, on both backends.

Each case is a one-version tariff whose money fields (fixed charge, slab limits and rates,
subsidy, minimum, duty, VAT, prompt-payment and late-payment terms, rounding step) take a
valid value, a boundary value (negative, 1e14, 1e309, NaN, too many decimals...), a bare
TOML number instead of a string, or junk; the file may carry bytes that are not UTF-8 or
be cut off. Property: the tariff is refused with a located error and the database
unchanged, or stored as written and then bills sanely: an ordinary month (0 to 1,000 kWh)
bills, no bill up to 100,000 kWh crashes or is negative, and every amount is within the
ceiling (a huge month may be refused as beyond it, with an ``EbsError``).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ebs_desktop.domain.billcalc import AccountFacts, Usage, calculate_bill
from ebs_desktop.domain.money import MAX_AMOUNT_MINOR
from ebs_desktop.domain.tariffs import read_tariff_file
from ebs_desktop.errors import EbsError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services import tariffs
from ebs_desktop.services.actor import system_actor
from tests.fuzz.checksum import changes, snapshot
from tests.fuzz.profiles import cases_for, fuzz_settings
from tests.fuzz.strategies import BOUNDARY_AMOUNTS, junk, number_like

ACTOR = system_actor("fuzz")
TEMPLATE = """code = "{code}"
name = "Fuzz tariff"
category = "residential"
currency = "USD"

[[versions]]
version = 1
effective_from = 2026-01-01
rounding_step = {step}

[[versions.fixed]]
code = "FIXED"
description = "Customer charge"
amount = {fixed}
per = "month"

[versions.energy]
type = "telescopic"
limits_per = "month"
slabs = [{{ up_to = {limit}, rate = {rate1} }}, {{ rate = {rate2} }}]

[[versions.subsidies]]
code = "LIFELINE"
description = "Lifeline block"
kwh = {sub_kwh}
rate = {sub_rate}
limits_per = "month"
eligible_up_to = "100"
categories = []

[versions.minimum]
amount = {minimum}
per = "month"

[[versions.taxes]]
code = "DUTY"
description = "Electricity duty"
per_kwh = {duty}

[[versions.taxes]]
code = "VAT"
description = "Sales tax"
percent = {vat}
base = "subtotal"

[versions.prompt_payment]
percent = {prompt}
base = "energy"

[versions.late_payment]
percent = {late}
grace_days = 10
cap = {cap}
"""
VALID = {"step": "0.05", "fixed": "4.50", "limit": "100", "rate1": "0.08", "rate2": "0.11",
         "sub_kwh": "50", "sub_rate": "0.03", "minimum": "6.00", "duty": "0.005",
         "vat": "5", "prompt": "1", "late": "1.5", "cap": "25.00"}
FIELDS = tuple(VALID)
KWH = (0, 1, 50, 99, 100, 101, 250, 1000, 100_000)
ORDINARY_KWH = 1000

rate_like = st.one_of(
    st.decimals(min_value=0, max_value=50, places=4, allow_nan=False).map(lambda d: f"{d:f}"),
    st.sampled_from(("-0.08", "-500", "1e14", "1e15", "100000000000000", "0", "100", "101",
                     "1000", "0.00001")))
value_texts = st.one_of(rate_like, st.sampled_from(BOUNDARY_AMOUNTS), number_like, junk)
literal = st.one_of(value_texts.map(lambda t: json.dumps(t, ensure_ascii=False)),
                    value_texts.map(lambda t: json.dumps(t, ensure_ascii=False)),
                    st.sampled_from(("1e309", "nan", "inf", "-5", "0.1", "99999999999999999999",
                                     "5", "true", "[]")))
"""A field as written in the file: usually a TOML string, sometimes a bare TOML value."""
damage = st.one_of(st.none(), st.none(), st.tuples(st.just("cut"), st.integers(0, 2000)),
                   st.tuples(st.just("bytes"), st.integers(0, 2000)))


def _file(code: str, fields: dict[str, str], how: tuple[str, int] | None) -> bytes:
    data = TEMPLATE.format(code=code, **fields).encode("utf-8", "surrogateescape")
    if how is None:
        return data
    kind, at = how
    at %= len(data)
    return data[:at] if kind == "cut" else data[:at] + b"\xff\xfe" + data[at:]


def _bills_sanely(tariff_file: Path) -> None:
    """An ordinary month (up to 1,000 kWh) bills; a huge one may be refused as beyond the
    ceiling (the billing run then reports that account), never crash or go negative."""
    tariff = read_tariff_file(tariff_file)
    for kwh in KWH:
        try:
            bill = calculate_bill(tariff.versions, date(2026, 5, 1), date(2026, 5, 31),
                                  Usage(Decimal(kwh)), AccountFacts(), "USD", None)
        except EbsError as exc:
            assert kwh > ORDINARY_KWH, f"{kwh} kWh cannot be billed: {exc}"
            continue
        amounts = [line.amount.minor for line in bill.lines]
        assert bill.total.minor >= 0, f"a bill of {bill.total} for {kwh} kWh"
        assert all(abs(m) <= MAX_AMOUNT_MINOR for m in
                   [*amounts, bill.total.minor, bill.after_due.minor]), (
            f"{kwh} kWh: amounts beyond the ceiling: {bill.total}, {bill.after_due}")


@pytest.mark.timeout(900)
def test_tariff_is_stored_as_written_and_bills_sanely_or_refused(fuzz_db: Database,
                                                                  tmp_path: Path) -> None:
    db = fuzz_db
    state = {"before": snapshot(db), "cases": 0, "stored": 0}

    @fuzz_settings(db.backend)
    @given(changed=st.dictionaries(st.sampled_from(FIELDS), literal, max_size=3), how=damage)
    def case(changed: dict[str, str], how: tuple[str, int] | None) -> None:
        state["cases"] += 1
        code = f"FZ{state['cases']}"
        fields = {k: json.dumps(v) for k, v in VALID.items()} | changed
        path = tmp_path / f"{code.lower()}.toml"
        path.write_bytes(_file(code, fields, how))
        try:  # what ``ebs tariff import FILE`` does
            tariff = read_tariff_file(path)
            tariffs.save_tariff(db, ACTOR, tariff)
        except EbsError as exc:
            location = getattr(exc, "location", None) or ""
            assert path.name in location, f"{exc} does not name the file"
            moved = changes(state["before"], snapshot(db))
            assert not moved, f"{changed} refused ({exc}) but changed {moved}"
            return
        with db.read() as s:
            stored = tariffs.load_tariff(s, tariff.code)
        assert stored.versions == tariff.versions, "the stored tariff differs from the file"
        _bills_sanely(path)
        state["stored"] += 1
        state["before"] = snapshot(db)

    case()
    assert state["cases"] >= cases_for(db.backend)
    assert state["stored"], "no tariff was ever stored"
