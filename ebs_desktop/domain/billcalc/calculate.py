"""The bill calculation: tariff versions + period + usage + account facts -> bill lines.

Pure and fast: a billing run calls it about a million times. Everything that depends only
on the versions and the period is compiled once and cached (keyed by the identity of the
version objects, so reuse the same ``TariffVersion`` objects across calls); per bill only
the consumption is priced.

Order of lines per version part: fixed, lifeline, energy, minimum top-up, demand (flat,
then time-of-use per period; a minimum ``with_demand`` tops up after them), taxes,
rebate; then the late surcharge on arrears and ROUNDING. When a new version starts inside
the period, the consumption (and each register) is split by days, rounded half up to
0.001 kWh with the last part taking the remainder, and each part is priced under its version.

A bill whose total, amount after the due date or any line passes ``MAX_AMOUNT_MINOR`` is
refused (:class:`AmountOverLimit`): the billing run lists that account instead of writing an
amount no column may hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import NoReturn

from ebs_desktop.domain.billcalc.compiled import CompiledPart, CSlab, CTax, compile_part
from ebs_desktop.domain.billcalc.lines import (
    AccountFacts,
    AmountOverLimit,
    BillCalculation,
    BillLine,
    Usage,
)
from ebs_desktop.domain.billcalc.periods import split_by_versions
from ebs_desktop.domain.money import MAX_AMOUNT_MINOR, Money, currency_exponent
from ebs_desktop.domain.rounding import LINE_ROUNDING, QUANTITY_PLACES, round_to_step
from ebs_desktop.domain.tariffs.model import TariffVersion
from ebs_desktop.errors import ValidationError

R = LINE_ROUNDING
Q = QUANTITY_PLACES
ZERO = Decimal(0)
_NO_FACTS = AccountFacts()
_new = tuple.__new__
_PLANS: dict[tuple[object, ...], tuple[tuple[TariffVersion, ...], tuple[CompiledPart, ...]]] = {}
_PLAN_LIMIT = 20_000


def _plan(versions: Sequence[TariffVersion], start: date, end: date, currency: str
          ) -> tuple[CompiledPart, ...]:
    key = (*map(id, versions), start, end, currency)
    hit = _PLANS.get(key)
    if hit is not None:
        return hit[1]
    plan = tuple(compile_part(v, s, e, currency)
                 for v, s, e in split_by_versions(versions, start, end))
    if len(_PLANS) >= _PLAN_LIMIT:
        _PLANS.clear()
    _PLANS[key] = (tuple(versions), plan)  # holding the versions keeps their ids unique
    return plan


def _ladder(slabs: tuple[CSlab, ...], total: Decimal, start_at: Decimal,
            share: Decimal | None, volume: bool, unit: str, suffix: str, currency: str,
            ref: str, out: list[BillLine]) -> int:
    """Lines for ``start_at..total`` on a ladder; ``share`` scales quantities (TOU)."""
    added = 0
    if volume:
        chosen = slabs[-1]
        for s in slabs:
            if s.hi is None or total <= s.hi:
                chosen = s
                break
        q = total - start_at
        if share is not None:
            q = (q * share).quantize(Q, R)
        if q > 0:
            added = int((q * chosen.scaled).to_integral_value(R))
            out.append(_new(BillLine, (chosen.code, chosen.label, q, unit, chosen.rate, added,
                                       currency, ref, "", suffix, chosen.head, chosen.mid, "")))
        return added
    for s in slabs:
        lo = s.lo
        if lo >= total:
            break
        hi = s.hi
        if hi is None or hi > total:
            hi = total
        elif share is None and s.full is not None and start_at <= lo:
            out.append(s.full)  # a slab used in full: its line is shared, built once
            added += s.full.amount_minor
            continue
        if start_at > lo:
            lo = start_at
        if hi <= lo:
            continue
        q = hi - lo
        if share is not None:
            q = (q * share).quantize(Q, R)
            if not q:
                continue
        minor = int((q * s.scaled).to_integral_value(R))
        out.append(_new(BillLine, (s.code, s.label, q, unit, s.rate, minor, currency, ref,
                                   "", suffix, s.head, s.mid, "")))
        added += minor
    return added


def _register_kwh(part: CompiledPart, kwh: Decimal, registers: Mapping[str, Decimal]
                  ) -> list[Decimal]:
    names = [p.register for p in part.periods]
    if registers:
        missing = [n for n in names if n not in registers]
        if missing:
            raise ValidationError(f"no consumption given for TOU register {missing[0]!r} "
                                  f"(tariff {part.ref} has {', '.join(names)})",
                                  location="usage.registers")
        values = [registers[n] for n in names]
        for name, value in zip(names, values, strict=True):
            if value < 0:
                raise ValidationError(f"register {name!r}: consumption {value} kWh is negative",
                                      location="usage.registers")
        if kwh and sum(values) != kwh:
            raise ValidationError(f"registers sum to {sum(values)} kWh but the total is "
                                  f"{kwh} kWh", location="usage.registers")
        return values
    if part.schedule_hours is None:
        raise ValidationError(f"tariff {part.ref} is time-of-use: give the kWh of each register"
                              f" ({', '.join(names)})", location="usage.registers")
    hours = part.schedule_hours
    total_hours = sum(hours)
    last = max(i for i, h in enumerate(hours) if h)
    values = [(kwh * h / total_hours).quantize(Q, R) for h in hours]
    values[last] = kwh - sum(v for i, v in enumerate(values) if i != last)
    return values


def _tax_line(t: CTax, base_minor: int, exp: int, currency: str, ref: str) -> BillLine:
    assert t.frac is not None
    minor = int((base_minor * t.frac).to_integral_value(R))
    return _new(BillLine, (t.code, t.label, Decimal(base_minor).scaleb(-exp), "%", t.frac,
                           minor, currency, ref, "", "", t.head, t.mid, ""))


def _minimum_line(part: CompiledPart, have_minor: int, currency: str, ref: str,
                  out: list[BillLine]) -> None:
    """The top-up to the version's minimum, when the charges it floors are below it."""
    assert part.minimum_minor is not None
    top_up = part.minimum_minor - have_minor
    floor, have = Money(part.minimum_minor, currency), Money(have_minor, currency)
    m = part.spec.minimum
    what = "energy, fixed and demand" if m is not None and m.with_demand else "energy and fixed"
    out.append(_new(BillLine, (
        m.code if m else "MINIMUM", m.description if m else "Minimum charge",
        Decimal(1), "", Money(top_up, currency).amount, top_up, currency, ref,
        f"{part.minimum_how} = {floor}, less {what} {have}", "", "", "", "")))


