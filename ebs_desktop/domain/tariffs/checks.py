"""Whole-tariff checks: what a tariff may say before it can bill anybody.

A tariff is checked whole when it enters EBS (a TOML file, a URDB record, any service that
stores one): every problem of every version is listed at once, each with its place
(``res1.toml: versions[1].taxes[0].percent``), the component and the value. Billing itself
does not check again: the rules hold for every stored version, and the per-bill ceiling in
:func:`ebs_desktop.domain.billcalc.calculate_bill` is the last guard.

The rules (resources/tariffs/README.md, "Limits"):

- **Signs.** No number in a tariff is negative. Charges (fixed, energy and demand slabs,
  minimum, per-kWh taxes) are prices; a lifeline block is a lower price, not a negative
  one. The only component that takes money off a bill is the prompt-payment rebate, and
  it is a credit by its nature: its ``percent`` is positive and subtracted.
- **Percentages** (taxes, the rebate, the late surcharge) lie within 0-100.
- **Rates** (per kWh or per kW) are at most :func:`max_rate`: ``MAX_TOTAL_MINOR`` /
  ``MAX_QUANTITY`` minor units, i.e. 999,999 minor units (USD 9,999.99 per kWh, JPY
  999,999 per kWh). A line is a quantity (at most ``MAX_QUANTITY``) times a rate, so no
  line can exceed ``MAX_TOTAL_MINOR`` and no sum of lines can leave a signed 64-bit
  integer. Fixed and minimum amounts and the surcharge cap are at most ``MAX_AMOUNT_MINOR``.
  A bill whose total or any line still passes ``MAX_AMOUNT_MINOR`` (absurd consumption)
  is refused for that account by the calculation, never written.
- **Limits** (slab ``up_to``, lifeline ``kwh``, ``eligible_up_to``) are at most
  ``MAX_QUANTITY``; the rounding step is a positive whole number of minor units.
- **Versions**: numbers distinct, dates rising.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from decimal import Decimal

from ebs_desktop.domain.money import (
    MAX_AMOUNT_MINOR,
    MAX_QUANTITY,
    MAX_TOTAL_MINOR,
    currency_exponent,
)
from ebs_desktop.domain.tariffs.model import Slab, Tariff, TariffSpec
from ebs_desktop.errors import ValidationError

#: The ceiling on a rate (per kWh or per kW) in minor units of the tariff's currency.
MAX_RATE_MINOR = MAX_TOTAL_MINOR // int(MAX_QUANTITY.to_integral_value(rounding="ROUND_CEILING"))
HUNDRED = Decimal(100)
ZERO = Decimal(0)

Problem = tuple[str, str]  # (key path, what is wrong with the value)


def max_rate(currency: str) -> Decimal:
    """The highest rate a tariff in ``currency`` may charge per kWh or kW (major units)."""
    return Decimal(MAX_RATE_MINOR).scaleb(-currency_exponent(currency))


def max_amount(currency: str) -> Decimal:
    """The highest fixed or minimum amount a tariff in ``currency`` may charge."""
    return Decimal(MAX_AMOUNT_MINOR).scaleb(-currency_exponent(currency))


def _rate(value: Decimal, what: str, ceiling: Decimal) -> str | None:
    if value < 0:
        return f"{what}: rate {value:f} is negative (a rate is a price; no component of a " \
               "tariff may be negative)"
    if value > ceiling:
        return f"{what}: rate {value:f} is above the ceiling of {ceiling} per unit"
    return None


def rate_problem(value: Decimal, what: str, currency: str) -> str | None:
    """What is wrong with ``value`` as a rate of a tariff in ``currency`` (None: nothing)."""
    return _rate(value, what, max_rate(currency))


def _amount(value: Decimal, what: str, ceiling: Decimal) -> str | None:
    if value < 0:
        return f"{what}: amount {value:f} is negative (no component of a tariff may be negative)"
    if value > ceiling:
        return f"{what}: amount {value:f} is above the ceiling of {ceiling}"
    return None


def _percent(value: Decimal, what: str) -> str | None:
    if not ZERO <= value <= HUNDRED:
        return f"{what}: {value:f}% is outside 0-100%"
    return None


def _quantity(value: Decimal | None, what: str) -> str | None:
    if value is None:
        return None
    if value < 0:
        return f"{what}: limit {value:f} is negative"
    if value > MAX_QUANTITY:
        return f"{what}: limit {value:f} is above the ceiling of {MAX_QUANTITY} on a quantity"
    return None


def _slabs(slabs: Iterable[Slab], path: str, what: str, ceiling: Decimal
           ) -> Iterator[Problem]:
    for i, slab in enumerate(slabs):
        for key, problem in (("rate", _rate(slab.rate, what, ceiling)),
                             ("up_to", _quantity(slab.up_to, what))):
            if problem:
                yield f"{path}[{i}].{key}", problem


def spec_problems(spec: TariffSpec, currency: str) -> list[Problem]:
    """Every breach of the rules above in one version's spec, in reading order."""
    rate, amount = max_rate(currency), max_amount(currency)
    out: list[Problem] = []

    def add(path: str, problem: str | None) -> None:
        if problem:
            out.append((path, problem))

    for i, f in enumerate(spec.fixed):
        add(f"fixed[{i}].amount", _amount(f.amount, f"fixed charge {f.code}", amount))
    if spec.energy is not None:
        e = spec.energy
        if e.type == "tou":
            for i, p in enumerate(e.periods):
                out.extend(_slabs(p.slabs, f"energy.periods[{i}].slabs",
                                  f"energy period {p.register}", rate))
        else:
            for p in e.periods:  # one period: the total
                out.extend(_slabs(p.slabs, "energy.slabs", "energy", rate))
    for i, d in enumerate(spec.demand):
        out.extend(_slabs(d.slabs, f"demand[{i}].slabs", f"demand charge {d.code}", rate))
    if spec.demand_tou is not None:
        for j, dp in enumerate(spec.demand_tou.periods):
            out.extend(_slabs(dp.slabs, f"demand_tou.periods[{j}].slabs",
                              f"time-of-use demand period {dp.register}", rate))
    if spec.minimum is not None:
        add("minimum.amount", _amount(spec.minimum.amount, "minimum charge", amount))
    for i, t in enumerate(spec.taxes):
        if t.percent is not None:
            add(f"taxes[{i}].percent", _percent(t.percent, f"tax {t.code}"))
        if t.per_kwh is not None:
            add(f"taxes[{i}].per_kwh", _rate(t.per_kwh, f"tax {t.code}", rate))
    for i, s in enumerate(spec.subsidies):
        add(f"subsidies[{i}].rate", _rate(s.rate, f"lifeline block {s.code}", rate))
        add(f"subsidies[{i}].kwh", _quantity(s.kwh, f"lifeline block {s.code}"))
        add(f"subsidies[{i}].eligible_up_to",
            _quantity(s.eligible_up_to, f"lifeline block {s.code}"))
    if spec.prompt_payment is not None:
        add("prompt_payment.percent",
            _percent(spec.prompt_payment.percent, "prompt-payment rebate"))
    if spec.late_payment is not None:
        lp = spec.late_payment
        add("late_payment.percent", _percent(lp.percent, "late payment surcharge"))
        if lp.cap is not None:
            add("late_payment.cap", _amount(lp.cap, "late payment surcharge cap", amount))
    if not out:  # each amount within the ceiling; together with taxes, at 0 kWh?
        add("fixed", _standing(spec, currency, amount))
    if spec.rounding_step is not None:
        step = spec.rounding_step.scaleb(currency_exponent(currency))
        if step <= 0 or step != step.to_integral_value() or step > MAX_AMOUNT_MINOR:
            add("rounding_step", f"rounding step {spec.rounding_step} is not a positive whole "
                f"number of {currency} minor units")
    return out


