"""A tariff version in words: one row per price a customer pays, in the order a bill lists them.

Why: staff check a tariff against the regulator's schedule, which reads "Energy, first 100
kWh: 0.085 per kWh", not a JSON tree (``limits_per: month``, ``#1``). The rows carry the
rate as a ``Decimal`` and what it is per, so the screen formats numbers by its locale and a
test can compare values. Block labels use the same words as the bill lines
(:mod:`ebs_desktop.domain.billcalc.compiled`: first, next, over).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ebs_desktop.domain.tariffs.model import Slab, TariffSpec

Kind = Literal["money", "percent"]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class PriceRow:
    """``section`` (Fixed, Energy, ...), ``label`` (words), ``rate`` (in the tariff's currency
    when ``kind`` is money, else a percentage; None for a row that only explains), ``per``
    (kWh, kW, month, day, or "") and a ``note`` (how it applies)."""

    section: str
    label: str
    rate: Decimal | None
    kind: Kind
    per: str
    note: str = ""


def _n(value: Decimal) -> str:
    return f"{value.normalize():f}"


def block_labels(label: str, slabs: tuple[Slab, ...], unit: str) -> list[str]:
    """``Energy`` with limits 100, 300, none -> first 100 kWh, next 200 kWh, over 300 kWh."""
    if len(slabs) == 1:
        return [label]
    out, lo = [], Decimal(0)
    for slab in slabs:
        if slab.up_to is None:
            out.append(f"{label}, over {_n(lo)} {unit}")
        elif lo == 0:
            out.append(f"{label}, first {_n(slab.up_to)} {unit}")
        else:
            out.append(f"{label}, next {_n(slab.up_to - lo)} {unit}")
        if slab.up_to is not None:
            lo = slab.up_to
    return out


def _months(months: tuple[int, ...]) -> str:
    return ", ".join(MONTHS[m - 1] for m in months if 1 <= m <= 12)


def _ladder(section: str, label: str, slabs: tuple[Slab, ...], unit: str,
            note: str) -> list[PriceRow]:
    return [PriceRow(section, text, slab.rate, "money", unit, note)
            for text, slab in zip(block_labels(label, slabs, unit), slabs, strict=True)]


def _energy_rows(spec: TariffSpec) -> list[PriceRow]:
    e = spec.energy
    if e is None:
        return []
    per = "a month" if e.limits_per == "month" else "a day"
    many = any(len(p.slabs) > 1 for p in e.periods)
    rows: list[PriceRow] = []
    for period in e.periods:
        if e.type == "tou":
            name = (period.label or period.register).replace("_", " ")
            note = f"meter register {period.register}"
            if many:
                note += f"; blocks count all kWh {per}"
            rows += _ladder("Energy", f"Energy {name}", period.slabs, "kWh", note)
        elif e.type == "volume" and len(period.slabs) > 1:
            lo = Decimal(0)
            for slab in period.slabs:
                band = (f"above {_n(lo)}" if slab.up_to is None
                        else f"{_n(lo)}-{_n(slab.up_to)}")
                rows.append(PriceRow("Energy", f"Energy, {band} kWh", slab.rate, "money", "kWh",
                                     f"all kWh at this rate when the total is in the band, "
                                     f"{per}"))
                lo = slab.up_to if slab.up_to is not None else lo
        else:
            note = f"blocks {per}, prorated for part months" if many else ""
            rows += _ladder("Energy", "Energy", period.slabs, "kWh", note)
    if e.schedule is not None:
        rows.append(PriceRow("Energy", "Total-only meters", None, "money",
                             "", "the total is split over the periods by their hours"))
    return rows


def describe_spec(spec: TariffSpec) -> list[PriceRow]:
    """Every price of the version, as rows (see :class:`PriceRow`)."""
    rows: list[PriceRow] = []
    for f in spec.fixed:
        rows.append(PriceRow("Fixed", f.description, f.amount, "money", f.per,
                             "prorated for part months" if f.per == "month" else ""))
    rows += _energy_rows(spec)
    for s in spec.subsidies:
        who = ", ".join(s.categories) if s.categories else "every account"
        note = who + (f"; when at most {_n(s.eligible_up_to)} kWh"
                      if s.eligible_up_to is not None else "")
        rows.append(PriceRow("Energy", f"{s.description}, first {_n(s.kwh)} kWh", s.rate,
                             "money", "kWh", note))
    for d in spec.demand:
        basis = "recorded maximum demand" if d.basis == "recorded" else "sanctioned load"
        note = basis + (f"; {_months(d.months)} only" if d.months else "")
        rows += _ladder("Demand", d.description, d.slabs, "kW", note)
    if spec.demand_tou is not None:
        t = spec.demand_tou
        for i, dp in enumerate(t.periods):
            note = f"highest kW in its hours; {_months(t.months_of(i)) or 'no month'}"
            rows += _ladder("Demand", f"{t.description} {dp.label or dp.register}", dp.slabs,
                            "kW", note)
    if spec.minimum is not None:
        m = spec.minimum
        on = "energy, fixed and demand" if m.with_demand else "energy and fixed charges"
        rows.append(PriceRow("Minimum", m.description, m.amount, "money", m.per,
                             f"tops up {on} to this amount"))
    for tax in spec.taxes:
        if tax.percent is not None:
            base = "energy charges" if tax.base == "energy" else "the charges above"
            rows.append(PriceRow("Taxes", tax.description, tax.percent, "percent", "",
                                 f"of {base}"))
        elif tax.per_kwh is not None:
            rows.append(PriceRow("Taxes", tax.description, tax.per_kwh, "money", "kWh"))
    if spec.prompt_payment is not None:
        p = spec.prompt_payment
        base = "energy charges" if p.base == "energy" else "the charges"
        rows.append(PriceRow("Payment terms", p.description, p.percent, "percent", "",
                             f"of {base}, when paid on time"))
    if spec.late_payment is not None:
        lp = spec.late_payment
        note = f"of the overdue amount, {lp.grace_days} days after the due date"
        if lp.cap is not None:
            note += f", at most {_n(lp.cap)}"
        rows.append(PriceRow("Payment terms", lp.description, lp.percent, "percent", "", note))
    if spec.rounding_step is not None:
        rows.append(PriceRow("Payment terms", "Total rounded to", spec.rounding_step, "money",
                             "", "cash rounding"))
    return rows