def _price_part(part: CompiledPart, kwh: Decimal, registers: Mapping[str, Decimal],
                demand_kw: Decimal | None, demand_registers: Mapping[str, Decimal],
                facts: AccountFacts, currency: str, exp: int, out: list[BillLine]) -> None:
    ref = part.ref
    start = len(out)
    out.extend(part.fixed_lines)
    energy = 0
    total = kwh
    if part.periods:
        per = _register_kwh(part, kwh, registers) if part.tou else None
        if per is not None:
            total = sum(per, ZERO)
        block = ZERO
        for s in part.subsidies:
            if ((not s.categories or facts.category in s.categories)
                    and (s.eligible_up_to is None or total <= s.eligible_up_to)):
                block = s.kwh if s.kwh < total else total
                if block > 0:
                    energy = int((block * s.scaled).to_integral_value(R))
                    out.append(_new(BillLine, (s.code, s.label, block, "kWh", s.rate, energy,
                                               currency, ref, "", "", "", "", "")))
                break
        if per is None:
            energy += _ladder(part.periods[0].slabs, total, block, None, part.volume, "kWh",
                              "", currency, ref, out)
        elif total > 0:
            for period, e_p in zip(part.periods, per, strict=True):
                if e_p:
                    energy += _ladder(period.slabs, total, block, e_p / total, part.volume,
                                      "kWh", "", currency, ref, out)
    floor_demand = part.minimum_minor is not None and part.minimum_with_demand
    if (part.minimum_minor is not None and not floor_demand
            and energy + part.fixed_minor < part.minimum_minor):
        _minimum_line(part, energy + part.fixed_minor, currency, ref, out)
    demand = 0
    for d in part.demand:
        kw = demand_kw if d.source.basis == "recorded" else facts.sanctioned_load_kw
        if kw is None:
            what = "recorded maximum demand" if d.source.basis == "recorded" else \
                "the account's sanctioned load"
            raise ValidationError(f"tariff {ref} charges demand ({d.source.code}): {what} "
                                  "in kW is needed", location="usage.demand_kw")
        demand += _ladder(d.slabs, kw, ZERO, None, False, "kW", d.suffix, currency, ref, out)
    for td in part.tou_demand:
        kw = demand_registers.get(td.register)
        if kw is None or kw < 0:
            names = ", ".join(x.register for x in part.tou_demand)
            raise ValidationError(
                f"tariff {ref} charges time-of-use demand: the maximum kW of each demand "
                f"period is needed ({names}), got {kw} for {td.register!r}",
                location="usage.demand_registers")
        demand += _ladder(td.slabs, kw, ZERO, None, False, "kW", "", currency, ref, out)
    if floor_demand:
        assert part.minimum_minor is not None
        have = energy + part.fixed_minor + demand
        if have < part.minimum_minor:
            _minimum_line(part, have, currency, ref, out)
    if part.taxes or part.rebate is not None:
        subtotal = sum(line.amount_minor for line in out[start:])
        taxes = []
        for t in part.taxes:
            if t.per_kwh_scaled is not None:
                minor = int((total * t.per_kwh_scaled).to_integral_value(R))
                taxes.append(_new(BillLine, (t.code, t.label, total, "kWh", t.per_kwh, minor,
                                             currency, ref, "", "", t.head, t.mid, "")))
            else:
                taxes.append(_tax_line(t, energy if t.base == "energy" else subtotal, exp,
                                       currency, ref))
        out.extend(taxes)
        if part.rebate is not None and facts.prompt_payment_earned:
            r = part.rebate
            out.append(_tax_line(r, energy if r.base == "energy" else subtotal, exp, currency,
                                 ref))