def _standing(spec: TariffSpec, currency: str, ceiling: Decimal) -> str | None:
    """What every bill carries even at 0 kWh (the fixed charges, or the minimum when it is
    more) with every percentage tax on top, an upper bound of the smallest bill: a tariff
    whose smallest bill is beyond the ceiling could bill nobody."""
    standing = sum((f.amount for f in spec.fixed), Decimal(0))
    if spec.minimum is not None:
        standing = max(standing, spec.minimum.amount)
    taxes = sum((t.percent for t in spec.taxes if t.percent is not None), Decimal(0))
    smallest = standing * (1 + taxes / 100)
    if smallest <= ceiling:
        return None
    return (f"the fixed charges with their taxes bill {smallest:.2f} {currency} even at 0 kWh, "
            f"beyond the ceiling of {ceiling} on a single amount")


def tariff_problems(tariff: Tariff, only: Collection[int] | None = None) -> list[Problem]:
    """Every problem of every version (or of the versions at the indexes ``only``), paths
    starting ``versions[i]`` (file order)."""
    out: list[Problem] = []
    seen: dict[int, int] = {}
    for i, v in enumerate(tariff.versions):
        if only is not None and i not in only:
            seen.setdefault(v.version, i)
            continue
        where = f"versions[{i}]"
        if v.version in seen:
            out.append((f"{where}.version", f"tariff {tariff.code} has version {v.version} "
                        f"twice (versions[{seen[v.version]}] and {where}); a change of "
                        "prices is a new version number"))
        seen.setdefault(v.version, i)
        if i and v.effective_from <= tariff.versions[i - 1].effective_from:
            out.append((f"{where}.effective_from",
                        f"tariff {tariff.code} v{v.version}: {v.effective_from} is not after "
                        f"the previous version's {tariff.versions[i - 1].effective_from}"))
        out.extend((f"{where}.{path}", f"tariff {tariff.code} v{v.version}, {problem}")
                   for path, problem in spec_problems(v.spec, tariff.currency))
    return out


def check_tariff(tariff: Tariff, *, source: str = "tariff",
                 only: Collection[int] | None = None) -> None:
    """Refuse ``tariff`` with one error listing every problem, each with its place;
    ``only``: the indexes of the versions to check (those about to be stored)."""
    problems = tariff_problems(tariff, only)
    if not problems:
        return
    if len(problems) == 1:
        path, problem = problems[0]
        raise ValidationError(problem, location=f"{source}: {path}")
    listed = "; ".join(f"{path}: {problem}" for path, problem in problems)
    raise ValidationError(f"{len(problems)} problems: {listed}", location=source)
