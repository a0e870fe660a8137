"""Import of OpenEI Utility Rate Database (URDB) records into our tariff model.

URDB is the public US rate database; NREL's System Advisor Model (SAM) defines how its
fields price a month, and we follow it so imported tariffs give SAM's bills:

- a tier's price is ``rate + adj``; ``max`` is its upper limit in ``unit``: ``kWh`` per
  month or ``kWh daily`` (limit x days). Limits count the month's *total* kWh; with several
  TOU periods each period's kWh is spread over the tiers in proportion to its share
  (our ``EnergyCharge`` rule, so nothing special is needed at billing time);
- ``energyweekdayschedule``/``energyweekendschedule`` (12 x 24 period indexes) become the
  TOU schedule; periods become registers ``p0``, ``p1``... (a one-period record is a flat
  or telescopic tariff on the total);
- ``fixedchargefirstmeter`` with ``fixedchargeunits`` ``$/month`` or ``$/day``, or the older
  ``fixedmonthlycharge``; ``mincharge``/``minchargeunits`` or the older ``minmonthlycharge``
  become a minimum on energy + fixed;
- ``flatdemandstructure`` with ``flatdemandmonths`` becomes one seasonal demand charge per
  structure on recorded maximum demand;
- ``demandratestructure`` with ``demandweekdayschedule``/``demandweekendschedule`` becomes
  time-of-use demand (:class:`TouDemandCharge`): in each month, every demand period the
  month's schedules use is charged on the highest kW of its hours (demand registers ``d0``,
  ``d1``...) through its own tiers, added to the flat demand charge;
- SAM's monthly minimum is a floor on the whole monthly bill before taxes (energy, fixed
  and demand), so an imported minimum has ``with_demand``.

Every price (``rate + adj``) and amount is checked as any tariff is
(:mod:`ebs_desktop.domain.tariffs.checks`): a negative price or one above the ceiling is
refused with its place in the record. What a monthly bill cannot express (annual
minimums, demand ratchets, coincident demand, net-metering sell rates) is left out and
listed in ``UrdbImport.notes``. Numbers are read with ``parse_float=Decimal`` so the
published digits are kept exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ebs_desktop.domain.tariffs.checks import check_tariff, max_amount, rate_problem
from ebs_desktop.domain.tariffs.model import (
    DemandCharge,
    DemandPeriod,
    EnergyCharge,
    EnergyPeriod,
    FixedCharge,
    MinimumCharge,
    Per,
    Slab,
    Tariff,
    TariffSpec,
    TariffVersion,
    TouDemandCharge,
    TouSchedule,
)
from ebs_desktop.errors import ValidationError

NO_LIMIT = Decimal("1e30")  # URDB writes "no upper limit" as 1e38
_SECTORS = {"residential": "residential", "commercial": "commercial",
            "industrial": "industrial", "lighting": "public", "agricultural": "agricultural"}
_UNSUPPORTED = {
    "annualmincharge": "annual minimum charge",
    "coincidentratestructure": "coincident demand charges",
    "fixedchargeeaaddl": "charges for additional meters",
}


@dataclass(frozen=True, slots=True)
class UrdbImport:
    tariff: Tariff
    notes: tuple[str, ...]


def urdb_records(data: object, *, source: str = "urdb") -> list[dict[str, Any]]:
    """The tariff records of a URDB document: one record, or an API response's ``items``."""
    if isinstance(data, dict) and "items" in data:
        items = data["items"]
        if not isinstance(items, list) or not items:
            raise ValidationError("'items' holds no tariff", location=f"{source}: items")
        return [r for r in items if isinstance(r, dict)]
    if isinstance(data, dict):
        return [data]
    raise ValidationError("expected a URDB tariff record or an API response with 'items'",
                          location=source)


