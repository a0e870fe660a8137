"""A tariff version compiled for one stretch of days: everything that does not depend on
consumption is worked out once (prorated fixed lines, scaled slab limits, labels, minimum
floor, TOU hour shares) and cached, so pricing a bill is a few Decimal operations.

Line amounts are rounded by :data:`ebs_desktop.domain.rounding.LINE_ROUNDING` (half up,
once per line). To make that one operation, each rate is kept pre-multiplied by the
currency's minor-unit factor (``scaled``): ``int((q * scaled).to_integral_value(...))`` is
exactly ``to_money(q * rate).minor``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ebs_desktop.domain.billcalc.lines import BillLine
from ebs_desktop.domain.billcalc.periods import month_factor, month_factor_text, schedule_hours
from ebs_desktop.domain.money import MAX_AMOUNT_MINOR, currency_exponent
from ebs_desktop.domain.rounding import LINE_ROUNDING, QUANTITY_PLACES
from ebs_desktop.domain.tariffs.model import (
    DemandCharge,
    EnergyPeriod,
    Per,
    Slab,
    TariffSpec,
    TariffVersion,
)


@dataclass(frozen=True, slots=True)
class CSlab:
    lo: Decimal
    hi: Decimal | None
    rate: Decimal
    scaled: Decimal
    code: str
    label: str
    head: str
    mid: str
    full: BillLine | None  # the line of this slab fully used: the same on many bills


@dataclass(frozen=True, slots=True)
class CPeriod:
    register: str
    slabs: tuple[CSlab, ...]


@dataclass(frozen=True, slots=True)
class CSubsidy:
    kwh: Decimal
    eligible_up_to: Decimal | None
    rate: Decimal
    scaled: Decimal
    categories: tuple[str, ...]
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class CDemand:
    source: DemandCharge
    slabs: tuple[CSlab, ...]
    factor: Decimal
    suffix: str


@dataclass(frozen=True, slots=True)
class CTouDemand:
    """A time-of-use demand period over the stretch: its register and prorated ladder."""

    register: str
    slabs: tuple[CSlab, ...]


@dataclass(frozen=True, slots=True)
class CTax:
    """A tax or the rebate: ``frac`` of a base (``percent / 100``) or ``per_kwh``."""

    code: str
    label: str
    frac: Decimal | None
    base: str
    per_kwh: Decimal | None
    per_kwh_scaled: Decimal | None
    head: str = ""  # pre-built text, see BillLine.head
    mid: str = ""


@dataclass(frozen=True, slots=True)
class CompiledPart:
    """One version over ``start..end``: the unit the calculation prices."""

    version: TariffVersion
    start: date
    end: date
    days: int
    fixed_lines: tuple[BillLine, ...]
    fixed_minor: int
    periods: tuple[CPeriod, ...]
    volume: bool
    tou: bool
    schedule_hours: tuple[int, ...] | None
    subsidies: tuple[CSubsidy, ...]
    demand: tuple[CDemand, ...]
    tou_demand: tuple[CTouDemand, ...]
    minimum_minor: int | None
    minimum_with_demand: bool
    minimum_how: str
    taxes: tuple[CTax, ...]
    rebate: CTax | None
    spec: TariffSpec
    ref: str
    unit_factor: Decimal  # 10 ** currency exponent
    # Up to these kWh and kW (and without arrears) no line of a bill can pass the ceiling
    # on a single amount, so the calculation checks only the total (see ``_safe_limits``).
    safe_kwh: Decimal = Decimal(0)
    safe_kw: Decimal = Decimal(0)


def _n(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _plain(value: Decimal) -> Decimal:
    """Without trailing zeros, yet never in exponent form: 100.000 -> 100, 51.720 -> 51.72."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value  # type: ignore[operator]


def _scale(limit: Decimal, per: Per, factor: Decimal, days: int) -> Decimal:
    scaled = limit * (factor if per == "month" else days)
    return _plain(scaled.quantize(QUANTITY_PLACES, rounding=LINE_ROUNDING))


def _with_text(line: BillLine) -> BillLine:
    return line._replace(text=f"{line.label}: {line.explanation}")