def _split(value: Decimal, parts: tuple[CompiledPart, ...]) -> list[Decimal]:
    days = sum(p.days for p in parts)
    values = [(value * p.days / days).quantize(Q, R) for p in parts[:-1]]
    values.append(value - sum(values, ZERO))
    return values


def calculate_bill(versions: Sequence[TariffVersion], period_start: date, period_end: date,
                   usage: Usage, facts: AccountFacts | None = None, currency: str = "USD",
                   cash_step: Money | None = None) -> BillCalculation:
    """Price ``usage`` over ``period_start..period_end`` (both inclusive).

    ``cash_step`` (from the settings) rounds the total, with a ROUNDING line for the
    difference; without it the version's ``rounding_step``, else the minor unit, applies.
    """
    plan = _plan(versions, period_start, period_end, currency)
    facts = facts or _NO_FACTS
    exp = plan[0].unit_factor.adjusted()
    kwh = usage.kwh
    if kwh < 0:
        raise ValidationError(f"consumption {kwh} kWh is negative", location="usage.kwh")
    if usage.demand_kw is not None and usage.demand_kw < 0:
        raise ValidationError(f"demand {usage.demand_kw} kW is negative",
                              location="usage.demand_kw")
    out: list[BillLine] = []
    if len(plan) == 1:
        _price_part(plan[0], kwh, usage.registers, usage.demand_kw, usage.demand_registers,
                    facts, currency, exp, out)
    else:
        kwh_parts = _split(kwh, plan)
        regs = {name: _split(v, plan) for name, v in usage.registers.items()}
        for i, part in enumerate(plan):
            _price_part(part, kwh_parts[i], {n: v[i] for n, v in regs.items()},
                        usage.demand_kw, usage.demand_registers, facts, currency, exp, out)
    spec = plan[-1].spec
    late = spec.late_payment
    if late is not None and facts.overdue > 0 and facts.days_past_due > late.grace_days:
        out.append(_late_line(facts.overdue, late.percent, late.cap, late.code,
                              late.description, currency, plan[-1].ref))
    total = sum(line.amount_minor for line in out)
    if not _safe(plan, kwh, usage, facts):  # quantities beyond what the plan knows is safe
        amounts = [line.amount_minor for line in out]
        if max(amounts, default=0) > MAX_AMOUNT_MINOR or min(amounts,
                                                             default=0) < -MAX_AMOUNT_MINOR:
            _over_limit(total, amounts, currency, kwh, plan[-1].ref)
    if cash_step is not None:
        step = cash_step.minor
    elif spec.rounding_step is not None:
        step = int(spec.rounding_step * plan[0].unit_factor)
    else:
        step = 1
    if step > 1:
        rounded = round_to_step(Money(total, currency), Money(step, currency)).minor
        if rounded != total:
            diff = rounded - total
            out.append(_new(BillLine, (
                "ROUNDING", "Rounding adjustment", Decimal(1), "", Money(diff, currency).amount,
                diff, currency, None,
                f"{Money(total, currency)} rounded to a step of {Money(step, currency)}", "", "",
                "", "")))
            total = rounded
    after_due = total
    if late is not None and total > 0:
        surcharge = _late_line(Money(total, currency).amount, late.percent, late.cap, "", "",
                               currency, None).amount_minor
        after_due = total + surcharge
        if step > 1:
            after_due = round_to_step(Money(after_due, currency), Money(step, currency)).minor
    if not (-MAX_AMOUNT_MINOR <= total <= MAX_AMOUNT_MINOR
            and -MAX_AMOUNT_MINOR <= after_due <= MAX_AMOUNT_MINOR):
        _over_limit(total, [after_due], currency, kwh, plan[-1].ref)
    return BillCalculation(tuple(out), Money(total, currency), Money(after_due, currency),
                           period_start, period_end, kwh)