def _dec(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise ValidationError(f"expected a number, got {value!r}", location=where)
    return Decimal(value)


def _tiers(tiers: object, where: str) -> tuple[tuple[Slab, ...], str | None]:
    if not isinstance(tiers, list) or not tiers:
        raise ValidationError(f"expected a list of tiers, got {tiers!r}", location=where)
    slabs = []
    units = set()
    for i, tier in enumerate(tiers):
        at = f"{where}[{i}]"
        if not isinstance(tier, dict) or "rate" not in tier:
            raise ValidationError(f"a tier needs 'rate', got {tier!r}", location=at)
        price = _dec(tier["rate"], f"{at}.rate") + _dec(tier.get("adj", 0), f"{at}.adj")
        problem = rate_problem(price, "price (rate + adj)", "USD")
        if problem:
            raise ValidationError(problem, location=f"{at}.rate")
        limit = tier.get("max")
        up_to = None
        if limit is not None and i < len(tiers) - 1:
            up_to = _dec(limit, f"{at}.max")
            up_to = None if up_to >= NO_LIMIT else up_to
        slabs.append(Slab(rate=price, up_to=up_to))
        if "unit" in tier:
            units.add(str(tier["unit"]))
    if len(units) > 1:
        raise ValidationError(f"tiers mix units {sorted(units)}", location=where)
    return tuple(slabs), (units.pop() if units else None)


def _schedule(record: dict[str, Any], key: str, periods: int, source: str
              ) -> tuple[tuple[int, ...], ...]:
    rows = record.get(key)
    where = f"{source}: {key}"
    if not isinstance(rows, list) or len(rows) != 12:
        raise ValidationError("expected 12 months x 24 hours", location=where)
    out = []
    for m, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != 24:
            raise ValidationError(f"month {m}: expected 24 hours", location=where)
        values = tuple(int(_dec(v, where)) for v in row)
        if any(not 0 <= v < periods for v in values):
            raise ValidationError(f"month {m}: period index out of range 0..{periods - 1}",
                                  location=where)
        out.append(values)
    return tuple(out)


def _amount(record: dict[str, Any], key: str, source: str) -> Decimal:
    value = _dec(record[key], f"{source}: {key}")
    if not 0 <= value <= max_amount("USD"):
        raise ValidationError(f"{value} is not an amount within 0-{max_amount('USD')}",
                              location=f"{source}: {key}")
    return value


def _per(units: object, key: str, source: str) -> Per:
    if units in (None, "$/month"):
        return "month"
    if units == "$/day":
        return "day"
    raise ValidationError(f"unsupported unit {units!r} ($/month or $/day)",
                          location=f"{source}: {key}")


def _energy(record: dict[str, Any], source: str) -> EnergyCharge | None:
    structure = record.get("energyratestructure")
    if not structure:
        return None
    if not isinstance(structure, list):
        raise ValidationError("expected a list of periods", location=f"{source}: "
                              "energyratestructure")
    ladders = [_tiers(p, f"{source}: energyratestructure[{i}]") for i, p in enumerate(structure)]
    units = {u for _, u in ladders if u is not None} or {"kWh"}
    if len(units) > 1 or not units <= {"kWh", "kWh daily"}:
        raise ValidationError(f"tier units {sorted(units)} are not supported (kWh, kWh daily)",
                              location=f"{source}: energyratestructure")
    limits_per: Per = "day" if units == {"kWh daily"} else "month"
    if len(ladders) == 1:
        slabs = ladders[0][0]
        return EnergyCharge(type="flat" if len(slabs) == 1 else "telescopic",
                            periods=(EnergyPeriod("total", slabs),), limits_per=limits_per)
    periods = tuple(EnergyPeriod(f"p{i}", slabs, f"period {i}")
                    for i, (slabs, _) in enumerate(ladders))
    schedule = TouSchedule(
        weekday=_schedule(record, "energyweekdayschedule", len(periods), source),
        weekend=_schedule(record, "energyweekendschedule", len(periods), source))
    return EnergyCharge(type="tou", periods=periods, limits_per=limits_per, schedule=schedule)


def _demand(record: dict[str, Any], source: str) -> tuple[DemandCharge, ...]:
    structure = record.get("flatdemandstructure")
    if not structure:
        return ()
    unit = record.get("flatdemandunit", "kW")
    if unit != "kW":
        raise ValidationError(f"flat demand unit {unit!r} is not supported (kW)",
                              location=f"{source}: flatdemandunit")
    months = record.get("flatdemandmonths") or [0] * 12
    indexes = [int(_dec(m, f"{source}: flatdemandmonths")) for m in months]
    charges = []
    for i, tiers in enumerate(structure):
        used = tuple(m + 1 for m, idx in enumerate(indexes) if idx == i)
        if not used:
            continue
        slabs, _ = _tiers(tiers, f"{source}: flatdemandstructure[{i}]")
        charges.append(DemandCharge(slabs=slabs, months=() if len(used) == 12 else used,
                                    description="Demand charge"))
    return tuple(charges)


def _tou_demand(record: dict[str, Any], source: str) -> TouDemandCharge | None:
    structure = record.get("demandratestructure")
    if not structure:
        return None
    where = f"{source}: demandratestructure"
    if not isinstance(structure, list):
        raise ValidationError("expected a list of periods", location=where)
    unit = record.get("demandrateunit", "kW")
    if unit != "kW":
        raise ValidationError(f"demand unit {unit!r} is not supported (kW)",
                              location=f"{source}: demandrateunit")
    periods = []
    for i, tiers in enumerate(structure):
        slabs, tier_unit = _tiers(tiers, f"{where}[{i}]")
        if tier_unit not in (None, "kW"):
            raise ValidationError(f"tier unit {tier_unit!r} is not supported (kW)",
                                  location=f"{where}[{i}]")
        periods.append(DemandPeriod(f"d{i}", slabs, f"period {i}"))
    if len(periods) == 1 and "demandweekdayschedule" not in record:
        always = tuple((0,) * 24 for _ in range(12))
        schedule = TouSchedule(always, always)
    else:
        schedule = TouSchedule(
            weekday=_schedule(record, "demandweekdayschedule", len(periods), source),
            weekend=_schedule(record, "demandweekendschedule", len(periods), source))
    return TouDemandCharge(tuple(periods), schedule)


def urdb_record_to_tariff(record: dict[str, Any], *, code: str | None = None,
                          source: str = "urdb", default_start: date = date(2000, 1, 1)
                          ) -> UrdbImport:
    """One URDB record as a one-version tariff in USD, with notes on what was left out."""
    notes = [f"{what} ({key}) not imported" for key, what in _UNSUPPORTED.items()
             if record.get(key)]
    ratchet = record.get("demandratchetpercentage")
    if isinstance(ratchet, list) and any(_dec(v, f"{source}: demandratchetpercentage")
                                         for v in ratchet):
        notes.append("demand ratchet (demandratchetpercentage) not imported")
    lookback = sorted(k for k in record if k.lower().startswith("lookback") and record[k])
    if lookback:
        notes.append(f"demand ratchet ({', '.join(lookback)}) not imported")
    fixed: tuple[FixedCharge, ...] = ()
    if record.get("fixedchargefirstmeter") is not None:
        fixed = (FixedCharge(_amount(record, "fixedchargefirstmeter", source),
                             _per(record.get("fixedchargeunits"), "fixedchargeunits", source)),)
    elif record.get("fixedmonthlycharge") is not None:
        fixed = (FixedCharge(_amount(record, "fixedmonthlycharge", source)),)
    minimum = None
    if record.get("mincharge") is not None:
        minimum = MinimumCharge(_amount(record, "mincharge", source),
                                _per(record.get("minchargeunits"), "minchargeunits", source),
                                with_demand=True)
    elif record.get("minmonthlycharge") is not None:
        minimum = MinimumCharge(_amount(record, "minmonthlycharge", source), with_demand=True)
    spec = TariffSpec(fixed=fixed, energy=_energy(record, source),
                      demand=_demand(record, source), minimum=minimum,
                      demand_tou=_tou_demand(record, source))
    start = record.get("startdate")
    effective = (datetime.fromtimestamp(int(start), tz=UTC).date() if start is not None
                 else default_start)
    label = str(record.get("label", ""))
    tariff_code = code or (f"URDB-{label[:8]}" if label else "URDB")
    sector = str(record.get("sector", "")).lower()
    category = _SECTORS.get(sector, "commercial")
    if sector not in _SECTORS:
        notes.append(f"sector {record.get('sector')!r} unknown: category set to commercial")
    description = " ".join(str(record.get(k, "")) for k in ("utility", "uri")).strip()
    tariff = Tariff(code=tariff_code, name=str(record.get("name", tariff_code)),
                    category=category, currency="USD",
                    versions=(TariffVersion(tariff_code, 1, effective, spec),),
                    description=description)
    check_tariff(tariff, source=f"{source} (as imported)")
    return UrdbImport(tariff, tuple(notes))


def parse_urdb_json(text: str, *, code: str | None = None, source: str = "urdb.json",
                    label: str | None = None) -> UrdbImport:
    """A URDB JSON document (one record or ``items``); ``label`` picks one of several."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"not valid JSON: {exc.msg}",
                              location=f"{source}:{exc.lineno}") from None
    records = urdb_records(data, source=source)
    if label is not None:
        records = [r for r in records if r.get("label") == label]
        if not records:
            raise ValidationError(f"no record with label {label!r}", location=source)
    if len(records) > 1:
        labels = ", ".join(str(r.get("label")) for r in records)
        raise ValidationError(f"{len(records)} tariffs in the file; choose one by label: "
                              f"{labels}", location=source)
    return urdb_record_to_tariff(records[0], code=code, source=source)


def read_urdb_file(path: Path | str, *, code: str | None = None, label: str | None = None
                   ) -> UrdbImport:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"cannot read: {exc.strerror}", location=str(p)) from None
    except UnicodeDecodeError as exc:
        raise ValidationError(f"not UTF-8 text (byte {exc.start})", location=str(p)) from None
    return parse_urdb_json(text, code=code, source=p.name, label=label)