def _ladder(slabs: tuple[Slab, ...], per: Per, factor: Decimal, days: int, unit: Decimal,
            code: str, label: str, unit_name: str, currency: str, ref: str,
            volume: bool = False, suffix: str = "") -> tuple[CSlab, ...]:
    out = []
    lo = Decimal(0)
    many = len(slabs) > 1
    for i, slab in enumerate(slabs, 1):
        hi = None if slab.up_to is None else _scale(slab.up_to, per, factor, days)
        if hi is not None and hi <= lo:
            continue  # limits collapsed by scaling a tiny period
        if not many:
            text = label
        elif volume:  # the band reached prices every unit: name the band
            band = (f"above {_n(lo)}" if hi is None else f"{_n(lo)}-{_n(hi)}")
            text = f"{label}, all units at the rate of the slab {band} {unit_name}"
        elif lo == 0:  # a customer reads the blocks in order: first, next, over
            text = f"{label}, first {_n(hi)} {unit_name}" if hi is not None else label
        elif hi is None:
            text = f"{label}, over {_n(lo)} {unit_name}"
        else:
            text = f"{label}, next {_n(hi - lo)} {unit_name}"
        line_code = f"{code}-{i}" if many else code
        head, mid = f"{text}: ", f" {unit_name} x {slab.rate:f}{suffix} = "
        full = None
        if hi is not None and not volume:
            minor = int(((hi - lo) * slab.rate * unit).to_integral_value(LINE_ROUNDING))
            full = _with_text(BillLine(line_code, text, hi - lo, unit_name, slab.rate, minor,
                                       currency, ref, "", suffix, head, mid))
        out.append(CSlab(lo, hi, slab.rate, slab.rate * unit, line_code, text, head, mid, full))
        if hi is not None:
            lo = hi
    return tuple(out)


def _period_code(period: EnergyPeriod, tou: bool) -> tuple[str, str]:
    if not tou:
        return "ENERGY", "Energy"
    name = period.label or period.register
    return f"ENERGY-{period.register.upper()}"[:28], f"Energy {name}"


def _tax_text(label: str, percent: Decimal | None, per_kwh: Decimal | None) -> tuple[str, str]:
    if percent is not None:
        return f"{label}: {percent.normalize():f}% of ", " = "
    return f"{label}: ", f" kWh x {per_kwh:f} = "