def _safe(plan: tuple[CompiledPart, ...], kwh: Decimal, usage: Usage,
          facts: AccountFacts) -> bool:
    """No line can pass the ceiling: the quantities are within every part's safe limits
    (``compiled._safe_limits``) and there are no arrears (the late surcharge's base)."""
    if facts.overdue or usage.demand_registers:
        return False
    kw = usage.demand_kw
    for part in plan:
        if kwh > part.safe_kwh or (kw is not None and kw > part.safe_kw):
            return False
        if facts.sanctioned_load_kw is not None and facts.sanctioned_load_kw > part.safe_kw:
            return False
    return True


def _over_limit(total: int, amounts: list[int], currency: str, kwh: Decimal, ref: str
                ) -> NoReturn:
    def shown(minor: int) -> str:  # not Money: these may be beyond even its bound
        exp = currency_exponent(currency)
        return f"{Decimal(minor).scaleb(-exp):.{exp}f}"

    raise AmountOverLimit(
        f"the bill ({shown(total)}, amounts up to "
        f"{shown(max(map(abs, amounts), default=0))}) is beyond the ceiling of "
        f"{Money(MAX_AMOUNT_MINOR, currency)} on a single amount; check the consumption "
        f"({kwh} kWh) and the tariff {ref}", location="bill.total")


def _late_line(overdue: Decimal, percent: Decimal, cap: Decimal | None, code: str, label: str,
               currency: str, ref: str | None) -> BillLine:
    exp = currency_exponent(currency)
    frac = percent / 100
    minor = int((overdue * frac).scaleb(exp).to_integral_value(R))
    how = ""
    if cap is not None:
        cap_minor = int(cap.scaleb(exp).to_integral_value(R))
        if minor > cap_minor:
            minor = cap_minor
            how = f"{percent.normalize():f}% of {overdue:.{exp}f}, capped at {cap:.{exp}f}"
    return _new(BillLine, (code, label, overdue, "%", frac, minor, currency, ref, how, "", "", "",
                           ""))