def compile_part(version: TariffVersion, start: date, end: date, currency: str
                 ) -> CompiledPart:
    spec = version.spec
    ref = version.ref
    unit = Decimal(10) ** currency_exponent(currency)
    days = (end - start).days + 1
    factor = month_factor(start, end)
    factor_text = month_factor_text(start, end)

    fixed_lines = []
    for f in spec.fixed:
        if f.per == "month":
            # quantity shown to 6 places; the amount uses the exact factor
            qty = _plain(factor.quantize(Decimal("0.000001"), rounding=LINE_ROUNDING))
            how = f"{factor_text} x {f.amount:f}"
            minor = int((f.amount * factor * unit).to_integral_value(LINE_ROUNDING))
            fixed_lines.append(_with_text(BillLine(f.code, f.description, qty, "month",
                                                   f.amount, minor, currency, ref, how)))
        else:
            minor = int((f.amount * days * unit).to_integral_value(LINE_ROUNDING))
            fixed_lines.append(_with_text(BillLine(f.code, f.description, Decimal(days), "day",
                                                   f.amount, minor, currency, ref)))

    periods: tuple[CPeriod, ...] = ()
    volume = tou = False
    hours: tuple[int, ...] | None = None
    if spec.energy is not None:
        e = spec.energy
        tou = e.type == "tou"
        volume = e.type == "volume"
        periods = tuple(
            CPeriod(p.register, _ladder(p.slabs, e.limits_per, factor, days, unit,
                                        *_period_code(p, tou), "kWh", currency, ref, volume))
            for p in e.periods)
        if e.schedule is not None:
            hours = tuple(schedule_hours(e.schedule, start, end, len(e.periods)))

    subsidies = tuple(
        CSubsidy(_scale(s.kwh, s.limits_per, factor, days),
                 None if s.eligible_up_to is None
                 else _scale(s.eligible_up_to, s.limits_per, factor, days),
                 s.rate, s.rate * unit, s.categories, s.code, s.description)
        for s in spec.subsidies)

    demand = []
    for d in spec.demand:
        d_factor = month_factor(start, end, d.months)
        if d_factor == 0:
            continue
        suffix = "" if d_factor == 1 else f" x {month_factor_text(start, end, d.months)}"
        slabs = _ladder(d.slabs, "month", Decimal(1), days, unit * d_factor, d.code,
                        d.description, "kW", currency, ref, False, suffix)
        demand.append(CDemand(d, slabs, d_factor, suffix))

    tou_demand = []
    if spec.demand_tou is not None:
        t = spec.demand_tou
        for i, dp in enumerate(t.periods):
            months = t.months_of(i)
            d_factor = month_factor(start, end, months) if months else Decimal(0)
            if d_factor == 0:
                continue  # the period is not in the schedule of these months
            suffix = "" if d_factor == 1 else f" x {month_factor_text(start, end, months)}"
            tou_demand.append(CTouDemand(dp.register, _ladder(
                dp.slabs, "month", Decimal(1), days, unit * d_factor,
                f"{t.code}-{dp.register.upper()}"[:28],
                f"{t.description} {dp.label or dp.register}", "kW", currency, ref, False,
                suffix)))

    minimum_minor, minimum_how = None, ""
    if spec.minimum is not None:
        m = spec.minimum
        mult = factor if m.per == "month" else Decimal(days)
        minimum_minor = int((m.amount * mult * unit).to_integral_value(LINE_ROUNDING))
        minimum_how = (f"minimum {factor_text} x {m.amount:f}" if m.per == "month"
                       else f"minimum {days} day x {m.amount:f}")
    taxes = tuple(
        CTax(t.code, t.description, None if t.percent is None else t.percent / 100, t.base,
             t.per_kwh, None if t.per_kwh is None else t.per_kwh * unit,
             *_tax_text(t.description, t.percent, t.per_kwh))
        for t in spec.taxes)
    rebate = None
    if spec.prompt_payment is not None:
        p = spec.prompt_payment
        rebate = CTax(p.code, p.description, -p.percent / 100, p.base, None, None,
                      *_tax_text(p.description, -p.percent, None))
    return CompiledPart(version, start, end, days, tuple(fixed_lines),
                        sum(line.amount_minor for line in fixed_lines), periods, volume, tou,
                        hours, subsidies, tuple(demand), tuple(tou_demand), minimum_minor,
                        spec.minimum is not None and spec.minimum.with_demand, minimum_how, taxes,
                        rebate, spec, ref, unit,
                        *_safe_limits(periods, subsidies, demand, tou_demand, taxes, rebate,
                                      sum(line.amount_minor for line in fixed_lines),
                                      minimum_minor or 0))


_TENTH = MAX_AMOUNT_MINOR // 10


def _safe_limits(periods: tuple[CPeriod, ...], subsidies: tuple[CSubsidy, ...],
                 demand: list[CDemand], tou_demand: list[CTouDemand], taxes: tuple[CTax, ...],
                 rebate: CTax | None, fixed_minor: int, minimum_minor: int
                 ) -> tuple[Decimal, Decimal]:
    """(kWh, kW) up to which every line stays below ``MAX_AMOUNT_MINOR``: energy and per-kWh
    taxes each at most a tenth of it, demand a tenth, fixed + minimum a tenth, so the
    subtotal is at most 4/10 and each percentage line (0-100 %) at most that. A version
    outside the tariff checks (a percentage above 100, a negative rate: stored before the
    checks existed) gets 0: its every bill is checked line by line."""
    energy = [s.scaled for p in periods for s in p.slabs] + [s.scaled for s in subsidies]
    energy += [t.per_kwh_scaled for t in taxes if t.per_kwh_scaled is not None]
    power = [s.scaled for d in demand for s in d.slabs]
    power += [s.scaled for d in tou_demand for s in d.slabs]
    fractions = [t.frac for t in taxes if t.frac is not None]
    if rebate is not None and rebate.frac is not None:
        fractions.append(-rebate.frac)
    if (any(r < 0 for r in energy + power) or any(not 0 <= f <= 1 for f in fractions)
            or fixed_minor + minimum_minor > _TENTH or len(power) > 10):
        return Decimal(0), Decimal(0)
    top_e, top_p = max(energy, default=Decimal(0)), max(power, default=Decimal(0))
    unlimited = Decimal(MAX_AMOUNT_MINOR)  # a quantity is at most MAX_QUANTITY anyway
    return (_TENTH / top_e if top_e else unlimited,
            _TENTH / (top_p * len(power)) if top_p else unlimited)
